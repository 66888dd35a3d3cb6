"""ApplicationCommunicator, WebsocketCommunicator and HttpCommunicator semantics."""

from __future__ import annotations

import asyncio

import msgspec
import pytest
from typing_extensions import assert_type

from typedchannels.generic.websocket import AsyncWebsocketConsumer
from typedchannels.testing import (
    ApplicationCommunicator,
    HttpCommunicator,
    WebsocketCommunicator,
)
from typedchannels.types import BaseScope, HTTPScope, JSONValue, Receive, Send

ANY_SCOPE: BaseScope = {"type": "custom"}


class Point(msgspec.Struct):
    x: int
    y: int


class JsonEcho(AsyncWebsocketConsumer):
    async def receive(
        self, text_data: str | None = None, bytes_data: bytes | None = None
    ) -> None:
        if text_data == "binary":
            await self.send(bytes_data=b"\x01")
        elif text_data is not None:
            await self.send(text_data=text_data)


async def test_json_round_trip_untyped_and_typed() -> None:
    comm = WebsocketCommunicator(JsonEcho.as_asgi(), "/")
    await comm.connect()
    await comm.send_json_to({"x": 1, "y": 2})
    value = await comm.receive_json_from()
    assert_type(value, JSONValue)
    assert value == {"x": 1, "y": 2}
    await comm.send_json_to(Point(3, 4))
    point = await comm.receive_json_from(type=Point)
    assert_type(point, Point)
    assert point == Point(3, 4)
    await comm.send_json_to({"x": "no"})
    with pytest.raises(
        msgspec.ValidationError, match=r"Expected `int`, got `str` - at `\$.x`"
    ):
        await comm.receive_json_from(type=Point)
    await comm.disconnect()


async def test_receive_from_and_json_reject_the_wrong_frames() -> None:
    comm = WebsocketCommunicator(JsonEcho.as_asgi(), "/")
    await comm.connect()
    await comm.send_to(text_data="binary")
    with pytest.raises(AssertionError, match="expected a text frame"):
        await comm.receive_json_from()
    with pytest.raises(ValueError, match="exactly one"):
        await comm.send_to()
    await comm.disconnect()


async def test_scope_is_built_from_the_path() -> None:
    comm = WebsocketCommunicator(
        JsonEcho.as_asgi(),
        "/a%20b/?q=1",
        headers=[(b"origin", b"http://x")],
        subprotocols=["p"],
    )
    assert comm.scope["path"] == "/a b/"
    assert comm.scope.get("query_string") == b"q=1"
    assert comm.scope["url_route"] == {"args": (), "kwargs": {}}
    assert list(comm.scope["headers"]) == [(b"origin", b"http://x")]


async def test_receive_nothing() -> None:
    comm = WebsocketCommunicator(JsonEcho.as_asgi(), "/")
    await comm.connect()
    assert await comm.receive_nothing()
    await comm.send_to(text_data="x")
    assert not await comm.receive_nothing()
    await comm.disconnect()


async def silent(scope: BaseScope, receive: Receive, send: Send) -> None:
    await asyncio.sleep(10)


async def test_timeout_cancels_the_app_and_later_calls_say_so() -> None:
    comm = ApplicationCommunicator(silent, ANY_SCOPE)
    with pytest.raises(TimeoutError, match=r"sent nothing within 0.05s"):
        await comm.receive_output(timeout=0.05)
    assert comm.future.cancelled()
    with pytest.raises(RuntimeError, match="cancelled after a timeout"):
        await comm.receive_output()


async def test_wait_timeout_cancels() -> None:
    comm = ApplicationCommunicator(silent, ANY_SCOPE)
    with pytest.raises(TimeoutError, match="still running"):
        await comm.wait(timeout=0.05)
    assert comm.future.cancelled()


async def broken(scope: BaseScope, receive: Receive, send: Send) -> None:
    await receive()
    raise LookupError("boom")


async def test_app_exception_surfaces_without_waiting_for_the_timeout() -> None:
    comm = ApplicationCommunicator(broken, ANY_SCOPE)
    await comm.send_input({"type": "websocket.connect"})
    loop = asyncio.get_running_loop()
    started = loop.time()
    with pytest.raises(LookupError, match="boom"):
        await comm.receive_output(timeout=5)
    assert loop.time() - started < 1


async def quiet_finish(scope: BaseScope, receive: Receive, send: Send) -> None:
    return


async def test_app_that_ends_without_output() -> None:
    comm = ApplicationCommunicator(quiet_finish, ANY_SCOPE)
    with pytest.raises(TimeoutError, match="finished without sending"):
        await comm.receive_output(timeout=5)


async def streamed(scope: HTTPScope, receive: Receive, send: Send) -> None:
    request = await receive()
    assert request["type"] == "http.request"
    await send(
        {"type": "http.response.start", "status": 201, "headers": [(b"x-a", b"1")]}
    )
    await send({"type": "http.response.body", "body": b"he", "more_body": True})
    await send({"type": "http.response.body", "body": request.get("body", b"")})


async def test_http_communicator_joins_the_body() -> None:
    comm = HttpCommunicator(streamed, "post", "/p?x=1", body=b"llo")
    assert comm.scope["method"] == "POST"
    assert comm.scope["query_string"] == b"x=1"
    response = await comm.get_response()
    assert response == {"status": 201, "headers": [(b"x-a", b"1")], "body": b"hello"}
