"""A consumer's layer side: the task that feeds channel-layer messages to handlers.

A consumer handles one message at a time, from the client or from the layer.
The client loop runs in the connection's own task; layer messages come
through a *pump* task, and a lock orders the two. (Channels waits on both
sources with ``asyncio.wait`` and a new task per message.) If a layer
message's handler stops or fails, the pump cancels the connection's task,
which raises what the handler raised.

With a layer that can wake a channel (``WakingChannelLayer``) the pump starts
with the first message and ends once it has waited ``idle_seconds`` for the
next: an idle connection holds no task, a busy one keeps its pump (no task
per message). The state is one slotted object rather than a nest of
closures, since it lives as long as the connection.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Mapping
from typing import cast

from .types import ChannelLayer

__all__ = ["LayerPump"]

Waker = Callable[[str, "Callable[[], object] | None"], bool]


def waker_of(layer: ChannelLayer) -> Waker | None:
    """The layer's ``wake_on_message``, if it has that extension."""
    method: object = getattr(layer, "wake_on_message", None)
    if not callable(method):
        return None
    return cast("Waker", method)


class LayerPump:
    """Receives a channel's layer messages and dispatches them under ``lock``."""

    __slots__ = (
        "_channel",
        "_check",
        "_dispatch",
        "_failure",
        "_idle_seconds",
        "_idle_timer",
        "_layer",
        "_loop",
        "_main",
        "_running",
        "_task",
        "_waiting_since",
        "_wake",
        "lock",
    )

    def __init__(
        self,
        layer: ChannelLayer,
        channel: str,
        dispatch: Callable[[Mapping[str, object]], Awaitable[None]],
        check: Callable[[Mapping[str, object]], Mapping[str, object] | None] | None,
        idle_seconds: float,
    ) -> None:
        """Made in the connection's task, which a failing handler cancels.

        ``check`` turns a received message into its handler's event, or None
        to drop it.
        """
        main = asyncio.current_task()
        if main is None:
            raise RuntimeError("LayerPump must be made inside a task")
        self._main = main
        self._loop = asyncio.get_running_loop()
        self.lock = asyncio.Lock()
        self._layer = layer
        self._channel = channel
        self._dispatch = dispatch
        self._check = check
        self._idle_seconds = idle_seconds
        self._wake = waker_of(layer)
        self._failure: Exception | None = None
        self._task: asyncio.Task[None] | None = None
        self._idle_timer: asyncio.TimerHandle | None = None
        self._waiting_since = -1.0  # when the pump began to wait; -1 while busy
        self._running = True

    def start(self) -> None:
        """Pump now, or (with a waking layer) once a message arrives."""
        if self._wake is None or self._wake(self._channel, self._start_task):
            self._start_task()

    def raise_failure(self) -> None:
        """Raise what a layer handler raised, if that is why the task was cancelled.

        Call it where the connection's task catches ``CancelledError``.
        """
        failure = self._failure
        if failure is not None:
            uncancel = getattr(self._main, "uncancel", None)  # Python 3.11+
            if uncancel is not None:
                uncancel()
            raise failure from None

    async def stop(self) -> None:
        """End the pump (the connection is over); no waker stays registered."""
        self._running = False
        if self._idle_timer is not None:
            self._idle_timer.cancel()
        if self._wake is not None:
            self._wake(self._channel, None)
        task = self._task
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def _start_task(self) -> None:
        task = self._task
        if task is None or task.done():
            self._task = self._loop.create_task(self._pump())
            if self._wake is not None and self._idle_timer is None:
                self._idle_timer = self._loop.call_later(
                    self._idle_seconds, self._end_if_idle
                )

    async def _pump(self) -> None:
        receive, channel, check = self._layer.receive, self._channel, self._check
        dispatch, lock, loop = self._dispatch, self.lock, self._loop
        while True:
            self._waiting_since = loop.time()
            received = await receive(channel)
            self._waiting_since = -1.0
            async with lock:
                try:
                    message = received if check is None else check(received)
                    if message is not None:
                        await dispatch(message)
                except Exception as exc:
                    self._failure = exc
                    self._main.cancel()
                    return
            del received, message  # not kept while waiting for the next one

    def _end_if_idle(self) -> None:
        # One timer per idle period, not per message: it re-arms itself for
        # the rest of the period while messages keep coming.
        self._idle_timer = None
        task = self._task
        if not self._running or task is None or task.done():
            return
        waiting_since = self._waiting_since
        idle_for = 0.0 if waiting_since < 0 else self._loop.time() - waiting_since
        if idle_for < self._idle_seconds:
            self._idle_timer = self._loop.call_later(
                self._idle_seconds - idle_for, self._end_if_idle
            )
            return
        task.cancel()  # it waits in receive(), which cancelling is safe for
        task.add_done_callback(self._rearm)

    def _rearm(self, _: object) -> None:
        wake = self._wake
        if self._running and wake is not None and wake(self._channel, self._start_task):
            self._start_task()  # a message came as the pump ended
