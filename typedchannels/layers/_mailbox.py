"""Per-channel queues with waiting receivers, shared by the in-process buffers.

A :class:`Mailboxes` maps channel names to a deque of ``(expires_at, item)``
(made only while there are items) and a list of waiting receivers. Putting is an append and at most one
wake-up; an entry is dropped as soon as it is empty and nobody waits on it,
and :meth:`Mailboxes.sweep` drops expired items of channels nobody reads.

A channel may also have a one-shot *waker*: a callback run when an item is
put and no receiver waits. Consumers use it to start their layer receive
loop only once a message arrives, instead of keeping a task per connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from collections.abc import Callable
from typing import Generic

from typing_extensions import TypeVar

_T = TypeVar("_T")


class _Mailbox(Generic[_T]):
    """One channel's items and waiting receivers.

    A connection's box mostly holds one waiting receiver and no item, for as
    long as the connection lives; an empty deque costs about 700 bytes, so
    items get a deque only while there are some, and waiters are a list.
    """

    __slots__ = ("items", "waiters")

    def __init__(self) -> None:
        self.items: deque[tuple[float, _T]] | None = None
        self.waiters: list[asyncio.Future[None]] = []

    def drop_expired(self, now: float) -> int:
        items = self.items
        dropped = 0
        while items and items[0][0] < now:
            items.popleft()
            dropped += 1
        return dropped

    def wake_one(self) -> None:
        waiters = self.waiters
        while waiters:
            waiter = waiters.pop(0)
            if not waiter.done():
                waiter.set_result(None)
                return


class Mailboxes(Generic[_T]):
    """Named FIFO queues of expiring items, each with its own waiting receivers."""

    __slots__ = ("_boxes", "_wakers")

    def __init__(self) -> None:
        self._boxes: dict[str, _Mailbox[_T]] = {}
        self._wakers: dict[str, Callable[[], object]] = {}

    def set_waker(self, name: str, waker: Callable[[], object] | None) -> bool:
        """Run ``waker`` once, when ``name`` gets an item and no receiver waits.

        Returns True, registering nothing, if an item is already there;
        False once registered. None removes the waker.
        """
        if waker is None:
            self._wakers.pop(name, None)
            return False
        box = self._boxes.get(name)
        if box is not None and box.items:
            return True
        self._wakers[name] = waker
        return False

    def __len__(self) -> int:
        return len(self._boxes)

    def __contains__(self, name: object) -> bool:
        return name in self._boxes

    def put(
        self,
        name: str,
        item: _T,
        expires_at: float,
        capacity: int,
        now: float,
        *,
        drop_oldest: bool = False,
    ) -> bool:
        """Append ``item``; False when the queue is at ``capacity``.

        With ``drop_oldest`` a full queue loses its oldest item instead.
        """
        box = self._boxes.get(name)
        if box is None:
            box = self._boxes[name] = _Mailbox()
        items = box.items
        if items is None:
            items = box.items = deque()
        elif len(items) >= capacity:
            box.drop_expired(now)
            if len(items) >= capacity:
                if not drop_oldest:
                    return False
                items.popleft()
        items.append((expires_at, item))
        if box.waiters:
            box.wake_one()
        elif self._wakers:
            waker = self._wakers.pop(name, None)
            if waker is not None:
                waker()
        return True

    async def get(self, name: str, now: float | None = None) -> _T:
        """Wait for the next unexpired item of ``name`` (times are ``time.monotonic()``).

        Cancellation-safe: an item is only taken by a receiver that returns.
        """
        boxes = self._boxes
        while True:
            box = boxes.get(name)
            if box is None:
                box = boxes[name] = _Mailbox()
            items = box.items
            if items:
                current = time.monotonic() if now is None else now
                while items:
                    expires_at, item = items.popleft()
                    if expires_at >= current:
                        if not items:
                            box.items = None
                            if not box.waiters:
                                del boxes[name]
                        return item
                box.items = None
            waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            box.waiters.append(waiter)
            try:
                await waiter
            except asyncio.CancelledError:
                if waiter.done() and not waiter.cancelled():
                    box.wake_one()  # woken, then cancelled: pass it on
                else:
                    with contextlib.suppress(ValueError):
                        box.waiters.remove(waiter)
                if not box.items and not box.waiters and boxes.get(name) is box:
                    del boxes[name]
                raise

    def sweep(self, now: float) -> int:
        """Drop expired items, and entries left empty with no receiver; count drops."""
        dropped = 0
        boxes = self._boxes
        for name, box in list(boxes.items()):
            dropped += box.drop_expired(now)
            if not box.items:
                if box.waiters:
                    box.items = None  # waiting receivers need no deque
                else:
                    del boxes[name]
        return dropped

    def clear(self) -> None:
        """Drop every item (receivers keep waiting)."""
        for name, box in list(self._boxes.items()):
            box.items = None
            if not box.waiters:
                del self._boxes[name]
