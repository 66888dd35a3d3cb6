"""Typing tests for AsyncHttpConsumer: typed headers, bodies and events.

Checked by mypy --strict and pyright strict, never run. A line marked
``# type: ignore[code]  # pyright: ignore[rule]`` must be an error in both.
"""

from __future__ import annotations

from typing_extensions import assert_type

from typedchannels.generic.http import AsyncHttpConsumer, ServerSentEvent
from typedchannels.types import HTTPScope, RoutedHTTPScope


class Page(AsyncHttpConsumer):
    async def handle(self, body: bytes) -> None:
        assert_type(self.scope, RoutedHTTPScope)
        assert_type(self.scope["method"], str)
        await self.send_headers(status=200, headers=[(b"content-type", b"text/html")])
        await self.send_headers(headers={b"content-type": b"text/html"})
        await self.send_body(b"<p>hi</p>", more_body=True)
        await self.send_response(200, b"ok", headers={b"x": b"y"})
        # misuse: http-headers-not-bytes: HTTP headers given as str, not bytes
        await self.send_headers(headers=[("content-type", "text/html")])  # type: ignore[list-item]  # pyright: ignore[reportArgumentType]
        # misuse: http-body-not-bytes: an HTTP body given as str, not bytes
        await self.send_body("text")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
        # misuse: http-response-args-swapped: `send_response(body, status)`: arguments swapped
        await self.send_response(b"ok", 200)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


class Stream(AsyncHttpConsumer[HTTPScope]):
    async def handle(self, body: bytes) -> None:
        assert_type(self.scope, HTTPScope)
        await self.start_event_stream()
        await self.send_sse(ServerSentEvent(data="x", event="tick", retry=100))
        # misuse: sse-not-an-event: `send_sse()` with a str instead of a `ServerSentEvent`
        await self.send_sse("x")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
