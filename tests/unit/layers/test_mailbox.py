"""Mailboxes: per-channel queues, and the one-shot waker consumers rely on."""

from __future__ import annotations

import time

from typedchannels.layers._mailbox import Mailboxes


def put(boxes: Mailboxes[str], name: str, item: str) -> bool:
    now = time.monotonic()
    return boxes.put(name, item, now + 60, 100, now)


def test_waker_runs_once_when_an_item_arrives_and_nobody_waits() -> None:
    boxes: Mailboxes[str] = Mailboxes()
    calls: list[str] = []
    assert boxes.set_waker("a", lambda: calls.append("a")) is False
    put(boxes, "b", "other channel")
    assert calls == []
    put(boxes, "a", "one")
    put(boxes, "a", "two")
    assert calls == ["a"]


def test_setting_a_waker_says_when_an_item_is_already_there() -> None:
    boxes: Mailboxes[str] = Mailboxes()
    put(boxes, "a", "early")
    calls: list[str] = []
    assert boxes.set_waker("a", lambda: calls.append("a")) is True
    put(boxes, "a", "later")
    assert calls == []  # not registered: the caller receives instead


def test_waker_can_be_removed() -> None:
    boxes: Mailboxes[str] = Mailboxes()
    calls: list[str] = []
    boxes.set_waker("a", lambda: calls.append("a"))
    boxes.set_waker("a", None)
    put(boxes, "a", "one")
    assert calls == []
    boxes.set_waker("never-set", None)  # no error


async def test_a_waiting_receiver_is_woken_instead_of_the_waker() -> None:
    import asyncio

    boxes: Mailboxes[str] = Mailboxes()
    calls: list[str] = []
    receiver = asyncio.ensure_future(boxes.get("a"))
    await asyncio.sleep(0)
    boxes.set_waker("a", lambda: calls.append("a"))
    put(boxes, "a", "item")
    assert await receiver == "item"
    assert calls == []
