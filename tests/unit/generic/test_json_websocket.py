"""AsyncJsonWebsocketConsumer and JsonWebsocketConsumer: typed frames, bad input."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Generic, Union

import msgspec
import pytest
from typing_extensions import TypeAlias, TypedDict, TypeVar

from tests.unit.test_consumer import QueueLayer
from typedchannels.exceptions import (
    ConsumerDefinitionError,
    FrameTooLarge,
    InvalidFrame,
    InvalidJSON,
    MessageValidationError,
    UnexpectedBinaryFrame,
)
from typedchannels.generic import _json
from typedchannels.generic.websocket import (
    AsyncJsonWebsocketConsumer,
    JsonWebsocketConsumer,
)
from typedchannels.layers import set_channel_layer
from typedchannels.testing import WebsocketCommunicator
from typedchannels.types import (
    ASGIReceiveEvent,
    ASGISendEvent,
    JSONValue,
    RoutedWebSocketScope,
)


class Join(msgspec.Struct, tag_field="type", tag="join", forbid_unknown_fields=True):
    room: str


class Say(msgspec.Struct, tag_field="type", tag="chat.say", forbid_unknown_fields=True):
    text: str
    n: int = 0


class Said(msgspec.Struct, tag_field="type", tag="chat.said"):
    text: str
    n: int


class Problem(msgspec.Struct, tag_field="type", tag="error"):
    detail: str


ClientMsg: TypeAlias = Union[Join, Say]
ServerMsg: TypeAlias = Union[Said, Problem]


class ChatEvent(TypedDict):
    type: str
    text: str


class Room(AsyncJsonWebsocketConsumer[ClientMsg, ServerMsg]):
    max_message_size = 200

    def __init__(self) -> None:
        self.received: list[ClientMsg] = []

    async def receive_json(self, content: ClientMsg) -> None:
        self.received.append(content)
        match content:
            case Join(room=room):
                await self.send_json(Said(text=f"joined {room}", n=0))
            case Say(text=text, n=n):
                await self.send_json(Said(text=text, n=n), close=text == "bye")

    async def chat_message(self, event: ChatEvent) -> None:
        await self.send_json(Said(text=event["text"], n=-1))


class SyncRoom(JsonWebsocketConsumer[ClientMsg, ServerMsg]):
    max_message_size = 200

    def receive_json(self, content: ClientMsg) -> None:
        if isinstance(content, Say):
            self.send_json(Said(text=content.text, n=content.n))

    def chat_message(self, event: ChatEvent) -> None:
        self.send_json(Said(text=event["text"], n=-1))


ROOMS = [Room, SyncRoom]
RoomClass: TypeAlias = Union[type[Room], type[SyncRoom]]


async def connected(consumer: RoomClass) -> WebsocketCommunicator[dict[str, object]]:
    comm = WebsocketCommunicator(consumer.as_asgi(), "/room/")
    assert (await comm.connect()).accepted
    return comm


# --- typed frames -----------------------------------------------------------


@pytest.mark.parametrize("consumer", ROOMS)
async def test_frames_are_decoded_into_the_declared_structs(
    consumer: RoomClass,
) -> None:
    comm = await connected(consumer)
    await comm.send_json_to(Say(text="hi", n=3))
    said = await comm.receive_json_from(type=ServerMsg)
    assert said == Said(text="hi", n=3)
    await comm.disconnect()


async def test_receive_json_gets_struct_instances_and_send_json_can_close() -> None:
    consumer = Room()
    comm = WebsocketCommunicator(consumer, "/room/")
    await comm.connect()
    await comm.send_to(text_data='{"type":"join","room":"lobby"}')
    assert await comm.receive_json_from() == {
        "type": "chat.said",
        "text": "joined lobby",
        "n": 0,
    }
    await comm.send_to(text_data='{"type":"chat.say","text":"bye"}')
    assert await comm.receive_json_from() == {
        "type": "chat.said",
        "text": "bye",
        "n": 0,
    }
    assert await comm.receive_output() == {"type": "websocket.close"}
    assert consumer.received == [Join(room="lobby"), Say(text="bye")]
    await comm.disconnect()


class Untyped(AsyncJsonWebsocketConsumer):
    """A consumer written for Channels: no type arguments, plain JSON values."""

    async def receive_json(self, content: JSONValue) -> None:
        await self.send_json({"echo": content})


async def test_without_type_arguments_any_json_value_is_accepted() -> None:
    comm = WebsocketCommunicator(Untyped.as_asgi(), "/")
    await comm.connect()
    values: list[JSONValue] = [{"a": [1, 2.5, None, True]}, [], "text", 0]
    for value in values:
        await comm.send_json_to(value)
        assert await comm.receive_json_from() == {"echo": value}
    await comm.disconnect()


async def test_decoder_is_built_once_per_class(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    built: list[object] = []
    real = msgspec.json.Decoder

    def counting(*args: object) -> msgspec.json.Decoder[object]:
        built.append(args)
        return real(*args)

    monkeypatch.setattr(msgspec.json, "Decoder", counting)

    class Counted(AsyncJsonWebsocketConsumer[Say, Said]):
        pass

    assert built == [(Say,)]
    comm = WebsocketCommunicator(Counted.as_asgi(), "/")
    await comm.connect()
    for _ in range(3):
        await comm.send_json_to(Say("x"))
        assert await Counted.decode_json('{"type":"chat.say","text":"x"}') == Say("x")
    await comm.disconnect()
    assert len(built) == 1


_T = TypeVar("_T")


class GenericRoom(AsyncJsonWebsocketConsumer[Union[Join, _T], Said], Generic[_T]):
    pass


class ConcreteRoom(GenericRoom[Say]):
    pass


class SubRoom(Room):
    pass


@pytest.mark.parametrize(
    ("consumer", "text", "expected"),
    [
        (ConcreteRoom, '{"type":"chat.say","text":"x"}', Say("x")),
        (ConcreteRoom, '{"type":"join","room":"r"}', Join("r")),
        (SubRoom, '{"type":"join","room":"r"}', Join("r")),
        (GenericRoom, '{"type":"join","room":"r"}', {"type": "join", "room": "r"}),
    ],
)
async def test_type_arguments_are_found_through_subclasses(
    consumer: type[GenericRoom[Say]] | type[Room], text: str, expected: object
) -> None:
    assert await consumer.decode_json(text) == expected


def test_an_undecodable_message_type_fails_at_class_creation() -> None:
    class A(TypedDict):
        type: str

    class B(TypedDict):
        other: int

    with pytest.raises(ConsumerDefinitionError, match="tagged unions"):

        class Bad(AsyncJsonWebsocketConsumer[Union[A, B], Said]):  # pyright: ignore[reportUnusedClass]
            pass


# --- bad client input -------------------------------------------------------

BAD_FRAMES: list[tuple[str, ASGIReceiveEvent, type[InvalidFrame], int, str]] = [
    ("not json", {"type": "websocket.receive", "text": "{nope"}, InvalidJSON, 1007, ""),
    ("empty", {"type": "websocket.receive", "text": ""}, InvalidJSON, 1007, ""),
    (
        "wrong type",
        {"type": "websocket.receive", "text": '{"type":"chat.say","text":1}'},
        MessageValidationError,
        1007,
        "at `$.text`",
    ),
    (
        "missing field",
        {"type": "websocket.receive", "text": '{"type":"join"}'},
        MessageValidationError,
        1007,
        "`room`",
    ),
    (
        "wrong tag",
        {"type": "websocket.receive", "text": '{"type":"leave"}'},
        MessageValidationError,
        1007,
        "at `$.type`",
    ),
    (
        "unknown field",
        {"type": "websocket.receive", "text": '{"type":"join","room":"r","x":1}'},
        MessageValidationError,
        1007,
        "unknown field `x`",
    ),
    (
        "binary",
        {"type": "websocket.receive", "bytes": b"{}"},
        UnexpectedBinaryFrame,
        1003,
        "",
    ),
    (
        "too large",
        {"type": "websocket.receive", "text": '"' + "x" * 300 + '"'},
        FrameTooLarge,
        1009,
        "max_message_size=200",
    ),
    (
        "too large in bytes, not in characters",  # 122 characters
        {"type": "websocket.receive", "text": '"' + "é" * 120 + '"'},
        FrameTooLarge,
        1009,
        "frame of 242 bytes",
    ),
    (
        "200 bytes: not too large, only not a ClientMsg",
        {"type": "websocket.receive", "text": '"' + "é" * 99 + '"'},
        MessageValidationError,
        1007,
        "Expected `object`",
    ),
]


@pytest.mark.parametrize("consumer", ROOMS)
@pytest.mark.parametrize(
    ("event", "code", "detail"),
    [pytest.param(e, c, d, id=i) for i, e, _, c, d in BAD_FRAMES],
)
async def test_bad_frames_close_with_their_code_and_log_one_warning(
    consumer: RoomClass,
    event: ASGIReceiveEvent,
    code: int,
    detail: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    comm = await connected(consumer)
    with caplog.at_level(logging.WARNING, logger="typedchannels.websocket"):
        await comm.send_input(event)
        close = await comm.receive_output()
    assert close["type"] == "websocket.close"
    assert close.get("code") == code
    assert detail in str(close.get("reason"))
    assert len(str(close.get("reason")).encode()) <= 123
    await logged(caplog)  # a sync consumer logs in its thread after closing
    [record] = caplog.records
    assert record.levelno == logging.WARNING
    assert f"closed with {code}" in record.getMessage()
    assert detail in record.getMessage()
    assert "Traceback" not in caplog.text
    # The consumer is still running and ends normally on disconnect.
    await comm.disconnect(code)


async def logged(caplog: pytest.LogCaptureFixture) -> None:
    for _ in range(100):
        if caplog.records:
            return
        await asyncio.sleep(0.01)


def test_validation_errors_carry_msgspec_path() -> None:
    error = _json.invalid_frame(
        msgspec.ValidationError("Expected `str`, got `int` - at `$.text`")
    )
    assert isinstance(error, MessageValidationError)
    assert error.path == "$.text"
    assert MessageValidationError("Object missing required field `room`").path is None


class RecordingSend:
    """A server ``send`` that refuses close codes the way daphne does."""

    def __init__(self) -> None:
        self.sent: list[ASGISendEvent] = []

    async def __call__(self, event: ASGISendEvent) -> None:
        if event["type"] == "websocket.close":
            code = event.get("code", 1000)
            if code != 1000 and not 3000 <= code <= 4999:
                # autobahn's sendClose, inside daphne's send
                raise Exception(f"invalid close code {code}")
        self.sent.append(event)


@pytest.mark.parametrize("consumer", ROOMS)
@pytest.mark.parametrize(
    ("event", "fallback"),
    [
        ({"type": "websocket.receive", "text": "{"}, 4007),
        ({"type": "websocket.receive", "bytes": b"\x00"}, 4003),
        ({"type": "websocket.receive", "text": "x" * 201}, 4009),
    ],
)
async def test_close_falls_back_to_4xxx_when_the_server_refuses_the_code(
    consumer: RoomClass,
    event: ASGIReceiveEvent,
    fallback: int,
    caplog: pytest.LogCaptureFixture,
) -> None:
    inbox: asyncio.Queue[ASGIReceiveEvent] = asyncio.Queue()
    send = RecordingSend()
    scope: RoutedWebSocketScope = {
        "type": "websocket",
        "asgi": {"version": "3.0"},
        "path": "/",
        "headers": [],
        "url_route": {"args": (), "kwargs": {}},
    }
    for item in (
        {"type": "websocket.connect"},
        event,
        {"type": "websocket.disconnect", "code": fallback},
    ):
        inbox.put_nowait(item)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    with caplog.at_level(logging.WARNING, logger="typedchannels.websocket"):
        await asyncio.wait_for(consumer.as_asgi()(scope, inbox.get, send), 5)
    close = send.sent[-1]
    assert close["type"] == "websocket.close"
    assert close.get("code") == fallback
    assert f"closed with {fallback}" in caplog.records[0].getMessage()


class Forgiving(Room):
    """Answers bad input with an error message and keeps the connection."""

    async def on_invalid_message(self, error: InvalidFrame) -> None:
        await self.send_json(Problem(detail=str(error)))


async def test_invalid_message_hook_can_keep_the_connection() -> None:
    comm = await connected(Forgiving)
    await comm.send_to(text_data='{"type":"chat.say","text":1}')
    problem = await comm.receive_json_from(type=ServerMsg)
    assert isinstance(problem, Problem)
    assert problem.detail.endswith("at `$.text`")
    await comm.send_json_to(Say(text="still here"))
    assert await comm.receive_json_from(type=ServerMsg) == Said("still here", 0)
    await comm.disconnect()


class Ignoring(Room):
    async def on_invalid_message(self, error: InvalidFrame) -> None:
        pass


async def test_invalid_message_hook_can_ignore() -> None:
    comm = await connected(Ignoring)
    await comm.send_to(bytes_data=b"\xff")
    assert await comm.receive_nothing()
    await comm.disconnect()


class StdlibJson(AsyncJsonWebsocketConsumer):
    """Channels-style hooks with the standard library's json."""

    @classmethod
    async def decode_json(cls, text_data: str) -> JSONValue:
        value: JSONValue = json.loads(text_data)
        return value

    @classmethod
    async def encode_json(cls, content: JSONValue) -> str:
        return json.dumps(content, separators=(",", ":"), sort_keys=True)

    async def receive_json(self, content: JSONValue) -> None:
        await self.send_json({"z": 1, "a": content})


