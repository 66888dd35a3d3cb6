"""The contract every channel layer backend keeps (memory, Redis, Redis with 3 shards)."""

from __future__ import annotations

import asyncio
import re

import pytest

from typedchannels.exceptions import ChannelFull, InvalidChannelName
from typedchannels.generic.websocket import AsyncWebsocketConsumer
from typedchannels.layers import set_channel_layer
from typedchannels.layers._base import CapacityPattern
from typedchannels.testing import WebsocketCommunicator
from typedchannels.types import ChannelLayer, WakingChannelLayer

from .conftest import LayerFactory

pytestmark = pytest.mark.timeout(60)


async def receive_soon(
    layer: ChannelLayer, channel: str, timeout: float = 5.0
) -> dict[str, object]:
    return await asyncio.wait_for(layer.receive(channel), timeout)


async def assert_nothing(layer: ChannelLayer, channel: str, wait: float = 0.3) -> None:
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(layer.receive(channel), wait)


async def test_send_and_receive_on_a_named_channel(layer: ChannelLayer) -> None:
    await layer.send(
        "work.queue", {"type": "job.run", "n": 1, "data": b"\x00", "items": [1, "a"]}
    )
    assert await receive_soon(layer, "work.queue") == {
        "type": "job.run",
        "n": 1,
        "data": b"\x00",
        "items": [1, "a"],
    }


async def test_messages_arrive_in_order(layer: ChannelLayer) -> None:
    for n in range(10):
        await layer.send("ordered", {"type": "n", "n": n})
    assert [(await receive_soon(layer, "ordered"))["n"] for _ in range(10)] == list(
        range(10)
    )


async def test_new_channels_are_unique_process_specific_and_receivable(
    layer: ChannelLayer,
) -> None:
    names = {await layer.new_channel() for _ in range(50)}
    assert len(names) == 50
    name = names.pop()
    assert name.startswith("specific.")
    assert "!" in name
    await layer.send(name, {"type": "hello"})
    assert await receive_soon(layer, name) == {"type": "hello"}


async def test_new_channel_prefix(layer: ChannelLayer) -> None:
    name = await layer.new_channel("worker.")
    assert name.startswith("worker.")
    assert not name.startswith("worker..")


async def test_process_specific_channels_do_not_see_each_others_messages(
    layer: ChannelLayer,
) -> None:
    a, b = await layer.new_channel(), await layer.new_channel()
    await layer.send(a, {"type": "for.a"})
    await layer.send(b, {"type": "for.b"})
    assert await receive_soon(layer, b) == {"type": "for.b"}
    assert await receive_soon(layer, a) == {"type": "for.a"}
    await assert_nothing(layer, a)


async def test_a_receiver_waiting_before_the_send_gets_the_message(
    layer: ChannelLayer,
) -> None:
    name = await layer.new_channel()
    waiting = asyncio.ensure_future(layer.receive(name))
    plain = asyncio.ensure_future(layer.receive("plain.waiting"))
    await asyncio.sleep(0.05)
    await layer.send(name, {"type": "late"})
    await layer.send("plain.waiting", {"type": "late.plain"})
    assert await asyncio.wait_for(waiting, 5) == {"type": "late"}
    assert await asyncio.wait_for(plain, 5) == {"type": "late.plain"}


@pytest.mark.parametrize("specific", [False, True])
async def test_a_cancelled_receive_loses_no_message(
    layer: ChannelLayer, specific: bool
) -> None:
    name = await layer.new_channel() if specific else "plain.cancelled"
    first = asyncio.ensure_future(layer.receive(name))
    await asyncio.sleep(0.05)
    first.cancel()
    with pytest.raises(asyncio.CancelledError):
        await first
    await layer.send(name, {"type": "kept"})
    assert await receive_soon(layer, name) == {"type": "kept"}


async def test_send_raises_channel_full_at_capacity(make_layer: LayerFactory) -> None:
    layer = make_layer(capacity=3)
    name = await layer.new_channel()
    for channel in ("plain.full", name):
        for n in range(3):
            await layer.send(channel, {"type": "n", "n": n})
        with pytest.raises(ChannelFull):
            await layer.send(channel, {"type": "n", "n": 3})
        await receive_soon(layer, channel)
        await layer.send(channel, {"type": "n", "n": 4})  # room again


async def test_channel_capacity_patterns_override_capacity(
    make_layer: LayerFactory,
) -> None:
    patterns: dict[CapacityPattern, int] = {"big.*": 5, re.compile(r"huge\.\w+"): 8}
    layer = make_layer(capacity=1, channel_capacity=patterns)
    for n in range(5):
        await layer.send("big.one", {"type": "n", "n": n})
    with pytest.raises(ChannelFull):
        await layer.send("big.one", {"type": "x"})
    for n in range(8):
        await layer.send("huge.one", {"type": "n", "n": n})
    with pytest.raises(ChannelFull):
        await layer.send("huge.one", {"type": "x"})
    await layer.send("small", {"type": "x"})
    with pytest.raises(ChannelFull):
        await layer.send("small", {"type": "x"})


