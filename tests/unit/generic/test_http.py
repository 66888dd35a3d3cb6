"""AsyncHttpConsumer: body gathering, responses, disconnects, server-sent events."""

from __future__ import annotations

from typing import ClassVar

import pytest

from examples.sse_clock import demo
from typedchannels.generic.http import (
    AsyncHttpConsumer,
    HeadersArg,
    ServerSentEvent,
    encode_sse,
)
from typedchannels.testing import ApplicationCommunicator, HttpCommunicator
from typedchannels.types import RoutedHTTPScope


class Echo(AsyncHttpConsumer):
    headers: ClassVar[HeadersArg] = [(b"content-type", b"text/plain")]

    def __init__(self) -> None:
        self.events: list[str] = []

    async def handle(self, body: bytes) -> None:
        self.events.append("handle")
        if body == b"boom":
            raise RuntimeError("boom")
        await self.send_response(201, body.upper(), headers=self.headers)

    async def disconnect(self) -> None:
        self.events.append("disconnect")


class DictHeaders(Echo):
    headers: ClassVar[HeadersArg] = {b"content-type": b"text/plain", b"x-n": b"1"}


@pytest.mark.parametrize("consumer", [Echo, DictHeaders])
async def test_response_with_list_or_dict_headers(consumer: type[Echo]) -> None:
    response = await HttpCommunicator(
        consumer.as_asgi(), "POST", "/", b"hi"
    ).get_response()
    assert response["status"] == 201
    assert response["body"] == b"HI"
    assert (b"content-type", b"text/plain") in response["headers"]


def scope() -> RoutedHTTPScope:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "path": "/",
        "query_string": b"",
        "headers": [],
        "url_route": {"args": (), "kwargs": {}},
    }


async def test_body_chunks_are_joined_before_handle() -> None:
    consumer = Echo()
    comm = ApplicationCommunicator(consumer, scope())
    await comm.send_input({"type": "http.request", "body": b"ab", "more_body": True})
    await comm.send_input({"type": "http.request", "body": b"c", "more_body": True})
    assert await comm.receive_nothing()
    assert consumer.events == []
    await comm.send_input({"type": "http.request", "body": b"d"})
    assert (await comm.receive_output())["type"] == "http.response.start"
    assert await comm.receive_output() == {
        "type": "http.response.body",
        "body": b"ABCD",
        "more_body": False,
    }
    await comm.wait()
    assert consumer.events == ["handle", "disconnect"]


async def test_client_leaving_mid_body_runs_disconnect_and_stops() -> None:
    consumer = Echo()
    comm = ApplicationCommunicator(consumer, scope())
    await comm.send_input({"type": "http.request", "body": b"a", "more_body": True})
    await comm.send_input({"type": "http.disconnect"})
    await comm.wait()
    assert consumer.events == ["disconnect"]


async def test_exceptions_from_handle_propagate_after_disconnect() -> None:
    consumer = Echo()
    comm = HttpCommunicator(consumer, "POST", "/", b"boom")
    with pytest.raises(RuntimeError, match="boom"):
        await comm.get_response()
    assert consumer.events == ["handle", "disconnect"]


class NoHandle(AsyncHttpConsumer):
    pass


async def test_handle_must_be_defined() -> None:
    comm = HttpCommunicator(NoHandle.as_asgi(), "GET", "/")
    with pytest.raises(NotImplementedError, match="handle"):
        await comm.get_response()


class Streams(AsyncHttpConsumer):
    async def handle(self, body: bytes) -> None:
        await self.start_event_stream(headers={b"cache-control": b"no-store"})
        await self.send_sse(ServerSentEvent(data="one\ntwo", event="note", id="1"))
        await self.send_sse(ServerSentEvent(data="", retry=500), last=True)


async def test_event_stream_sends_typed_events() -> None:
    response = await HttpCommunicator(Streams.as_asgi(), "GET", "/").get_response()
    assert response["headers"] == [
        (b"cache-control", b"no-store"),
        (b"content-type", b"text/event-stream; charset=utf-8"),
    ]
    assert response["body"] == (
        b"event: note\nid: 1\ndata: one\ndata: two\n\nretry: 500\ndata: \n\n"
    )


@pytest.mark.parametrize(
    "event",
    [
        ServerSentEvent(data="x", event="a\nevent: forged"),
        ServerSentEvent(data="x", id="1\r2"),
        ServerSentEvent(data="x", id="1\x002"),
    ],
)
def test_event_and_id_cannot_forge_fields(event: ServerSentEvent) -> None:
    with pytest.raises(ValueError, match="line breaks"):
        encode_sse(event)


class SendsText(AsyncHttpConsumer):
    async def handle(self, body: bytes) -> None:
        text: object = "not bytes"
        await self.send_body(text)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


async def test_body_must_be_bytes() -> None:
    with pytest.raises(TypeError, match="body must be bytes"):
        await HttpCommunicator(SendsText.as_asgi(), "GET", "/").get_response()


async def test_sse_example_streams_a_countdown() -> None:
    body = (await demo()).decode()
    assert body.split("\n\n")[:3] == [
        'event: tick\nid: 2\ndata: {"remaining":2}',
        'event: tick\nid: 1\ndata: {"remaining":1}',
        "event: done\ndata: liftoff",
    ]
