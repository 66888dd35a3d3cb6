"""Typing tests for the JSON consumers: In/Out flow into receive_json/send_json.

Checked by mypy --strict and pyright strict, never run. A line marked
``# type: ignore[code]  # pyright: ignore[rule]`` must be an error in both
checkers: an ignore that stops being needed fails the build.
"""

from __future__ import annotations

from typing import Union

import msgspec
from typing_extensions import TypeAlias, assert_never, assert_type

from typedchannels.exceptions import InvalidFrame
from typedchannels.generic.websocket import (
    AsyncJsonWebsocketConsumer,
    JsonWebsocketConsumer,
)
from typedchannels.types import JSONValue, RoutedWebSocketScope, WebSocketScope


class Join(msgspec.Struct, tag_field="type", tag="join"):
    room: str


class Say(msgspec.Struct, tag_field="type", tag="chat.say"):
    text: str


class Joined(msgspec.Struct, tag_field="type", tag="joined"):
    room: str


class Said(msgspec.Struct, tag_field="type", tag="said"):
    text: str


ClientMsg: TypeAlias = Union[Join, Say]
ServerMsg: TypeAlias = Union[Joined, Said]


class Room(AsyncJsonWebsocketConsumer[ClientMsg, ServerMsg]):
    async def receive_json(self, content: ClientMsg) -> None:
        assert_type(content, Union[Join, Say])
        assert_type(self.scope, RoutedWebSocketScope)
        match content:
            case Join(room=room):
                await self.send_json(Joined(room=room))
            case Say(text=text):
                await self.send_json(Said(text=text), close=True)
            case _:
                assert_never(content)

    async def wrong_sends(self) -> None:
        # misuse: json-send-wrong-message: `send_json()` with a message of the incoming type
        await self.send_json(Join(room="x"))  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
        # misuse: json-send-raw-dict: `send_json()` with a raw dict instead of a message Struct
        await self.send_json({"type": "said", "text": "x"})  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]

    async def on_invalid_message(self, error: InvalidFrame) -> None:
        assert_type(error.close_code, int)
        await self.send_json(Said(text=str(error)))


class Forgetful(AsyncJsonWebsocketConsumer[ClientMsg, ServerMsg]):
    # A match that forgets a message kind is reported.
    async def receive_json(self, content: ClientMsg) -> None:
        # misuse: json-match-not-exhaustive: a `match` on incoming messages that forgets a kind
        match content:  # type: ignore[exhaustive-match]  # pyright: ignore[reportMatchNotExhaustive]
            case Join():
                pass


class Narrowing(AsyncJsonWebsocketConsumer[ClientMsg, ServerMsg]):
    # An override that takes only part of the union is incompatible.
    # misuse: json-receive-override-narrows: a `receive_json` override that takes part of the union
    async def receive_json(self, content: Join) -> None:  # type: ignore[override]  # pyright: ignore[reportIncompatibleMethodOverride]
        pass


class SyncRoom(JsonWebsocketConsumer[ClientMsg, ServerMsg]):
    def receive_json(self, content: ClientMsg) -> None:
        assert_type(content, Union[Join, Say])
        self.send_json(Said(text="ok"))
        # misuse: json-send-wrong-message: `send_json()` with a message of the incoming type
        self.send_json(Say(text="no"))  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


class Untyped(AsyncJsonWebsocketConsumer):
    """Channels code ports unchanged: JSON values in and out."""

    async def receive_json(self, content: JSONValue) -> None:
        await self.send_json({"echo": content, "n": [1, 2.5, None]})


class OnPlainScope(AsyncJsonWebsocketConsumer[Say, Said, WebSocketScope]):
    async def receive_json(self, content: Say) -> None:
        assert_type(self.scope, WebSocketScope)


async def hooks() -> None:
    assert_type(await Room.decode_json("{}"), Union[Join, Say])
    assert_type(await Room.encode_json(Said(text="x")), str)
    assert_type(await Untyped.decode_json("{}"), JSONValue)
    assert_type(SyncRoom.decode_json("{}"), Union[Join, Say])
    # misuse: json-encode-wrong-message: `encode_json()` with a message of the incoming type
    await Room.encode_json(Join(room="x"))  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


def routes() -> None:
    Room.as_asgi()
    # misuse: as-asgi-kwarg-misspelled: a misspelled `as_asgi()` keyword
    Room.as_asgi(room="x")  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
