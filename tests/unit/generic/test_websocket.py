"""AsyncWebsocketConsumer and WebsocketConsumer with Channels' behaviour."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import ClassVar

import pytest

from tests.unit.test_consumer import QueueLayer
from typedchannels.exceptions import (
    AcceptConnection,
    DenyConnection,
    InvalidChannelLayerError,
)
from typedchannels.generic.websocket import AsyncWebsocketConsumer, WebsocketConsumer
from typedchannels.layers import set_channel_layer
from typedchannels.testing import WebsocketCommunicator
from typedchannels.types import ASGIReceiveEvent, ASGISendEvent, RoutedWebSocketScope


class AsyncEcho(AsyncWebsocketConsumer):
    async def receive(
        self, text_data: str | None = None, bytes_data: bytes | None = None
    ) -> None:
        if text_data == "close":
            await self.close(code=4001, reason="asked")
        elif text_data is not None:
            await self.send(text_data=text_data.upper())
        else:
            await self.send(bytes_data=bytes_data, close=True)


class SyncEcho(WebsocketConsumer):
    def receive(
        self, text_data: str | None = None, bytes_data: bytes | None = None
    ) -> None:
        if text_data == "close":
            self.close(code=4001, reason="asked")
        elif text_data is not None:
            self.send(text_data=text_data.upper())
        else:
            self.send(bytes_data=bytes_data, close=True)


ECHOES = [AsyncEcho, SyncEcho]


@pytest.mark.parametrize("consumer", ECHOES)
async def test_accepts_and_echoes_text(
    consumer: type[AsyncEcho] | type[SyncEcho],
) -> None:
    comm = WebsocketCommunicator(consumer.as_asgi(), "/echo/")
    connected, subprotocol = await comm.connect()
    assert connected
    assert subprotocol is None
    await comm.send_to(text_data="hi")
    assert await comm.receive_from() == "HI"
    await comm.disconnect()


@pytest.mark.parametrize("consumer", ECHOES)
async def test_bytes_and_send_with_close(
    consumer: type[AsyncEcho] | type[SyncEcho],
) -> None:
    comm = WebsocketCommunicator(consumer.as_asgi(), "/echo/")
    await comm.connect()
    await comm.send_to(bytes_data=b"\x00\x01")
    assert await comm.receive_from() == b"\x00\x01"
    assert await comm.receive_output() == {"type": "websocket.close"}
    await comm.disconnect()


@pytest.mark.parametrize("consumer", ECHOES)
async def test_close_with_code_and_reason(
    consumer: type[AsyncEcho] | type[SyncEcho],
) -> None:
    comm = WebsocketCommunicator(consumer.as_asgi(), "/echo/")
    await comm.connect()
    await comm.send_to(text_data="close")
    assert await comm.receive_output() == {
        "type": "websocket.close",
        "code": 4001,
        "reason": "asked",
    }
    await comm.disconnect()


class Picky(AsyncWebsocketConsumer):
    async def connect(self) -> None:
        protocols = list(self.scope.get("subprotocols", []))
        if "v2" in protocols:
            await self.accept(subprotocol="v2", headers=[(b"x-picked", b"v2")])
        elif "accept" in protocols:
            raise AcceptConnection
        else:
            raise DenyConnection


async def test_accept_with_subprotocol_and_headers() -> None:
    comm = WebsocketCommunicator(Picky.as_asgi(), "/", subprotocols=["v1", "v2"])
    await comm.send_input({"type": "websocket.connect"})
    assert await comm.receive_output() == {
        "type": "websocket.accept",
        "subprotocol": "v2",
        "headers": [(b"x-picked", b"v2")],
    }
    await comm.stop()


async def test_accept_and_deny_by_exception() -> None:
    accepted = WebsocketCommunicator(Picky.as_asgi(), "/", subprotocols=["accept"])
    assert (await accepted.connect()).accepted
    await accepted.disconnect()
    denied = WebsocketCommunicator(Picky.as_asgi(), "/")
    result = await denied.connect()
    assert not result.accepted
    assert result.close_code == 1000
    await denied.stop()


class Grouped(AsyncWebsocketConsumer):
    groups = ("lobby", "all")


class SyncGrouped(WebsocketConsumer):
    groups = ("lobby", "all")


class RecordingLayer(QueueLayer):
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[str, str, str]] = []

    async def group_add(self, group: str, channel: str) -> None:
        self.calls.append(("add", group, channel))

    async def group_discard(self, group: str, channel: str) -> None:
        self.calls.append(("discard", group, channel))


@pytest.mark.parametrize("consumer", [Grouped, SyncGrouped])
async def test_groups_joined_on_connect_and_left_on_disconnect(
    consumer: type[Grouped] | type[SyncGrouped],
) -> None:
    layer = RecordingLayer()
    set_channel_layer(layer)
    comm = WebsocketCommunicator(consumer.as_asgi(), "/")
    await comm.connect()
    await comm.disconnect()
    channel = layer.calls[0][2]
    assert layer.calls == [
        ("add", "lobby", channel),
        ("add", "all", channel),
        ("discard", "lobby", channel),
        ("discard", "all", channel),
    ]


@pytest.mark.parametrize("consumer", [Grouped, SyncGrouped])
async def test_groups_without_a_layer_is_a_clear_error(
    consumer: type[Grouped] | type[SyncGrouped],
) -> None:
    comm = WebsocketCommunicator(consumer.as_asgi(), "/")
    await comm.send_input({"type": "websocket.connect"})
    with pytest.raises(
        InvalidChannelLayerError, match=r"groups is set but no channel layer"
    ):
        await comm.wait()


class Disconnects(AsyncWebsocketConsumer):
    codes: ClassVar[list[int]] = []

    async def disconnect(self, code: int) -> None:
        self.codes.append(code)


async def test_disconnect_gets_the_code_and_stops_the_consumer() -> None:
    comm = WebsocketCommunicator(Disconnects.as_asgi(), "/")
    await comm.connect()
    await comm.disconnect(code=4321)
    assert Disconnects.codes == [4321]
    assert comm.future.done()


class Relay(AsyncWebsocketConsumer):
    async def chat_message(self, event: Mapping[str, object]) -> None:
        await self.send(text_data=str(event["text"]))


async def test_layer_events_reach_websocket_handlers() -> None:
    layer = QueueLayer()
    set_channel_layer(layer)
    consumer = Relay()
    comm = WebsocketCommunicator(consumer, "/")
    await comm.connect()
    await layer.send(
        consumer.channel_name, {"type": "chat.message", "text": "from layer"}
    )
    assert await comm.receive_from() == "from layer"
    await comm.disconnect()


async def test_send_without_data_is_an_error() -> None:
    class Empty(AsyncWebsocketConsumer):
        async def receive(
            self, text_data: str | None = None, bytes_data: bytes | None = None
        ) -> None:
            await self.send()

    comm = WebsocketCommunicator(Empty.as_asgi(), "/")
    await comm.connect()
    await comm.send_to(text_data="x")
    with pytest.raises(ValueError, match="text_data or bytes_data"):
        await comm.wait()


async def test_close_and_accept_are_not_layer_handlers() -> None:
    layer = QueueLayer()
    set_channel_layer(layer)
    consumer = Relay()
    comm = WebsocketCommunicator(consumer, "/")
    await comm.connect()
    await layer.send(consumer.channel_name, {"type": "close"})
    with pytest.raises(Exception, match="no handler for message type 'close'"):
        await comm.wait()


class DaphneLikeSend:
    """A server send that, like daphne's, raises for close codes it cannot send."""

    def __init__(self) -> None:
        self.sent: list[ASGISendEvent] = []

    async def __call__(self, event: ASGISendEvent) -> None:
        if event["type"] == "websocket.close":
            code = event.get("code", 1000)
            if code != 1000 and not 3000 <= code <= 4999:
                raise ValueError(f"invalid close code {code}")
        self.sent.append(event)


