"""Background workers: feed messages from named channels to an ASGI app.

A :class:`Worker` receives on each named channel and hands every message to
one application instance per channel, whose scope is ``{"type": "channel",
"channel": name}`` (route several channels with ``ChannelNameRouter``). It
stops cleanly on SIGINT/SIGTERM: receiving stops, the application instances
are cancelled, and :meth:`Worker.run` returns.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Sequence
from typing import Final

from .layers._base import require_valid_channel_name
from .types import ASGIApp, ASGIReceiveEvent, ASGISendEvent, ChannelLayer, ChannelScope

__all__ = ["Worker"]

logger: Final = logging.getLogger("typedchannels.worker")


class Worker:
    """Feeds messages from ``channels`` on ``channel_layer`` to ``application``.

    Raises:
        InvalidChannelName: a channel name breaks the naming rules.
        ValueError: no channels, or a process-specific (``!``) channel.
    """

    def __init__(
        self,
        application: ASGIApp[ChannelScope],
        channels: Sequence[str],
        channel_layer: ChannelLayer,
    ) -> None:
        if isinstance(channels, str) or not channels:
            raise ValueError("Worker needs a list of one or more channel names")
        for channel in channels:
            require_valid_channel_name(channel)
            if "!" in channel:
                raise ValueError(
                    f"{channel!r} is process-specific; workers listen on named channels"
                )
        self.application = application
        self.channels: list[str] = list(channels)
        self.channel_layer = channel_layer
        self._stop = asyncio.Event()

    def stop(self) -> None:
        """Ask :meth:`run` to finish (safe to call from a signal handler)."""
        self._stop.set()

    async def run(self, *, handle_signals: bool = True) -> None:
        """Serve until :meth:`stop`, SIGINT or SIGTERM."""
        loop = asyncio.get_running_loop()
        installed: list[signal.Signals] = []
        if handle_signals:
            for signum in (signal.SIGINT, signal.SIGTERM):
                with contextlib.suppress(NotImplementedError, RuntimeError):
                    loop.add_signal_handler(signum, self.stop)
                    installed.append(signum)
        listeners = [
            asyncio.ensure_future(self._listen(channel)) for channel in self.channels
        ]
        try:
            await self._stop.wait()
        finally:
            for task in listeners:
                task.cancel()
            await asyncio.gather(*listeners, return_exceptions=True)
            for signum in installed:
                loop.remove_signal_handler(signum)
            logger.info("worker for %s stopped", ", ".join(self.channels))

    async def _listen(self, channel: str) -> None:
        queue: asyncio.Queue[ASGIReceiveEvent] = asyncio.Queue()
        app_task: asyncio.Task[None] | None = None
        try:
            while True:
                message = await self.channel_layer.receive(channel)
                if app_task is None or app_task.done():
                    app_task = asyncio.ensure_future(self._run_app(channel, queue))
                # A channel-scope app receives layer messages, dispatched by
                # "type" like ASGI events. Receive names ASGI events only:
                # widening it for this one caller would widen every consumer's.
                queue.put_nowait(message)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
        finally:
            if app_task is not None:
                app_task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await app_task

    async def _run_app(
        self, channel: str, queue: asyncio.Queue[ASGIReceiveEvent]
    ) -> None:
        scope: ChannelScope = {"type": "channel", "channel": channel}

        async def send(event: ASGISendEvent) -> None:
            raise TypeError(
                f"the worker app for {channel!r} has no client to send "
                f"{event['type']!r} to; use the channel layer instead"
            )

        try:
            await self.application(scope, queue.get, send)
        except Exception:
            logger.exception("worker application for %r crashed", channel)
