"""group_send_to/send_to at run time: the type string must name the handler."""

from __future__ import annotations

from typing import Literal

import pytest
from typing_extensions import TypedDict

from typedchannels.consumer import AsyncConsumer
from typedchannels.exceptions import InvalidMessageType
from typedchannels.layers import InMemoryChannelLayer, group_send_to, send_to


class Ping(TypedDict):
    type: Literal["ping.now"]
    n: int


class Pinged(AsyncConsumer):
    async def ping_now(self, event: Ping) -> None:
        pass

    async def other(self, event: Ping) -> None:
        pass


async def test_group_send_to_delivers_the_event() -> None:
    layer = InMemoryChannelLayer()
    name = await layer.new_channel()
    await layer.group_add("g", name)
    await group_send_to(layer, "g", Pinged.ping_now, {"type": "ping.now", "n": 1})
    await send_to(layer, name, Pinged.ping_now, event={"type": "ping.now", "n": 2})
    assert await layer.receive(name) == {"type": "ping.now", "n": 1}
    assert await layer.receive(name) == {"type": "ping.now", "n": 2}


async def test_a_type_that_names_another_handler_is_refused() -> None:
    layer = InMemoryChannelLayer()
    with pytest.raises(InvalidMessageType, match="'other'"):
        await group_send_to(layer, "g", Pinged.other, {"type": "ping.now", "n": 1})