class ClosesWith(AsyncWebsocketConsumer):
    async def receive(
        self, text_data: str | None = None, bytes_data: bytes | None = None
    ) -> None:
        await self.close(code=int(text_data or "1000"), reason="bye")


class SyncClosesWith(WebsocketConsumer):
    def receive(
        self, text_data: str | None = None, bytes_data: bytes | None = None
    ) -> None:
        self.close(code=int(text_data or "1000"), reason="bye")


async def _close_through_daphne(
    consumer: type[ClosesWith] | type[SyncClosesWith], code: str
) -> list[ASGISendEvent]:
    send = DaphneLikeSend()
    events: list[ASGIReceiveEvent] = [
        {"type": "websocket.connect"},
        {"type": "websocket.receive", "text": code},
        {"type": "websocket.disconnect", "code": 1000},
    ]

    async def receive() -> ASGIReceiveEvent:
        return events.pop(0)

    await consumer.as_asgi()(ROUTED_SCOPE, receive, send)
    return send.sent


ROUTED_SCOPE: RoutedWebSocketScope = {
    "type": "websocket",
    "asgi": {"version": "3.0"},
    "path": "/",
    "headers": [],
    "url_route": {"args": (), "kwargs": {}},
}


@pytest.mark.parametrize("consumer", [ClosesWith, SyncClosesWith])
async def test_a_protocol_close_code_the_server_refuses_falls_back(
    consumer: type[ClosesWith] | type[SyncClosesWith], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="typedchannels.websocket"):
        sent = await _close_through_daphne(consumer, "1008")
    assert sent[-1] == {"type": "websocket.close", "code": 4008, "reason": "bye"}
    assert "refused close code 1008; closed with 4008" in caplog.text


