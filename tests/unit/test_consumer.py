"""AsyncConsumer / SyncConsumer: dispatch, as_asgi(), class checks, layer pump."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Mapping
from typing import ClassVar

import pytest

from tests.support.frames import mappings_held_by_tasks
from typedchannels._dispatch import HandlerTable
from typedchannels.consumer import AsyncConsumer, ConsumerApp, SyncConsumer
from typedchannels.exceptions import (
    ConsumerDefinitionError,
    InvalidMessageType,
    NoHandlerForMessage,
    StopConsumer,
)
from typedchannels.layers import InMemoryChannelLayer, set_channel_layer
from typedchannels.testing import ApplicationCommunicator
from typedchannels.types import ASGIReceiveEvent, ASGISendEvent, BaseScope, LayerMessage

SCOPE: BaseScope = {"type": "custom"}


class Recorder(AsyncConsumer):
    def __init__(self, *, tag: str = "default") -> None:
        self.tag = tag
        self.seen: list[Mapping[str, object]] = []

    async def websocket_connect(self, message: Mapping[str, object]) -> None:
        await self.send({"type": "websocket.accept", "subprotocol": self.tag})

    async def websocket_disconnect(self, message: Mapping[str, object]) -> None:
        raise StopConsumer

    async def chat_message(self, message: Mapping[str, object]) -> None:
        await self.send({"type": "websocket.send", "text": str(message["text"])})


async def test_dispatches_by_type_with_dots_as_underscores() -> None:
    comm = ApplicationCommunicator(Recorder.as_asgi(tag="t1"), SCOPE)
    await comm.send_input({"type": "websocket.connect"})
    assert await comm.receive_output() == {
        "type": "websocket.accept",
        "subprotocol": "t1",
    }
    await comm.send_input({"type": "websocket.disconnect", "code": 1000})
    await comm.wait()


async def test_unknown_type_raises_naming_type_and_consumer() -> None:
    comm = ApplicationCommunicator(Recorder.as_asgi(), SCOPE)
    await comm.send_input({"type": "http.request"})
    with pytest.raises(
        NoHandlerForMessage,
        match=r"Recorder has no handler for message type 'http.request'",
    ):
        await comm.wait()


async def test_no_handler_is_a_value_error_like_channels() -> None:
    assert issubclass(NoHandlerForMessage, ValueError)
    assert issubclass(InvalidMessageType, ValueError)


async def test_private_handler_names_are_refused() -> None:
    consumer = Recorder()
    with pytest.raises(InvalidMessageType, match="underscore"):
        await consumer.dispatch({"type": "_private.thing"})
    with pytest.raises(InvalidMessageType, match="underscore"):
        await consumer.dispatch({"type": ".leading"})


@pytest.mark.parametrize("bad_type", [None, 3, ["x"], b"websocket.connect"])
async def test_message_type_must_be_a_str(bad_type: object) -> None:
    with pytest.raises(InvalidMessageType, match="must be a str"):
        await Recorder().dispatch({"type": bad_type})


async def test_framework_methods_are_not_handlers() -> None:
    # "send" would call AsyncConsumer.send(message) in Channels.
    with pytest.raises(NoHandlerForMessage):
        await Recorder().dispatch({"type": "send"})
    with pytest.raises(NoHandlerForMessage):
        await Recorder().dispatch({"type": "as_asgi"})


async def test_handler_table_is_per_class_and_cached() -> None:
    class Other(AsyncConsumer):
        async def chat_message(self, message: Mapping[str, object]) -> None:
            raise StopConsumer

    table: HandlerTable = vars(Recorder)["_handler_table"]
    assert table is not vars(Other)["_handler_table"]
    first = table.lookup({"type": "chat.message"})
    assert table.lookup({"type": "chat_message"}) is first
    assert first is Recorder.__dict__["chat_message"]


def test_as_asgi_returns_an_app_carrying_class_and_kwargs() -> None:
    app = Recorder.as_asgi(tag="x")
    assert isinstance(app, ConsumerApp)
    assert app.consumer_class is Recorder
    assert app.consumer_initkwargs == {"tag": "x"}
    assert "Recorder" in repr(app)


def test_as_asgi_checks_kwargs_when_the_route_is_made() -> None:
    with pytest.raises(
        TypeError, match=r"Recorder.as_asgi\(\).*unexpected keyword.*'tga'"
    ):
        Recorder.as_asgi(tga="x")  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
    with pytest.raises(TypeError, match="keyword arguments only"):
        Recorder.as_asgi("x")  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]


async def test_each_connection_gets_its_own_instance() -> None:
    instances: list[object] = []

    class Counting(AsyncConsumer):
        async def websocket_connect(self, message: Mapping[str, object]) -> None:
            instances.append(self)
            raise StopConsumer

    app = Counting.as_asgi()
    for _ in range(2):
        comm = ApplicationCommunicator(app, SCOPE)
        await comm.send_input({"type": "websocket.connect"})
        await comm.wait()
    assert len(instances) == 2
    assert instances[0] is not instances[1]


def test_asgi2_init_with_scope_is_rejected_at_class_creation() -> None:
    with pytest.raises(
        ConsumerDefinitionError,
        match=r"__init__ takes a required positional parameter 'scope'.*as_asgi\(name=value\)",
    ):

        class Old(AsyncConsumer):  # pyright: ignore[reportUnusedClass]  # creating it is the test
            def __init__(self, scope: BaseScope) -> None:  # type: ignore[typedchannels-init]
                self.old_scope = scope


def test_keyword_and_defaulted_init_parameters_are_fine() -> None:
    class Fine(AsyncConsumer):
        def __init__(self, limit: int = 3, *, name: str = "n") -> None:
            self.limit = limit
            self.name = name

    assert Fine.as_asgi(limit=4).consumer_initkwargs == {"limit": 4}


def test_overriding_call_is_rejected_at_class_creation() -> None:
    with pytest.raises(ConsumerDefinitionError, match="overrides __call__"):

        class Old(AsyncConsumer):  # pyright: ignore[reportUnusedClass]  # creating it is the test
            async def __call__(self, receive: object, send: object) -> None:  # type: ignore[misc, override]  # pyright: ignore[reportIncompatibleMethodOverride]
                raise AssertionError

    assert issubclass(ConsumerDefinitionError, TypeError)


async def test_consumer_instance_is_itself_an_asgi_app() -> None:
    comm = ApplicationCommunicator(Recorder(tag="direct"), SCOPE)
    await comm.send_input({"type": "websocket.connect"})
    assert await comm.receive_output() == {
        "type": "websocket.accept",
        "subprotocol": "direct",
    }
    await comm.stop()


class ThreadRecorder(SyncConsumer):
    threads: ClassVar[list[int]] = []

    def websocket_connect(self, message: Mapping[str, object]) -> None:
        self.threads.append(threading.get_ident())
        self.send({"type": "websocket.accept"})

    def websocket_disconnect(self, message: Mapping[str, object]) -> None:
        raise StopConsumer


async def test_sync_consumer_runs_handlers_in_a_thread_and_sends() -> None:
    comm = ApplicationCommunicator(ThreadRecorder.as_asgi(), SCOPE)
    await comm.send_input({"type": "websocket.connect"})
    assert await comm.receive_output() == {"type": "websocket.accept"}
    await comm.send_input({"type": "websocket.disconnect", "code": 1000})
    await comm.wait()
    assert ThreadRecorder.threads[-1] != threading.get_ident()


class QueueLayer:
    """The smallest channel layer the consumer needs: one queue per channel."""

    extensions = ("groups",)

    def __init__(self) -> None:
        self.queues: dict[str, asyncio.Queue[LayerMessage]] = {}
        self.count = 0

    def _queue(self, channel: str) -> asyncio.Queue[LayerMessage]:
        return self.queues.setdefault(channel, asyncio.Queue())

    async def send(self, channel: str, message: Mapping[str, object]) -> None:
        await self._queue(channel).put(dict(message))

    async def receive(self, channel: str) -> LayerMessage:
        return await self._queue(channel).get()

    async def new_channel(self, prefix: str = "specific.") -> str:
        self.count += 1
        return f"{prefix}test!{self.count}"

    async def group_add(self, group: str, channel: str) -> None: ...
    async def group_discard(self, group: str, channel: str) -> None: ...
    async def group_send(self, group: str, message: Mapping[str, object]) -> None: ...
    async def flush(self) -> None: ...
    async def close(self) -> None: ...


async def connected(consumer: AsyncConsumer) -> ApplicationCommunicator[BaseScope]:
    """A communicator running ``consumer``, past its websocket.connect."""
    comm = ApplicationCommunicator(consumer, SCOPE)
    await comm.send_input({"type": "websocket.connect"})
    await comm.receive_output()
    return comm


async def test_layer_messages_are_dispatched_between_client_events() -> None:
    layer = QueueLayer()
    set_channel_layer(layer)
    consumer = Recorder()
    comm = await connected(consumer)
    await layer.send(consumer.channel_name, {"type": "chat.message", "text": "hi"})
    assert await comm.receive_output() == {"type": "websocket.send", "text": "hi"}
    await comm.send_input({"type": "websocket.disconnect", "code": 1000})
    await comm.wait()


async def test_stop_from_a_layer_handler_ends_the_consumer_cleanly() -> None:
    layer = QueueLayer()
    set_channel_layer(layer)

    class StopsOnLayer(Recorder):
        async def shut_down(self, message: Mapping[str, object]) -> None:
            raise StopConsumer

    consumer = StopsOnLayer()
    comm = await connected(consumer)
    await layer.send(consumer.channel_name, {"type": "shut.down"})
    await comm.wait()  # returns normally: no CancelledError, no error


async def test_error_in_a_layer_handler_propagates_out_of_the_app() -> None:
    layer = QueueLayer()
    set_channel_layer(layer)
    consumer = Recorder()
    comm = await connected(consumer)
    await layer.send(consumer.channel_name, {"type": "no.such.handler"})
    with pytest.raises(NoHandlerForMessage, match=r"no\.such\.handler"):
        await comm.wait()


async def test_handlers_never_overlap_between_client_and_layer() -> None:
    layer = QueueLayer()
    set_channel_layer(layer)
    active = 0
    overlaps = 0

    class Slow(AsyncConsumer):
        async def _work(self) -> None:
            nonlocal active, overlaps
            active += 1
            overlaps += active > 1
            await asyncio.sleep(0.001)
            active -= 1

        async def websocket_receive(self, message: Mapping[str, object]) -> None:
            await self._work()

        async def tick(self, message: Mapping[str, object]) -> None:
            await self._work()

    consumer = Slow()
    comm = ApplicationCommunicator(consumer, SCOPE)
    events: list[ASGIReceiveEvent] = [{"type": "websocket.receive", "text": "x"}] * 20
    for event in events:
        await comm.send_input(event)
    await asyncio.sleep(0)
    for _ in range(20):
        await layer.send(consumer.channel_name, {"type": "tick"})
    await asyncio.sleep(0.2)
    await comm.stop()
    assert overlaps == 0


async def test_channel_layer_alias_none_means_no_layer() -> None:
    set_channel_layer(QueueLayer())

    class NoLayer(Recorder):
        channel_layer_alias = None

    consumer = NoLayer()
    comm = await connected(consumer)
    assert consumer.channel_layer is None
    await comm.stop()


async def test_consumer_apps_accept_keyword_arguments() -> None:
    sent: list[object] = []
    events: list[ASGIReceiveEvent] = [
        {"type": "websocket.connect"},
        {"type": "websocket.disconnect", "code": 1000},
    ]

    async def receive() -> ASGIReceiveEvent:
        return events.pop(0)

    async def send(event: ASGISendEvent) -> None:
        sent.append(event)

    await Recorder.as_asgi(tag="kw")(scope=SCOPE, receive=receive, send=send)
    assert sent == [{"type": "websocket.accept", "subprotocol": "kw"}]


class RecordingWakes(InMemoryChannelLayer):
    def __init__(self) -> None:
        super().__init__()
        self.wakes: list[tuple[str, bool]] = []

    def wake_on_message(
        self, channel: str, callback: Callable[[], object] | None
    ) -> bool:
        self.wakes.append((channel, callback is not None))
        return super().wake_on_message(channel, callback)


class QuickToIdle(Recorder):
    layer_idle_seconds = 0.05


async def test_a_waking_layer_runs_the_receive_loop_only_while_messages_arrive() -> (
    None
):
    layer = RecordingWakes()
    set_channel_layer(layer)
    consumer = QuickToIdle()
    comm = await connected(consumer)
    idle_tasks = len(asyncio.all_tasks())
    await asyncio.sleep(0.1)
    assert len(asyncio.all_tasks()) == idle_tasks  # no receive loop yet
    for text in ("woken", "again"):
        await layer.send(consumer.channel_name, {"type": "chat.message", "text": text})
        assert await comm.receive_output() == {"type": "websocket.send", "text": text}
        await asyncio.sleep(0.2)
        assert len(asyncio.all_tasks()) == idle_tasks  # the loop ended when idle
    # Messages closer together than the idle time keep one loop going.
    for n in range(5):
        await layer.send(
            consumer.channel_name, {"type": "chat.message", "text": str(n)}
        )
        assert await comm.receive_output() == {"type": "websocket.send", "text": str(n)}
        await asyncio.sleep(0.02)
    await comm.send_input({"type": "websocket.disconnect", "code": 1000})
    await comm.wait()
    armed = [wake for wake in layer.wakes if wake[1]]
    assert len(armed) == 3  # at the start, and after each idle end: not per message
    assert layer.wakes[-1] == (consumer.channel_name, False)  # cleared at the end
    assert consumer.channel_name not in layer._channels  # pyright: ignore[reportPrivateUsage]  # the mailbox is gone


async def test_a_message_arriving_as_the_idle_loop_ends_is_not_lost() -> None:
    layer = InMemoryChannelLayer()
    set_channel_layer(layer)
    consumer = QuickToIdle()
    comm = await connected(consumer)
    for n in range(20):
        await layer.send(
            consumer.channel_name, {"type": "chat.message", "text": str(n)}
        )
        assert await comm.receive_output() == {"type": "websocket.send", "text": str(n)}
        await asyncio.sleep(0.045 + n * 0.001)  # around the idle time
    await comm.send_input({"type": "websocket.disconnect", "code": 1000})
    await comm.wait()


async def test_a_waiting_connection_keeps_no_handled_message() -> None:
    layer = InMemoryChannelLayer()
    set_channel_layer(layer)
    consumer = Recorder()
    comm = await connected(consumer)
    await layer.send(consumer.channel_name, {"type": "chat.message", "text": "mark"})
    assert await comm.receive_output() == {"type": "websocket.send", "text": "mark"}
    await asyncio.sleep(0)
    assert any(  # the walk does reach the pump, waiting for the next message
        getattr(task.get_coro(), "__qualname__", "") == "LayerPump._pump"
        for task in asyncio.all_tasks()
    )
    handled = [
        value for value in mappings_held_by_tasks() if value.get("text") == "mark"
    ]
    assert handled == []
    await comm.send_input({"type": "websocket.disconnect", "code": 1000})
    await comm.wait()
