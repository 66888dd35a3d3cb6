"""Mailboxes: per-channel queues, and the one-shot waker consumers rely on."""

from __future__ import annotations

import asyncio
import time
import tracemalloc

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
    boxes: Mailboxes[str] = Mailboxes()
    calls: list[str] = []
    receiver = asyncio.ensure_future(boxes.get("a"))
    await asyncio.sleep(0)
    boxes.set_waker("a", lambda: calls.append("a"))
    put(boxes, "a", "item")
    assert await receiver == "item"
    assert calls == []


async def test_a_waiting_receiver_costs_its_future_not_a_queue() -> None:
    # A connection's mailbox mostly holds one waiting receiver and no item,
    # for the connection's whole life: it must stay small.
    boxes: Mailboxes[str] = Mailboxes()
    count = 200
    tracemalloc.start()
    try:
        receivers = [asyncio.ensure_future(boxes.get(f"c{n}")) for n in range(count)]
        await asyncio.sleep(0)
        only_mailboxes = [tracemalloc.Filter(True, "*_mailbox.py")]
        held = tracemalloc.take_snapshot().filter_traces(only_mailboxes)
        per_receiver = sum(stat.size for stat in held.statistics("filename")) / count
    finally:
        tracemalloc.stop()
    assert len(boxes) == count
    assert per_receiver < 1000  # with two empty deques it was about 2000
    put(boxes, "c0", "delivered")
    assert await receivers[0] == "delivered"
    for receiver in receivers[1:]:
        receiver.cancel()
    await asyncio.gather(*receivers[1:], return_exceptions=True)
    assert len(boxes) == 0
