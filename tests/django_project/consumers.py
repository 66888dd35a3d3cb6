"""Consumers of the test project."""

from __future__ import annotations

from typedchannels.generic.websocket import AsyncWebsocketConsumer
from typedchannels.types import RoutedAuthWebSocketScope


class WhoAmI(AsyncWebsocketConsumer[RoutedAuthWebSocketScope]):
    """Accepts, then sends the user's name ("" when anonymous)."""

    async def connect(self) -> None:
        await self.accept()
        user = self.scope["user"]
        await self.send(text_data=user.get_username() if user.is_authenticated else "")


class Echo(AsyncWebsocketConsumer):
    """Sends every text frame back."""

    async def receive(
        self, text_data: str | None = None, bytes_data: bytes | None = None
    ) -> None:
        await self.send(text_data=text_data, bytes_data=bytes_data)
