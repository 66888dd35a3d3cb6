"""Typed handles on Channels' and channels_redis's (untyped) layers, for cross-talk tests and benchmarks."""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Mapping
from typing import cast


class ForeignLayer:
    """Calls an untyped channel layer through the typed ``ChannelLayer`` methods."""

    extensions = ("groups", "flush")

    def __init__(self, layer: object) -> None:
        self.layer = layer

    async def _call(self, method: str, *args: object) -> object:
        result = cast("Awaitable[object]", getattr(self.layer, method)(*args))
        return await result

    async def send(self, channel: str, message: Mapping[str, object]) -> None:
        await self._call("send", channel, dict(message))

    async def receive(self, channel: str) -> dict[str, object]:
        return cast("dict[str, object]", await self._call("receive", channel))

    async def new_channel(self, prefix: str = "specific") -> str:
        return cast("str", await self._call("new_channel", prefix.rstrip(".")))

    async def group_add(self, group: str, channel: str) -> None:
        await self._call("group_add", group, channel)

    async def group_discard(self, group: str, channel: str) -> None:
        await self._call("group_discard", group, channel)

    async def group_send(self, group: str, message: Mapping[str, object]) -> None:
        await self._call("group_send", group, dict(message))

    async def flush(self) -> None:
        await self._call("flush")

    async def close(self) -> None:
        close = getattr(self.layer, "close_pools", None)
        if close is not None:
            await cast("Awaitable[object]", close())


def channels_redis_layer(**options: object) -> ForeignLayer:
    """A channels_redis ``RedisChannelLayer`` (test/bench dependency)."""
    module = importlib.import_module("channels_redis.core")
    return ForeignLayer(module.RedisChannelLayer(**options))


def channels_memory_layer(**options: object) -> ForeignLayer:
    """Channels' own ``InMemoryChannelLayer``."""
    module = importlib.import_module("channels.layers")
    return ForeignLayer(module.InMemoryChannelLayer(**options))
