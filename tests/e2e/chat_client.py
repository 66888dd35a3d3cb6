"""A websocket client that speaks the chat demo's protocol (for the e2e tests)."""

from __future__ import annotations

import asyncio
import json
from typing import TypeVar

import msgspec
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Origin

from examples.chat.messages import Presence, ServerMsg, Welcome

_M = TypeVar("_M")

#: How long a test waits for an expected frame.
WAIT = 5.0

_decode = msgspec.json.Decoder(ServerMsg).decode


class ChatClient:
    """One connection to ``ws://127.0.0.1:<port>/ws/chat/<room>/``."""

    socket: ClientConnection
    you: str

    def __init__(self, port: int, room: str) -> None:
        self.url = f"ws://127.0.0.1:{port}/ws/chat/{room}/"
        self.origin = Origin(f"http://127.0.0.1:{port}")

    async def __aenter__(self) -> ChatClient:
        self.socket = await connect(self.url, origin=self.origin, open_timeout=WAIT)
        welcome = await self.next(Welcome)
        self.you = welcome.you
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.socket.close()

    async def next(self, kind: type[_M]) -> _M:
        """The next frame of type ``kind`` (others are skipped)."""
        return await asyncio.wait_for(self._next(kind), WAIT)

    async def _next(self, kind: type[_M]) -> _M:
        while True:
            raw = await self.socket.recv()
            assert isinstance(raw, str)
            message = _decode(raw)
            if isinstance(message, kind):
                return message

    async def presence(self, *names: str) -> None:
        """Wait until the presence list is exactly ``names``."""
        while (await self.next(Presence)).users != sorted(names):
            pass

    async def send(self, **frame: object) -> None:
        await self.socket.send(json.dumps(frame))

    async def close_code(self) -> int | None:
        """Read until the server closes; the close code it sent."""
        await asyncio.wait_for(self.socket.wait_closed(), WAIT)
        return self.socket.close_code
