"""The HTTP consumer: gather the request body, ``handle`` it, send a response.

``AsyncHttpConsumer`` behaves as Channels' does: body chunks are joined until
``more_body`` is false, then ``handle(body)`` runs, then ``disconnect()``;
the response goes out through ``send_headers``/``send_body`` or
``send_response``. Exceptions from ``handle`` propagate to the server.

For streaming, ``start_event_stream`` and ``send_sse`` write server-sent
events (``text/event-stream``) from typed :class:`ServerSentEvent` values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Union, cast

from typing_extensions import TypeAlias, TypeVar

from .._dispatch import handler
from ..consumer import AsyncConsumer
from ..db import aclose_old_connections, connection_watch
from ..exceptions import StopConsumer
from ..types import HTTPDisconnectEvent, HTTPRequestEvent, HTTPScope, RoutedHTTPScope

__all__ = ["AsyncHttpConsumer", "HeadersArg", "ServerSentEvent", "encode_sse"]

#: The scope an HTTP consumer reads; by default one routed by ``URLRouter``.
HTTPScopeT = TypeVar("HTTPScopeT", bound=HTTPScope, default=RoutedHTTPScope)

#: Response headers: ``(name, value)`` byte pairs, or a dict of them.
HeadersArg: TypeAlias = Union[
    Iterable[tuple[bytes, bytes]], Mapping[bytes, bytes], None
]


def _header_list(headers: HeadersArg) -> list[tuple[bytes, bytes]]:
    if headers is None:
        return []
    if isinstance(headers, Mapping):
        # A Mapping[bytes, bytes] (the checkers cannot tell which Mapping).
        return list(cast("Mapping[bytes, bytes]", headers).items())
    return list(headers)


def _is_bytes(value: object) -> bool:
    return isinstance(value, bytes)


@dataclass(frozen=True)
class ServerSentEvent:
    """One server-sent event; ``data`` may span lines, the other fields may not."""

    data: str
    event: str | None = None
    id: str | None = None
    #: Reconnection delay the client should use, in milliseconds.
    retry: int | None = None


def encode_sse(message: ServerSentEvent) -> bytes:
    """The event in the ``text/event-stream`` wire format.

    Raises:
        ValueError: ``event`` or ``id`` contains a line break (or ``id`` a NUL),
            which would let one event forge another.
    """
    lines: list[str] = []
    for field, value in (("event", message.event), ("id", message.id)):
        if value is None:
            continue
        if "\n" in value or "\r" in value or (field == "id" and "\0" in value):
            raise ValueError(f"server-sent event {field} cannot contain line breaks")
        lines.append(f"{field}: {value}")
    if message.retry is not None:
        lines.append(f"retry: {int(message.retry)}")
    lines.extend(f"data: {line}" for line in message.data.splitlines() or [""])
    return ("\n".join(lines) + "\n\n").encode()


class AsyncHttpConsumer(AsyncConsumer[HTTPScopeT]):
    """An HTTP consumer whose handlers are coroutines; override ``handle``."""

    _body: list[bytes] | None = None

    async def handle(self, body: bytes) -> None:
        """Answer the request whose complete body is ``body``.

        Raises:
            NotImplementedError: not overridden.
        """
        raise NotImplementedError(f"{type(self).__qualname__} must define handle()")

    async def disconnect(self) -> None:
        """Clean up after the response (or after the client left); send nothing."""

    async def send_headers(
        self, *, status: int = 200, headers: HeadersArg = None
    ) -> None:
        """Start the response. The server sends it with the first body chunk."""
        await self.send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": _header_list(headers),
            }
        )

    async def send_body(self, body: bytes, *, more_body: bool = False) -> None:
        """Send a body chunk; ``more_body=True`` keeps the response open.

        Raises:
            TypeError: ``body`` is not bytes.
        """
        if not _is_bytes(body):  # for callers without a type checker
            raise TypeError(f"body must be bytes, not {type(body).__name__}")
        await self.send(
            {"type": "http.response.body", "body": body, "more_body": more_body}
        )

    async def send_response(
        self, status: int, body: bytes, *, headers: HeadersArg = None
    ) -> None:
        """Send a whole response at once (call it once)."""
        await self.send_headers(status=status, headers=headers)
        await self.send_body(body)

    async def start_event_stream(
        self, *, status: int = 200, headers: HeadersArg = None
    ) -> None:
        """Start a ``text/event-stream`` response; follow with ``send_sse``."""
        extra = _header_list(headers)
        names = {name.lower() for name, _ in extra}
        defaults = [
            (b"content-type", b"text/event-stream; charset=utf-8"),
            (b"cache-control", b"no-cache"),
        ]
        extra += [pair for pair in defaults if pair[0] not in names]
        await self.send_headers(status=status, headers=extra)

    async def send_sse(self, message: ServerSentEvent, *, last: bool = False) -> None:
        """Send one event; ``last=True`` ends the response after it.

        Raises:
            ValueError: see :func:`encode_sse`.
        """
        await self.send_body(encode_sse(message), more_body=not last)

    @handler
    async def http_request(self, message: HTTPRequestEvent) -> None:
        """Collect a body chunk; after the last one, ``handle`` the whole body."""
        chunk = message.get("body", b"")
        if message.get("more_body", False):
            if self._body is None:
                self._body = []
            self._body.append(chunk)
            return
        if self._body is not None:
            self._body.append(chunk)
            chunk = b"".join(self._body)
            self._body = None
        try:
            await self.handle(chunk)
        finally:
            await self.disconnect()
        raise StopConsumer

    @handler
    async def http_disconnect(self, message: HTTPDisconnectEvent) -> None:
        """The client went away: run ``disconnect`` and stop."""
        await self.disconnect()
        if connection_watch.due():
            await aclose_old_connections()
        raise StopConsumer
