"""Connection churn: connect + group_add + accept + disconnect + group_discard cycles/s.

Drives a websocket consumer that joins one group, through asyncio queues (no
server), against typedchannels' in-memory layer and Channels' consumer with
its ``InMemoryChannelLayer``. Also reports memory per idle connection
(tracemalloc, net of the driver's queues). Medians of interleaved runs.

    python -m bench.churn [-n 2000] [--idle 500] [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import importlib
import statistics
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from typing import cast

from typing_extensions import TypeAlias

from tests.support.foreign_layers import channels_memory_layer
from typedchannels.generic.websocket import AsyncWebsocketConsumer
from typedchannels.layers import InMemoryChannelLayer, set_channel_layer

App: TypeAlias = Callable[[dict[str, object], object, object], Awaitable[None]]


class Room(AsyncWebsocketConsumer):
    groups = ("lobby",)


def _configure_django() -> None:
    from django.conf import settings

    if not settings.configured:
        settings.configure(
            DATABASES={
                "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
            },
            INSTALLED_APPS=[],
            CHANNEL_LAYERS={
                "default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}
            },
        )


def typed_app() -> App:
    set_channel_layer(InMemoryChannelLayer())
    return cast("App", Room.as_asgi())


def channels_app() -> App:
    _configure_django()
    layers = importlib.import_module("channels.layers")
    layers.channel_layers.set("default", channels_memory_layer().layer)
    generic = importlib.import_module("channels.generic.websocket")
    base = cast("type", getattr(generic, "AsyncWebsocketConsumer"))  # noqa: B009
    room = type("ChannelsRoom", (base,), {"groups": ["lobby"]})
    return cast("App", getattr(room, "as_asgi")())  # noqa: B009


def scope() -> dict[str, object]:
    return {
        "type": "websocket",
        "path": "/ws/",
        "headers": [],
        "query_string": b"",
        "subprotocols": [],
        "url_route": {"args": (), "kwargs": {}},
    }


async def open_connection(
    app: App,
) -> tuple[asyncio.Queue[dict[str, object]], asyncio.Task[None]]:
    inbox: asyncio.Queue[dict[str, object]] = asyncio.Queue()
    outbox: asyncio.Queue[dict[str, object]] = asyncio.Queue()
    task = asyncio.ensure_future(app(scope(), inbox.get, outbox.put))
    inbox.put_nowait({"type": "websocket.connect"})
    accepted = await outbox.get()
    assert accepted["type"] == "websocket.accept", accepted
    return inbox, task


async def close_connection(
    inbox: asyncio.Queue[dict[str, object]], task: asyncio.Task[None]
) -> None:
    inbox.put_nowait({"type": "websocket.disconnect", "code": 1000})
    # Channels' consumer ends by raising StopConsumer out of the app.
    with contextlib.suppress(Exception):
        await asyncio.wait_for(task, 5)


async def churn_run(app: App, cycles: int) -> float:
    started = time.perf_counter()
    for _ in range(cycles):
        inbox, task = await open_connection(app)
        await close_connection(inbox, task)
    return cycles / (time.perf_counter() - started)


async def idle_memory(app: App, count: int) -> float:
    """Bytes per idle connection, net of the driver's own queues and tasks."""

    async def idle(scope: dict[str, object], receive: object, send: object) -> None:
        await cast("Callable[[dict[str, object]], Awaitable[None]]", send)(
            {"type": "websocket.accept"}
        )
        await asyncio.get_running_loop().create_future()  # no Event: no deque

    async def held(target: App) -> int:
        gc.collect()
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        conns = [await open_connection(target) for _ in range(count)]
        gc.collect()
        used = tracemalloc.get_traced_memory()[0] - before
        tracemalloc.stop()
        for inbox, task in conns:
            task.cancel()
            del inbox
        await asyncio.gather(*(t for _, t in conns), return_exceptions=True)
        return used

    return (await held(app) - await held(idle)) / count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.churn")
    parser.add_argument("-n", "--cycles", type=int, default=2000)
    parser.add_argument("--idle", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    builders = {"typedchannels": typed_app, "channels": channels_app}
    rates: dict[str, list[float]] = {}
    memory: dict[str, list[float]] = {}
    for _ in range(args.runs):
        for name, build in builders.items():
            rates.setdefault(name, []).append(
                asyncio.run(churn_run(build(), args.cycles))
            )
            memory.setdefault(name, []).append(
                asyncio.run(idle_memory(build(), args.idle))
            )
    rate = {n: statistics.median(v) for n, v in rates.items()}
    mem = {n: statistics.median(v) for n, v in memory.items()}
    print(
        f"connection churn (in-memory layer), N={args.cycles}, median of {args.runs} interleaved runs"
    )
    for name in builders:
        print(
            f"  {name:<14} {rate[name]:>10,.0f} cycles/s  {mem[name] / 1024:6.1f} KiB/idle conn"
        )
    print(
        f"  typedchannels / channels churn   {rate['typedchannels'] / rate['channels']:6.1f}x  (target >= 10x)"
    )
    print(
        f"  typedchannels / channels memory  {mem['typedchannels'] / mem['channels']:6.2f}x  (target <= 0.5x)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