async def test_expired_messages_are_not_delivered(make_layer: LayerFactory) -> None:
    layer = make_layer(expiry=1)
    name = await layer.new_channel()
    for channel in ("plain.expiring", name):
        await layer.send(channel, {"type": "old"})
    await asyncio.sleep(1.2)
    for channel in ("plain.expiring", name):
        await layer.send(channel, {"type": "new"})
        assert await receive_soon(layer, channel) == {"type": "new"}


async def test_expired_messages_free_capacity(make_layer: LayerFactory) -> None:
    layer = make_layer(expiry=1, capacity=1)
    await layer.send("plain.cap", {"type": "old"})
    await asyncio.sleep(1.2)
    await layer.send("plain.cap", {"type": "new"})
    assert await receive_soon(layer, "plain.cap") == {"type": "new"}


async def test_group_send_reaches_every_member(layer: ChannelLayer) -> None:
    members = [await layer.new_channel() for _ in range(20)] + ["plain.member"]
    for member in members:
        await layer.group_add("room", member)
    await layer.group_send("room", {"type": "chat.message", "text": "hi"})
    for member in members:
        assert await receive_soon(layer, member) == {
            "type": "chat.message",
            "text": "hi",
        }


async def test_group_add_twice_delivers_once(layer: ChannelLayer) -> None:
    name = await layer.new_channel()
    await layer.group_add("twice", name)
    await layer.group_add("twice", name)
    await layer.group_send("twice", {"type": "once"})
    assert await receive_soon(layer, name) == {"type": "once"}
    await assert_nothing(layer, name)


async def test_group_discard_stops_delivery(layer: ChannelLayer) -> None:
    stay, leave = await layer.new_channel(), await layer.new_channel()
    await layer.group_add("g", stay)
    await layer.group_add("g", leave)
    await layer.group_discard("g", leave)
    await layer.group_discard("g", "never.added")
    await layer.group_send("g", {"type": "after"})
    assert await receive_soon(layer, stay) == {"type": "after"}
    await assert_nothing(layer, leave)


async def test_group_send_to_an_empty_group_does_nothing(layer: ChannelLayer) -> None:
    await layer.group_send("nobody.here", {"type": "void"})


async def test_group_send_never_raises_channel_full(make_layer: LayerFactory) -> None:
    layer = make_layer(capacity=2)
    full, free = await layer.new_channel(), "plain.free"
    for member in (full, free):
        await layer.group_add("busy", member)
    await layer.send(full, {"type": "fill"})
    await layer.send(full, {"type": "fill"})
    await asyncio.gather(
        *(layer.group_send("busy", {"type": "burst", "n": n}) for n in range(5))
    )
    bursts = [await receive_soon(layer, free) for _ in range(2)]
    assert {b["type"] for b in bursts} == {"burst"}
    await assert_nothing(layer, free)
    assert [(await receive_soon(layer, full))["type"] for _ in range(2)] == [
        "fill",
        "fill",
    ]
    await assert_nothing(layer, full)


async def test_group_members_expire(make_layer: LayerFactory) -> None:
    layer = make_layer(group_expiry=1)
    old = await layer.new_channel()
    await layer.group_add("expiring", old)
    await asyncio.sleep(1.2)
    fresh = await layer.new_channel()
    await layer.group_add("expiring", fresh)
    await layer.group_send("expiring", {"type": "ping"})
    assert await receive_soon(layer, fresh) == {"type": "ping"}
    await assert_nothing(layer, old)


async def test_receivers_get_independent_copies(layer: ChannelLayer) -> None:
    a, b = await layer.new_channel(), await layer.new_channel()
    await layer.group_add("copies", a)
    await layer.group_add("copies", b)
    await layer.group_send("copies", {"type": "shared", "items": [1]})
    first = await receive_soon(layer, a)
    items = first["items"]
    assert isinstance(items, list)
    items.append(2)  # pyright: ignore[reportUnknownMemberType]
    assert await receive_soon(layer, b) == {"type": "shared", "items": [1]}


async def test_flush_drops_messages_and_groups(layer: ChannelLayer) -> None:
    name = await layer.new_channel()
    await layer.group_add("flushed", name)
    await layer.send("plain.flushed", {"type": "gone"})
    await layer.flush()
    await layer.group_send("flushed", {"type": "gone"})
    await assert_nothing(layer, name)
    await assert_nothing(layer, "plain.flushed")


async def test_extensions(layer: ChannelLayer) -> None:
    assert set(layer.extensions) >= {"groups", "flush"}


