"""A typed JSON chat room: declared messages in and out, checked by mypy/pyright.

Route it with ``path("ws/chat/", ChatRoom.as_asgi())``. ``python -m
examples.json_chat`` runs a short conversation without a server.
"""

from __future__ import annotations

import asyncio
from typing import Union

import msgspec
from typing_extensions import TypeAlias, assert_never

from typedchannels.exceptions import InvalidFrame
from typedchannels.generic.websocket import AsyncJsonWebsocketConsumer
from typedchannels.testing import WebsocketCommunicator

# --- what clients send ------------------------------------------------------


class Join(
    msgspec.Struct, tag_field="type", tag="chat.join", forbid_unknown_fields=True
):
    name: str


class Say(msgspec.Struct, tag_field="type", tag="chat.say", forbid_unknown_fields=True):
    text: str


ClientMessage: TypeAlias = Union[Join, Say]

# --- what the server sends --------------------------------------------------


class Joined(msgspec.Struct, tag_field="type", tag="chat.joined"):
    name: str


class Said(msgspec.Struct, tag_field="type", tag="chat.said"):
    name: str
    text: str


class Error(msgspec.Struct, tag_field="type", tag="error"):
    detail: str


ServerMessage: TypeAlias = Union[Joined, Said, Error]


class ChatRoom(AsyncJsonWebsocketConsumer[ClientMessage, ServerMessage]):
    """Echoes chat lines with the sender's name; invalid frames close the socket."""

    name = "anonymous"

    async def receive_json(self, content: ClientMessage) -> None:
        match content:
            case Join(name=name):
                self.name = name
                await self.send_json(Joined(name=name))
            case Say(text=text):
                await self.send_json(Said(name=self.name, text=text))
            case _:
                assert_never(content)


class ForgivingChatRoom(ChatRoom):
    """The same room, but bad frames get an error message and the socket stays open."""

    async def on_invalid_message(self, error: InvalidFrame) -> None:
        await self.send_json(Error(detail=str(error)))


async def demo() -> list[ServerMessage]:
    """One client joins, says something, then sends a frame of the wrong shape."""
    replies: list[ServerMessage] = []
    comm = WebsocketCommunicator(ForgivingChatRoom.as_asgi(), "/ws/chat/")
    await comm.connect()
    await comm.send_json_to(Join(name="ada"))
    await comm.send_json_to(Say(text="hello"))
    await comm.send_to(text_data='{"type": "chat.say", "text": 42}')
    for _ in range(3):
        replies.append(await comm.receive_json_from(type=ServerMessage))
    await comm.disconnect()
    return replies


if __name__ == "__main__":
    for reply in asyncio.run(demo()):
        print(reply)
