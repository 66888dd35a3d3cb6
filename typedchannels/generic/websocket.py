"""WebSocket consumers with Channels' behaviour, typed by the scope they read.

``AsyncWebsocketConsumer`` (handlers are coroutines) and ``WebsocketConsumer``
(handlers run in a worker thread). Both join ``groups`` on connect and leave
them on disconnect, accept from ``connect()`` by default, and hand frames to
``receive(text_data, bytes_data)``. Their ``send`` sends a frame; to send a
raw ASGI event, use the typed ``send_event``.

``AsyncJsonWebsocketConsumer[In, Out]`` and ``JsonWebsocketConsumer[In, Out]``
exchange JSON text frames decoded into ``In`` and encoded from ``Out`` by
msgspec (see ``_json.py`` and docs/json.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from asgiref.sync import async_to_sync
from typing_extensions import TypeVar

from .._dispatch import handler
from ..consumer import BaseConsumer, send_failed
from ..exceptions import (
    AcceptConnection,
    DenyConnection,
    InvalidChannelLayerError,
    InvalidFrame,
    StopConsumer,
)
from ..types import (
    ChannelLayer,
    RoutedWebSocketScope,
    WebSocketConnectEvent,
    WebSocketDisconnectEvent,
    WebSocketOutgoingEvent,
    WebSocketReceiveEvent,
    WebSocketScope,
    WebSocketSendEvent,
)
from ._json import (
    In,
    JsonCodec,
    Out,
    close_reason,
    invalid_frame,
    log_refused,
    logger,
)
from ._websocket_events import (
    REFUSED_CLOSE,
    accept_event,
    close_event,
    fallback_close_code,
    frame_event,
    groups_need_layer,
)

__all__ = [
    "AsyncJsonWebsocketConsumer",
    "AsyncWebsocketConsumer",
    "JsonWebsocketConsumer",
    "WebsocketConsumer",
]

#: The scope a websocket consumer reads; by default one routed by ``URLRouter``.
WebSocketScopeT = TypeVar(
    "WebSocketScopeT", bound=WebSocketScope, default=RoutedWebSocketScope
)


class _WebsocketBase(BaseConsumer[WebSocketScopeT]):
    #: Groups joined on connect and left on disconnect (needs a channel layer).
    groups: ClassVar[Sequence[str]] = ()

    def _group_layer(self) -> ChannelLayer:
        layer = self.channel_layer
        if layer is None:
            raise InvalidChannelLayerError(groups_need_layer(type(self).__qualname__))
        return layer


class AsyncWebsocketConsumer(_WebsocketBase[WebSocketScopeT]):
    """A WebSocket consumer whose handlers are coroutines."""

    @handler
    async def websocket_connect(self, message: WebSocketConnectEvent) -> None:
        """Join ``groups``, then run ``connect()``."""
        if self.groups:
            layer = self._group_layer()
            for group in self.groups:
                await layer.group_add(group, self.channel_name)
        try:
            await self.connect()
        except AcceptConnection:
            await self.accept()
        except DenyConnection:
            await self.close()

    async def connect(self) -> None:
        """Decide on the handshake: accepts by default."""
        await self.accept()

    async def accept(
        self,
        subprotocol: str | None = None,
        headers: Iterable[tuple[bytes, bytes]] | None = None,
    ) -> None:
        """Accept the handshake, optionally choosing a subprotocol."""
        event = accept_event(subprotocol, headers)
        try:
            await self.base_send(event)
        except Exception as exc:
            raise send_failed(event, exc) from exc

    @handler
    async def websocket_receive(self, message: WebSocketReceiveEvent) -> None:
        """Hand the frame to ``receive()``."""
        text = message.get("text")
        if text is not None:
            await self.receive(text_data=text)
        else:
            await self.receive(bytes_data=message.get("bytes"))

    async def receive(
        self, text_data: str | None = None, bytes_data: bytes | None = None
    ) -> None:
        """Handle one frame from the client; exactly one argument is not None."""

    async def send(
        self,
        text_data: str | None = None,
        bytes_data: bytes | None = None,
        close: bool | int = False,
    ) -> None:
        """Send a frame; ``close=True`` (or a close code) closes afterwards."""
        event = frame_event(text_data, bytes_data)
        try:
            await self.base_send(event)
        except Exception as exc:
            raise send_failed(event, exc) from exc
        if close is not False:
            await self.close(close)

    async def send_event(self, event: WebSocketOutgoingEvent) -> None:
        """Send a raw ASGI websocket event."""
        try:
            await self.base_send(event)
        except Exception as exc:
            raise send_failed(event, exc) from exc

    async def close(
        self, code: int | bool | None = None, reason: str | None = None
    ) -> None:
        """Close the socket (before accept: refuse it, an HTTP 403).

        A protocol code the server cannot send (daphne: 1001-1015) is sent as
        4000 + (code - 1000) instead, with a warning, rather than failing.
        """
        await self._close_with_fallback(code, reason)

    async def _close_with_fallback(
        self, code: int | bool | None, reason: str | None
    ) -> int:
        event = close_event(code, reason)
        wanted = event.get("code", 1000)
        try:
            await self.base_send(event)
        except Exception as exc:
            fallback = fallback_close_code(wanted)
            if fallback is None:
                raise send_failed(event, exc) from exc
            logger.warning(REFUSED_CLOSE, wanted, fallback)
            await self.checked_send(close_event(fallback, reason))
            return fallback
        return wanted

    @handler
    async def websocket_disconnect(self, message: WebSocketDisconnectEvent) -> None:
        """Leave ``groups``, run ``disconnect()``, and stop the consumer."""
        if self.groups:
            layer = self._group_layer()
            for group in self.groups:
                await layer.group_discard(group, self.channel_name)
        await self.disconnect(message["code"])
        raise StopConsumer

    async def disconnect(self, code: int) -> None:
        """Clean up after the socket closed with ``code``."""


class WebsocketConsumer(_WebsocketBase[WebSocketScopeT]):
    """A WebSocket consumer whose handlers run (one at a time) in a worker thread."""

    _handlers_in_thread = True

    @handler
    def websocket_connect(self, message: WebSocketConnectEvent) -> None:
        """Join ``groups``, then run ``connect()``."""
        if self.groups:
            layer = self._group_layer()
            for group in self.groups:
                async_to_sync(layer.group_add)(group, self.channel_name)
        try:
            self.connect()
        except AcceptConnection:
            self.accept()
        except DenyConnection:
            self.close()

    def connect(self) -> None:
        """Decide on the handshake: accepts by default."""
        self.accept()

    def accept(
        self,
        subprotocol: str | None = None,
        headers: Iterable[tuple[bytes, bytes]] | None = None,
    ) -> None:
        """Accept the handshake, optionally choosing a subprotocol."""
        async_to_sync(self.checked_send)(accept_event(subprotocol, headers))

    @handler
    def websocket_receive(self, message: WebSocketReceiveEvent) -> None:
        """Hand the frame to ``receive()``."""
        text = message.get("text")
        if text is not None:
            self.receive(text_data=text)
        else:
            self.receive(bytes_data=message.get("bytes"))

    def receive(
        self, text_data: str | None = None, bytes_data: bytes | None = None
    ) -> None:
        """Handle one frame from the client; exactly one argument is not None."""

    def send(
        self,
        text_data: str | None = None,
        bytes_data: bytes | None = None,
        close: bool | int = False,
    ) -> None:
        """Send a frame; ``close=True`` (or a close code) closes afterwards."""
        async_to_sync(self.checked_send)(frame_event(text_data, bytes_data))
        if close is not False:
            self.close(close)

    def send_event(self, event: WebSocketOutgoingEvent) -> None:
        """Send a raw ASGI websocket event."""
        async_to_sync(self.checked_send)(event)

    def close(self, code: int | bool | None = None, reason: str | None = None) -> None:
        """Close the socket (before accept: refuse it, an HTTP 403).

        A protocol code the server cannot send (daphne: 1001-1015) is sent as
        4000 + (code - 1000) instead, with a warning, rather than failing.
        """
        self._close_with_fallback(code, reason)

    def _close_with_fallback(self, code: int | bool | None, reason: str | None) -> int:
        send = async_to_sync(self.checked_send)
        event = close_event(code, reason)
        wanted = event.get("code", 1000)
        try:
            send(event)
        except Exception:
            fallback = fallback_close_code(wanted)
            if fallback is None:
                raise
            logger.warning(REFUSED_CLOSE, wanted, fallback)
            send(close_event(fallback, reason))
            return fallback
        return wanted

    @handler
    def websocket_disconnect(self, message: WebSocketDisconnectEvent) -> None:
        """Leave ``groups``, run ``disconnect()``, and stop the consumer."""
        if self.groups:
            layer = self._group_layer()
            for group in self.groups:
                async_to_sync(layer.group_discard)(group, self.channel_name)
        self.disconnect(message["code"])
        raise StopConsumer

    def disconnect(self, code: int) -> None:
        """Clean up after the socket closed with ``code``."""


class AsyncJsonWebsocketConsumer(
    JsonCodec[In, Out], AsyncWebsocketConsumer[WebSocketScopeT]
):
    """A WebSocket consumer that receives ``In`` and sends ``Out`` as JSON text.

    Override ``receive_json``; call ``send_json``. Bad frames go to
    ``on_invalid_message``.
    """

    @handler
    async def websocket_receive(self, message: WebSocketReceiveEvent) -> None:
        """Decode the frame and hand it to ``receive_json`` (or refuse it)."""
        try:
            if self._custom_decode:
                content = await self._decode_with_hook(message)
            else:
                content = self._decode_frame(message)
        except InvalidFrame as error:
            await self.on_invalid_message(error)
            return
        await self.receive_json(content)

    async def _decode_with_hook(self, message: WebSocketReceiveEvent) -> In:
        text = self._frame_text(message)
        try:
            return await self.decode_json(text)
        except ValueError as exc:  # msgspec.DecodeError, json.JSONDecodeError
            raise invalid_frame(exc) from exc

    async def receive_json(self, content: In) -> None:
        """Handle one decoded message from the client."""

    async def send_json(self, content: Out, close: bool | int = False) -> None:
        """Send ``content`` as a JSON text frame; ``close`` as for ``send``."""
        if self._custom_encode:
            text = await self.encode_json(content)
        else:
            text = self._json_encode(content).decode()
        event: WebSocketSendEvent = {"type": "websocket.send", "text": text}
        try:
            await self.base_send(event)
        except Exception as exc:
            raise send_failed(event, exc) from exc
        if close is not False:
            await self.close(close)

    @classmethod
    async def decode_json(cls, text_data: str) -> In:
        """Decode a text frame into ``In``; override to decode differently.

        Raises:
            ValueError: the text is not a valid ``In`` (``msgspec.DecodeError``,
                ``json.JSONDecodeError`` and ``InvalidFrame`` all are).
        """
        return cls._json_decode(text_data)

    @classmethod
    async def encode_json(cls, content: Out) -> str:
        """Encode ``content`` as JSON text; override to encode differently."""
        return cls._json_encode(content).decode()

    async def on_invalid_message(self, error: InvalidFrame) -> None:
        """Answer a frame that could not become an ``In``.

        By default: log one WARNING line and close with ``error.close_code``
        (1007, 1003 or 1009). Override to keep the connection, e.g. send an
        error message with ``send_json`` (see docs/json.md), or ``pass`` to
        ignore the frame.
        """
        code = await self.close_for(error)
        log_refused(self, self.scope.get("client"), error, code)

    async def close_for(self, error: InvalidFrame) -> int:
        """Close with ``error.close_code``; returns the code used.

        Servers that cannot send that code (daphne raises in ``send`` for
        anything but 1000 and 3000-4999) get ``error.fallback_close_code``.
        """
        return await self._close_with_fallback(error.close_code, close_reason(error))


class JsonWebsocketConsumer(JsonCodec[In, Out], WebsocketConsumer[WebSocketScopeT]):
    """The sync JSON consumer: handlers run (one at a time) in a worker thread."""

    @handler
    def websocket_receive(self, message: WebSocketReceiveEvent) -> None:
        """Decode the frame and hand it to ``receive_json`` (or refuse it)."""
        try:
            if self._custom_decode:
                content = self._decode_with_hook(message)
            else:
                content = self._decode_frame(message)
        except InvalidFrame as error:
            self.on_invalid_message(error)
            return
        self.receive_json(content)

    def _decode_with_hook(self, message: WebSocketReceiveEvent) -> In:
        text = self._frame_text(message)
        try:
            return self.decode_json(text)
        except ValueError as exc:  # msgspec.DecodeError, json.JSONDecodeError
            raise invalid_frame(exc) from exc

    def receive_json(self, content: In) -> None:
        """Handle one decoded message from the client."""

    def send_json(self, content: Out, close: bool | int = False) -> None:
        """Send ``content`` as a JSON text frame; ``close`` as for ``send``."""
        if self._custom_encode:
            text = self.encode_json(content)
        else:
            text = self._json_encode(content).decode()
        async_to_sync(self.checked_send)({"type": "websocket.send", "text": text})
        if close is not False:
            self.close(close)

    @classmethod
    def decode_json(cls, text_data: str) -> In:
        """Decode a text frame into ``In``; override to decode differently.

        Raises:
            ValueError: the text is not a valid ``In``.
        """
        return cls._json_decode(text_data)

    @classmethod
    def encode_json(cls, content: Out) -> str:
        """Encode ``content`` as JSON text; override to encode differently."""
        return cls._json_encode(content).decode()

    def on_invalid_message(self, error: InvalidFrame) -> None:
        """Answer a frame that could not become an ``In``: by default log and close.

        See :meth:`AsyncJsonWebsocketConsumer.on_invalid_message`.
        """
        code = self.close_for(error)
        log_refused(self, self.scope.get("client"), error, code)

    def close_for(self, error: InvalidFrame) -> int:
        """Close with ``error.close_code`` (or its fallback); returns the code used."""
        return self._close_with_fallback(error.close_code, close_reason(error))
