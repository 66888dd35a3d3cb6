"""In-memory layer specifics: what group receivers share and what they do not."""

from __future__ import annotations

from typing import cast

from typedchannels.layers import InMemoryChannelLayer


async def test_flat_group_messages_share_their_strings_not_their_dicts() -> None:
    layer = InMemoryChannelLayer()
    a, b = await layer.new_channel(), await layer.new_channel()
    await layer.group_add("room", a)
    await layer.group_add("room", b)
    await layer.group_send("room", {"type": "chat.line", "text": "hello " * 10})
    first, second = await layer.receive(a), await layer.receive(b)
    assert first == second
    assert first is not second
    assert first["text"] is second["text"]  # one string for every member
    first["text"] = "changed"
    assert second["text"] == "hello " * 10


async def test_group_messages_with_containers_are_copied_per_receiver() -> None:
    layer = InMemoryChannelLayer()
    a, b = await layer.new_channel(), await layer.new_channel()
    await layer.group_add("room", a)
    await layer.group_add("room", b)
    await layer.group_send("room", {"type": "chat.users", "names": ["ann", "bob"]})
    first, second = await layer.receive(a), await layer.receive(b)
    names = first["names"]
    assert isinstance(names, list)
    cast("list[str]", names).append("eve")
    assert second["names"] == ["ann", "bob"]


async def test_the_sender_keeps_its_own_message() -> None:
    layer = InMemoryChannelLayer()
    a, b = await layer.new_channel(), await layer.new_channel()
    await layer.group_add("room", a)
    await layer.group_add("room", b)
    sent: dict[str, object] = {"type": "chat.line", "text": "x"}
    await layer.group_send("room", sent)
    received = await layer.receive(a)
    received["text"] = "y"
    assert sent["text"] == "x"
    assert await layer.receive(b) == {"type": "chat.line", "text": "x"}


async def test_flat_direct_messages_share_the_senders_strings() -> None:
    layer = InMemoryChannelLayer()
    channel = await layer.new_channel()
    name = "guest-" + "ab" * 20
    sent: dict[str, object] = {"type": "presence.here", "name": name}
    await layer.send(channel, sent)
    sent["name"] = "changed after sending"
    received = await layer.receive(channel)
    assert received == {"type": "presence.here", "name": name}
    assert received["name"] is name  # not a decoded copy held per receiver


async def test_direct_messages_with_containers_are_copied() -> None:
    layer = InMemoryChannelLayer()
    channel = await layer.new_channel()
    names = ["ann", "bob"]
    await layer.send(channel, {"type": "chat.users", "names": names})
    names.append("eve")
    received = await layer.receive(channel)
    assert received["names"] == ["ann", "bob"]
    assert received["names"] is not names
