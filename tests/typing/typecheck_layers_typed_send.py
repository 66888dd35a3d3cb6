"""Typing tests for channel layers: typed events, group_send_to/send_to, the registry.

Checked by mypy --strict and pyright strict, never run. A line marked
``# type: ignore[code]  # pyright: ignore[rule]`` must be an error in both
checkers: an ignore that stops being needed fails the build.
"""

from __future__ import annotations

from typing import Literal

from typing_extensions import TypedDict, assert_type

from typedchannels.generic.websocket import AsyncWebsocketConsumer
from typedchannels.layers import (
    InMemoryChannelLayer,
    get_channel_layer,
    group_send_to,
    require_channel_layer,
    send_to,
)
from typedchannels.layers.redis import RedisChannelLayer
from typedchannels.types import ChannelLayer, LayerMessage


class ChatMessage(TypedDict):
    type: Literal["chat.message"]
    text: str


class UserJoined(TypedDict):
    type: Literal["user.joined"]
    user_id: int


class ChatConsumer(AsyncWebsocketConsumer):
    groups = ("room",)

    async def chat_message(self, event: ChatMessage) -> None:
        await self.send(text_data=event["text"])

    async def user_joined(self, event: UserJoined) -> None:
        await self.send(text_data=str(event["user_id"]))


async def checks(layer: ChannelLayer) -> None:
    # Backends are ChannelLayers.
    memory: ChannelLayer = InMemoryChannelLayer()
    redis: ChannelLayer = RedisChannelLayer(["redis://localhost:6379"])
    assert_type(get_channel_layer(), ChannelLayer | None)
    assert_type(require_channel_layer("other"), ChannelLayer)
    assert_type(await memory.receive("x"), LayerMessage)

    # Plain sends take dict literals and TypedDict events alike.
    event: ChatMessage = {"type": "chat.message", "text": "hi"}
    await redis.group_send("room", event)
    await layer.send("x", {"type": "anything", "n": 1})

    # Checked sends: the payload must fit the handler's event type.
    await group_send_to(
        layer, "room", ChatConsumer.chat_message, {"type": "chat.message", "text": "hi"}
    )
    await group_send_to(layer, "room", ChatConsumer.chat_message, event)
    await send_to(
        layer, "x", ChatConsumer.user_joined, {"type": "user.joined", "user_id": 1}
    )

    c = ChatConsumer
    wrong_type: UserJoined = {"type": "user.joined", "user_id": 1}
    # A misspelled handler.
    # misuse: layer-handler-misspelled: `group_send_to()` naming a misspelled handler
    await group_send_to(layer, "r", c.chat_mesage, event)  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType, reportUnknownArgumentType]
    # The wrong event type for this handler.
    # misuse: layer-event-for-other-handler: a layer event of another handler's type
    await group_send_to(layer, "r", c.user_joined, event)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    # misuse: layer-event-for-other-handler: a layer event of another handler's type
    await group_send_to(layer, "r", c.chat_message, wrong_type)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    # A missing key.
    # misuse: layer-event-missing-key: a layer event missing a key its handler requires
    await group_send_to(layer, "r", c.chat_message, {"type": "chat.message"})  # type: ignore[typeddict-item]  # pyright: ignore[reportArgumentType]
    # A misspelled type string.
    # misuse: layer-event-type-misspelled: a layer event whose `type` string is misspelled
    await send_to(layer, "x", c.chat_message, {"type": "chat.mesage", "text": ""})  # type: ignore[typeddict-item]  # pyright: ignore[reportArgumentType]
    # A value of the wrong type.
    # misuse: layer-event-value-type: a layer event value of the wrong type
    await send_to(layer, "x", c.user_joined, {"type": "user.joined", "user_id": ""})  # type: ignore[typeddict-item]  # pyright: ignore[reportArgumentType]
    # No event at all.
    # misuse: layer-event-missing: `group_send_to()` without the event
    await group_send_to(layer, "room", c.chat_message)  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
    # A message that is not a mapping.
    # misuse: layer-message-not-mapping: a layer message that is not a mapping
    await layer.send("x", ["type", "x"])  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
