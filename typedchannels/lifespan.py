"""A typed ASGI lifespan app: run startup and shutdown hooks.

Channels has none, so its ``ProtocolTypeRouter`` fails uvicorn's lifespan
probe; typedchannels' router uses this one when you give it no other.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import Final

from .types import LifespanScope, Receive, Send

__all__ = ["LifespanHandler", "LifespanHook"]

logger: Final = logging.getLogger("typedchannels.lifespan")

#: A startup or shutdown hook: gets the lifespan ``state`` dict to fill or read.
LifespanHook = Callable[[dict[str, object]], Awaitable[None]]


class LifespanHandler:
    """Runs ``on_startup`` hooks in order at startup and ``on_shutdown`` at shutdown.

    A failing hook is reported to the server as ``*.failed`` with its message
    (the server then stops), never swallowed.
    """

    def __init__(
        self,
        on_startup: Iterable[LifespanHook] = (),
        on_shutdown: Iterable[LifespanHook] = (),
    ) -> None:
        self.on_startup: Final = tuple(on_startup)
        self.on_shutdown: Final = tuple(on_shutdown)

    async def __call__(
        self, scope: LifespanScope, receive: Receive, send: Send
    ) -> None:
        state = scope.get("state")
        if state is None:
            state = {}
        while True:
            event = await receive()
            if event["type"] == "lifespan.startup":
                failure = await _run_hooks(self.on_startup, state, "startup")
                if failure is not None:
                    await send({"type": "lifespan.startup.failed", "message": failure})
                    return
                await send({"type": "lifespan.startup.complete"})
            elif event["type"] == "lifespan.shutdown":
                failure = await _run_hooks(self.on_shutdown, state, "shutdown")
                if failure is not None:
                    await send({"type": "lifespan.shutdown.failed", "message": failure})
                    return
                await send({"type": "lifespan.shutdown.complete"})
                return


async def _run_hooks(
    hooks: Iterable[LifespanHook], state: dict[str, object], phase: str
) -> str | None:
    """Run ``hooks`` in order; the failure's message for the server, or None."""
    try:
        for hook in hooks:
            await hook(state)
    except Exception as exc:
        logger.exception("lifespan %s hook failed", phase)
        return repr(exc)
    return None
