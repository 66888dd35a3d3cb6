"""WebSocket consumers with Channels' behaviour, typed by the scope they read.

``AsyncWebsocketConsumer`` (handlers are coroutines) and ``WebsocketConsumer``
(handlers run in a worker thread). Both join ``groups`` on connect and leave
them on disconnect, accept from ``connect()`` by default, and hand frames to
``receive(text_data, bytes_data)``. Their ``send`` sends a frame; to send a
raw ASGI event, use the typed ``send_event``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from asgiref.sync import async_to_sync
from typing_extensions import TypeVar

from .._dispatch import handler
from ..consumer import BaseConsumer
from ..exceptions import (
    AcceptConnection,
    DenyConnection,
    InvalidChannelLayerError,
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
)
from ._websocket_events import accept_event, close_event, frame_event, groups_need_layer

__all__ = ["AsyncWebsocketConsumer", "WebsocketConsumer"]

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
        await self.base_send(accept_event(subprotocol, headers))

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
        await self.base_send(frame_event(text_data, bytes_data))
        if close is not False:
            await self.close(close)

    async def send_event(self, event: WebSocketOutgoingEvent) -> None:
        """Send a raw ASGI websocket event."""
        await self.base_send(event)

    async def close(
        self, code: int | bool | None = None, reason: str | None = None
    ) -> None:
        """Close the socket (before accept: refuse it, an HTTP 403)."""
        await self.base_send(close_event(code, reason))

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
        async_to_sync(self.base_send)(accept_event(subprotocol, headers))

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
        async_to_sync(self.base_send)(frame_event(text_data, bytes_data))
        if close is not False:
            self.close(close)

    def send_event(self, event: WebSocketOutgoingEvent) -> None:
        """Send a raw ASGI websocket event."""
        async_to_sync(self.base_send)(event)

    def close(self, code: int | bool | None = None, reason: str | None = None) -> None:
        """Close the socket (before accept: refuse it, an HTTP 403)."""
        async_to_sync(self.base_send)(close_event(code, reason))

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