BAD_NAMES = [
    "",
    "has space",
    "caf\u00e9",
    "digits\u0663",  # an Arabic-Indic digit: Channels' \d accepts it
    "trailing.newline\n",
    "x" * 100,
    "two!bangs!",
]


@pytest.mark.parametrize("name", BAD_NAMES)
async def test_invalid_channel_names_are_rejected(
    layer: ChannelLayer, name: str
) -> None:
    with pytest.raises(InvalidChannelName):
        await layer.send(name, {"type": "x"})
    with pytest.raises(InvalidChannelName):
        await layer.receive(name)
    with pytest.raises(InvalidChannelName):
        await layer.group_add("ok", name)


@pytest.mark.parametrize("name", [*BAD_NAMES, "no!bang"])
async def test_invalid_group_names_are_rejected(layer: ChannelLayer, name: str) -> None:
    with pytest.raises(InvalidChannelName):
        await layer.group_add(name, "ok")
    with pytest.raises(InvalidChannelName):
        await layer.group_send(name, {"type": "x"})
    with pytest.raises(InvalidChannelName):
        await layer.group_discard(name, "ok")


async def test_longest_valid_name_is_99_characters(layer: ChannelLayer) -> None:
    name = "x" * 99
    await layer.send(name, {"type": "long"})
    assert await receive_soon(layer, name) == {"type": "long"}
    await layer.group_add(name, "ok")


async def test_invalid_name_errors_keep_channels_base_classes(
    layer: ChannelLayer,
) -> None:
    with pytest.raises(TypeError):
        await layer.send("bad name", {"type": "x"})
    with pytest.raises(ValueError, match="invalid"):
        await layer.send("bad name", {"type": "x"})


@pytest.mark.parametrize(
    "message",
    [
        {"no": "type"},
        {"type": 3},
        {"type": "x", "__asgi_channel__": "forged"},
        {"type": "x", 1: "not a str key"},
    ],
)
async def test_malformed_messages_are_rejected(
    layer: ChannelLayer, message: dict[str, object]
) -> None:
    with pytest.raises(TypeError):
        await layer.send("plain.bad", message)
    with pytest.raises(TypeError):
        await layer.group_send("g", message)


async def test_unserialisable_values_are_rejected(layer: ChannelLayer) -> None:
    with pytest.raises(TypeError):
        await layer.send("plain.bad", {"type": "x", "value": object()})


async def test_wake_on_message_fires_once_for_a_process_specific_channel(
    layer: ChannelLayer,
) -> None:
    assert isinstance(layer, WakingChannelLayer)
    channel = await layer.new_channel()
    woken: list[str] = []
    arrived = asyncio.Event()

    def wake() -> None:
        woken.append(channel)
        arrived.set()

    assert layer.wake_on_message(channel, wake) is False  # nothing waiting yet
    await layer.send(channel, {"type": "first"})
    await layer.send(channel, {"type": "second"})
    await asyncio.wait_for(arrived.wait(), 5)
    assert await receive_soon(layer, channel) == {"type": "first"}
    assert await receive_soon(layer, channel) == {"type": "second"}
    assert woken == [channel]


async def test_wake_on_message_says_when_a_message_already_waits(
    layer: ChannelLayer,
) -> None:
    assert isinstance(layer, WakingChannelLayer)
    channel = await layer.new_channel()
    first: list[str] = []
    assert layer.wake_on_message(channel, lambda: first.append("armed")) is False
    await layer.send(channel, {"type": "early"})
    for _ in range(100):  # Redis: until the reader has it locally
        if first:
            break
        await asyncio.sleep(0.01)
    assert first == ["armed"]
    assert layer.wake_on_message(channel, lambda: first.append("again")) is True
    assert await receive_soon(layer, channel) == {"type": "early"}
    assert first == ["armed"]


async def test_a_cancelled_waker_is_not_run(layer: ChannelLayer) -> None:
    assert isinstance(layer, WakingChannelLayer)
    channel = await layer.new_channel()
    woken: list[str] = []
    layer.wake_on_message(channel, lambda: woken.append(channel))
    layer.wake_on_message(channel, None)
    await layer.send(channel, {"type": "quiet"})
    assert await receive_soon(layer, channel) == {"type": "quiet"}
    assert woken == []


async def test_group_messages_reach_a_consumer_started_lazily(
    layer: ChannelLayer,
) -> None:
    set_channel_layer(layer)

    class Member(AsyncWebsocketConsumer):
        groups = ("lazy-room",)

        async def room_message(self, event: dict[str, object]) -> None:
            await self.send(text_data=str(event["text"]))

    comm = WebsocketCommunicator(Member.as_asgi(), "/")
    assert (await comm.connect()).accepted
    await layer.group_send("lazy-room", {"type": "room.message", "text": "hi"})
    assert await comm.receive_from(timeout=5) == "hi"
    await comm.disconnect()