class SyncStdlibJson(JsonWebsocketConsumer):
    @classmethod
    def decode_json(cls, text_data: str) -> JSONValue:
        value: JSONValue = json.loads(text_data)
        return value

    @classmethod
    def encode_json(cls, content: JSONValue) -> str:
        return json.dumps(content, separators=(",", ":"), sort_keys=True)

    def receive_json(self, content: JSONValue) -> None:
        self.send_json({"z": 1, "a": content})


@pytest.mark.parametrize("consumer", [StdlibJson, SyncStdlibJson])
async def test_overridden_hooks_are_used_and_their_errors_are_handled(
    consumer: type[StdlibJson] | type[SyncStdlibJson],
) -> None:
    comm = WebsocketCommunicator(consumer.as_asgi(), "/")
    await comm.connect()
    await comm.send_to(text_data="[1]")
    assert await comm.receive_from() == '{"a":[1],"z":1}'
    await comm.send_to(text_data="{oops")  # json.JSONDecodeError
    close = await comm.receive_output()
    assert close == {
        "type": "websocket.close",
        "code": 1007,
        "reason": "invalid JSON: Expecting property name enclosed in double "
        "quotes: line 1 column 2 (char 1)",
    }
    await comm.disconnect()


class Strict(AsyncJsonWebsocketConsumer[Say, Said]):
    async def receive_json(self, content: Say) -> None:
        msgspec.json.decode(content.text, type=int)  # may raise a ValidationError


