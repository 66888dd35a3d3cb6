"""A test client for WebSocket apps: connect, frames, JSON, disconnect."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple, cast, overload
from urllib.parse import unquote, urlsplit

import msgspec
from typing_extensions import TypeForm, TypeVar

from ..types import ASGIApp, JSONValue, RoutedWebSocketScope, URLRoute
from ._application import ApplicationCommunicator, empty_route

_T = TypeVar("_T")
_K = TypeVar("_K", default=dict[str, object])


class ConnectResult(NamedTuple):
    """What ``connect()`` saw: accepted, with the subprotocol; or refused, with a code."""

    accepted: bool
    #: The chosen subprotocol when accepted; the close code when refused.
    detail: str | int | None

    @property
    def subprotocol(self) -> str | None:
        return self.detail if self.accepted and isinstance(self.detail, str) else None

    @property
    def close_code(self) -> int | None:
        return (
            None if self.accepted or not isinstance(self.detail, int) else self.detail
        )


class WebsocketCommunicator(ApplicationCommunicator[RoutedWebSocketScope[_K]]):
    """Talks to a WebSocket app as a client would, with Channels' method names.

    The scope carries an empty ``url_route`` unless one is given, so a consumer
    that reads ``url_route`` can be tested without a router.
    """

    #: Whether ``connect()`` saw the handshake accepted.
    connected: bool

    def __init__(
        self,
        application: ASGIApp[RoutedWebSocketScope[_K]],
        path: str,
        headers: Iterable[tuple[bytes, bytes]] | None = None,
        subprotocols: Iterable[str] | None = None,
        spec_version: str | None = None,
        url_route: URLRoute[_K] | None = None,
    ) -> None:
        parts = urlsplit(path)
        route: URLRoute[_K] = (
            url_route
            if url_route is not None
            # A consumer declaring kwargs and tested without a router finds
            # them missing, as it would at run time.
            else cast("URLRoute[_K]", empty_route())
        )
        scope: RoutedWebSocketScope[_K] = {
            "type": "websocket",
            "asgi": {"version": "3.0", "spec_version": spec_version or "2.4"},
            "path": unquote(parts.path),
            "raw_path": parts.path.encode("latin-1", "replace"),
            "query_string": parts.query.encode("latin-1", "replace"),
            "root_path": "",
            "headers": list(headers or []),
            "subprotocols": list(subprotocols or []),
            "url_route": route,
        }
        super().__init__(application, scope)
        self.connected = False

    async def connect(self, timeout: float = 1) -> ConnectResult:
        """Open the socket: ``(True, subprotocol)`` or ``(False, close_code)``."""
        await self.send_input({"type": "websocket.connect"})
        response = await self.receive_output(timeout)
        if response["type"] == "websocket.close":
            return ConnectResult(False, response.get("code", 1000))
        if response["type"] == "websocket.http.response.start":
            return ConnectResult(False, response["status"])
        if response["type"] != "websocket.accept":
            raise AssertionError(
                f"expected websocket.accept or close, got {response!r}"
            )
        self.connected = True
        return ConnectResult(True, response.get("subprotocol"))

    async def send_to(
        self, text_data: str | None = None, bytes_data: bytes | None = None
    ) -> None:
        """Send one frame, text or binary."""
        if (text_data is None) == (bytes_data is None):
            raise ValueError("send_to() takes exactly one of text_data and bytes_data")
        if text_data is not None:
            await self.send_input({"type": "websocket.receive", "text": text_data})
        else:
            await self.send_input({"type": "websocket.receive", "bytes": bytes_data})

    async def send_json_to(self, data: object) -> None:
        """Send ``data`` encoded as a JSON text frame (msgspec types welcome)."""
        await self.send_to(text_data=msgspec.json.encode(data).decode())

    async def receive_from(self, timeout: float = 1) -> str | bytes:
        """The next frame the app sent.

        Raises:
            AssertionError: the app sent something other than a frame.
        """
        response = await self.receive_output(timeout)
        if response["type"] != "websocket.send":
            raise AssertionError(f"expected websocket.send, got {response!r}")
        text = response.get("text")
        if text is not None:
            return text
        data = response.get("bytes")
        if data is None:
            raise AssertionError(
                f"websocket.send has neither text nor bytes: {response!r}"
            )
        return data

    @overload
    async def receive_json_from(self, timeout: float = 1) -> JSONValue: ...
    @overload
    async def receive_json_from(
        self, timeout: float = 1, *, type: TypeForm[_T]
    ) -> _T: ...
    async def receive_json_from(
        self, timeout: float = 1, *, type: TypeForm[_T] | None = None
    ) -> JSONValue | _T:
        """The next text frame, decoded as JSON (into ``type`` if given).

        Raises:
            AssertionError: a binary frame arrived.
            msgspec.ValidationError: the JSON does not fit ``type``.
        """
        payload = await self.receive_from(timeout)
        if not isinstance(payload, str):
            raise AssertionError(f"expected a text frame, got bytes {payload!r}")
        if type is None:
            value: JSONValue = msgspec.json.decode(payload)
            return value
        decoded: _T = msgspec.json.decode(payload, type=type)
        return decoded

    async def disconnect(self, code: int = 1000, timeout: float = 1) -> None:
        """Close from the client side and wait for the app to finish."""
        await self.send_input({"type": "websocket.disconnect", "code": code})
        await self.wait(timeout)