@pytest.mark.parametrize("consumer", [ClosesWith, SyncClosesWith])
async def test_codes_the_server_accepts_are_sent_unchanged(
    consumer: type[ClosesWith] | type[SyncClosesWith],
) -> None:
    sent = await _close_through_daphne(consumer, "4321")
    assert sent[-1] == {"type": "websocket.close", "code": 4321, "reason": "bye"}


@pytest.mark.parametrize("consumer", [ClosesWith, SyncClosesWith])
async def test_a_code_no_application_may_send_is_a_clear_error(
    consumer: type[ClosesWith] | type[SyncClosesWith],
) -> None:
    with pytest.raises(ValueError, match="close code 2500 is not one an application"):
        await _close_through_daphne(consumer, "2500")


class ClosedAfterDisconnect:
    """A server whose client has gone: every send raises, as daphne's does."""

    def __init__(self) -> None:
        self.closed = False
        self.sent: list[ASGISendEvent] = []
        self.accepted = asyncio.Event()

    async def __call__(self, event: ASGISendEvent) -> None:
        if self.closed:
            raise RuntimeError("Attempt to send on a closed protocol")
        self.sent.append(event)
        self.accepted.set()


class Member(AsyncWebsocketConsumer):
    groups = ("room",)
    left: ClassVar[list[int]] = []

    async def room_news(self, event: Mapping[str, object]) -> None:
        await self.send(text_data=str(event["text"]))

    async def disconnect(self, code: int) -> None:
        self.left.append(code)


async def test_a_send_to_a_gone_client_does_not_skip_the_disconnect_cleanup(
    caplog: pytest.LogCaptureFixture,
) -> None:
    layer = RecordingLayer()
    set_channel_layer(layer)
    server = ClosedAfterDisconnect()
    inbox: asyncio.Queue[ASGIReceiveEvent] = asyncio.Queue()
    consumer = Member()
    task = asyncio.ensure_future(consumer(ROUTED_SCOPE, inbox.get, server))
    await inbox.put({"type": "websocket.connect"})
    await asyncio.wait_for(server.accepted.wait(), 5)
    # The client goes away; a layer message is handled before the disconnect.
    server.closed = True
    with caplog.at_level(logging.WARNING, logger="typedchannels.consumer"):
        await layer.send(consumer.channel_name, {"type": "room.news", "text": "late"})
        await asyncio.sleep(0.05)
        await inbox.put({"type": "websocket.disconnect", "code": 1001})
        await asyncio.wait_for(task, 5)
    assert "the server refused 'websocket.send'" in caplog.text
    assert Member.left == [1001]
    assert ("discard", "room", consumer.channel_name) in layer.calls