async def test_errors_inside_receive_json_are_not_taken_for_bad_input() -> None:
    comm = WebsocketCommunicator(Strict.as_asgi(), "/")
    await comm.connect()
    await comm.send_json_to(Say(text='"not an int"'))
    with pytest.raises(msgspec.ValidationError):
        await comm.receive_output()


@pytest.mark.parametrize("consumer", ROOMS)
async def test_channel_layer_events_reach_typed_handlers(consumer: RoomClass) -> None:
    layer = QueueLayer()
    set_channel_layer(layer)
    instance = consumer()
    comm = WebsocketCommunicator(instance, "/room/")
    await comm.connect()
    await layer.send(instance.channel_name, {"type": "chat.message", "text": "hey"})
    assert await comm.receive_json_from(type=ServerMsg) == Said("hey", -1)
    await comm.disconnect()


class Unlimited(Untyped):
    max_message_size = None


@pytest.mark.parametrize(("consumer", "limited"), [(Untyped, True), (Unlimited, False)])
async def test_max_message_size_defaults_to_1_mib_and_none_means_no_limit(
    consumer: type[Untyped], limited: bool
) -> None:
    comm = WebsocketCommunicator(consumer.as_asgi(), "/")
    await comm.connect()
    await comm.send_to(text_data="[" + "1," * 600_000 + "1]")
    if limited:
        assert (await comm.receive_output()).get("code") == FrameTooLarge.close_code
    else:
        assert await comm.receive_json_from() == {"echo": [1] * 600_001}
    await comm.disconnect()
