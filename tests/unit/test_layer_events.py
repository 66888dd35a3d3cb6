"""Channel-layer messages are checked against the event type their handler declares."""

from __future__ import annotations

import logging
from typing import Literal

import pytest
from typing_extensions import NotRequired, TypedDict

from typedchannels.generic.websocket import AsyncWebsocketConsumer
from typedchannels.layers import InMemoryChannelLayer, set_channel_layer
from typedchannels.testing import WebsocketCommunicator


class ChatMessage(TypedDict):
    type: Literal["chat.message"]
    text: str
    position: NotRequired[tuple[int, int]]


class Chat(AsyncWebsocketConsumer):
    async def chat_message(self, event: ChatMessage) -> None:
        await self.send(text_data=f"{event['text']} {event.get('position')}")

    async def untyped_event(self, event: dict[str, object]) -> None:
        await self.send(text_data=f"untyped {event['anything']}")


class Trusting(Chat):
    validate_layer_events = False


async def connected(consumer: Chat) -> WebsocketCommunicator:
    comm = WebsocketCommunicator(consumer, "/")
    assert (await comm.connect()).accepted
    return comm


async def test_a_message_that_fits_reaches_the_handler_converted() -> None:
    layer = InMemoryChannelLayer()
    set_channel_layer(layer)
    consumer = Chat()
    comm = await connected(consumer)
    await layer.send(
        consumer.channel_name,
        {"type": "chat.message", "text": "hi", "position": [1, 2]},
    )
    assert (
        await comm.receive_from() == "hi (1, 2)"
    )  # the list became the declared tuple
    await comm.disconnect()


async def test_a_message_that_does_not_fit_is_logged_and_dropped(
    caplog: pytest.LogCaptureFixture,
) -> None:
    layer = InMemoryChannelLayer()
    set_channel_layer(layer)
    consumer = Chat()
    comm = await connected(consumer)
    with caplog.at_level(logging.WARNING, logger="typedchannels.layers"):
        await layer.send(consumer.channel_name, {"type": "chat.message", "text": 42})
        assert await comm.receive_nothing(timeout=0.2)
    assert "Chat dropped a channel layer message of type 'chat.message'" in caplog.text
    assert "Expected `str`, got `int` - at `$.text`" in caplog.text
    # The consumer is still alive and handles the next good message.
    await layer.send(consumer.channel_name, {"type": "chat.message", "text": "ok"})
    assert await comm.receive_from() == "ok None"
    await comm.disconnect()


async def test_handlers_without_a_typeddict_take_anything() -> None:
    layer = InMemoryChannelLayer()
    set_channel_layer(layer)
    consumer = Chat()
    comm = await connected(consumer)
    await layer.send(consumer.channel_name, {"type": "untyped.event", "anything": 3})
    assert await comm.receive_from() == "untyped 3"
    await comm.disconnect()


async def test_validation_can_be_turned_off() -> None:
    layer = InMemoryChannelLayer()
    set_channel_layer(layer)
    consumer = Trusting()
    comm = await connected(consumer)
    await layer.send(consumer.channel_name, {"type": "chat.message", "text": 42})
    assert await comm.receive_from() == "42 None"
    await comm.disconnect()
