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
                try:
                    for hook in self.on_startup:
                        await hook(state)
                except Exception as exc:
                    logger.exception("lifespan startup hook failed")
                    await send(
                        {"type": "lifespan.startup.failed", "message": repr(exc)}
                    )
                    return
                await send({"type": "lifespan.startup.complete"})
            elif event["type"] == "lifespan.shutdown":
                try:
                    for hook in self.on_shutdown:
                        await hook(state)
                except Exception as exc:
                    logger.exception("lifespan shutdown hook failed")
                    await send(
                        {"type": "lifespan.shutdown.failed", "message": repr(exc)}
                    )
                    return
                await send({"type": "lifespan.shutdown.complete"})
                return
