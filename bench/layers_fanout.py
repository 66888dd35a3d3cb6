"""Group fan-out: one group of G members, K group_sends, every member receives every message.

Compares typedchannels' in-memory and Redis layers with Channels'
``InMemoryChannelLayer`` and channels_redis's ``RedisChannelLayer`` on the
same Redis, and a bare asyncio-queue fan-out. Reports deliveries/s as the
median of interleaved runs, with the ratios the project tracks.

    python -m bench.layers_fanout [--members 100 1000] [-k 20] [--runs 5]
        [--redis redis://127.0.0.1:6379/0]

Without ``--redis`` (or ``TYPEDCHANNELS_REDIS_URL``) a redis-server is
started on a free port when the binary exists; otherwise Redis is skipped.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import os
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable, Generator
from contextlib import contextmanager

from tests.support.foreign_layers import channels_memory_layer, channels_redis_layer
from tests.support.redis_server import RedisServer, redis_binary
from typedchannels.layers import InMemoryChannelLayer
from typedchannels.layers.redis import RedisChannelLayer
from typedchannels.types import ChannelLayer

Factory = Callable[[], ChannelLayer]


async def layer_run(factory: Factory, members: int, sends: int) -> float:
    """Deliveries/s for one run: K group_sends to G members, all received."""
    layer = factory()
    try:
        names = [await layer.new_channel() for _ in range(members)]
        for name in names:
            await layer.group_add("bench", name)

        async def member(name: str) -> None:
            for _ in range(sends):
                await layer.receive(name)

        started = time.perf_counter()
        receivers = [asyncio.ensure_future(member(name)) for name in names]
        for n in range(sends):
            await layer.group_send("bench", {"type": "bench.message", "n": n})
        await asyncio.wait_for(asyncio.gather(*receivers), 300)
        elapsed = time.perf_counter() - started
        await layer.flush()
        return members * sends / elapsed
    finally:
        await layer.close()


async def bare_run(members: int, sends: int) -> float:
    """The floor: a dict of asyncio queues and a loop over them."""
    queues = [asyncio.Queue[dict[str, object]]() for _ in range(members)]

    async def member(queue: asyncio.Queue[dict[str, object]]) -> None:
        for _ in range(sends):
            await queue.get()

    started = time.perf_counter()
    receivers = [asyncio.ensure_future(member(q)) for q in queues]
    for n in range(sends):
        message: dict[str, object] = {"type": "bench.message", "n": n}
        for queue in queues:
            queue.put_nowait(dict(message))
    await asyncio.gather(*receivers)
    return members * sends / (time.perf_counter() - started)


@contextmanager
def redis_url(given: str | None) -> Generator[str | None]:
    """The Redis to use: given, from the environment, or a throwaway server."""
    url = given or os.environ.get("TYPEDCHANNELS_REDIS_URL")
    if url:
        yield url
        return
    binary = redis_binary()
    if binary is None:
        yield None
        return
    server = RedisServer(binary).start()
    try:
        yield server.url
    finally:
        server.stop()


def factories(url: str | None, members: int) -> dict[str, Factory]:
    capacity = 10_000  # room for every message: measure delivery, not drops
    found: dict[str, Factory] = {
        "typedchannels-memory": lambda: InMemoryChannelLayer(capacity=capacity),
        "channels-memory": lambda: channels_memory_layer(capacity=capacity),
    }
    if url is not None:

        def prefix() -> str:
            return "bench" + uuid.uuid4().hex[:8]

        found["typedchannels-redis"] = lambda: RedisChannelLayer(
            [url], prefix=prefix(), capacity=capacity
        )
        found["channels-redis"] = lambda: channels_redis_layer(
            hosts=[url], prefix=prefix(), capacity=capacity
        )
    return found


async def measure(
    members: int, sends: int, runs: int, url: str | None
) -> dict[str, float]:
    """Median deliveries/s per implementation over interleaved runs."""
    rates: dict[str, list[float]] = {}
    runners: dict[str, Callable[[], Awaitable[float]]] = {
        "bare-queues": lambda: bare_run(members, sends)
    }
    for name, factory in factories(url, members).items():
        runners[name] = functools.partial(layer_run, factory, members, sends)
    for _ in range(runs):
        for name, run in runners.items():
            # Channels' memory layer is O(G^2) per send: fewer sends, same rate.
            rates.setdefault(name, []).append(await run())
    return {name: statistics.median(values) for name, values in rates.items()}


def report(medians: dict[str, float], members: int, sends: int, runs: int) -> str:
    lines = [
        f"group fan-out, G={members}, K={sends}, median of {runs} interleaved runs"
    ]
    lines += [
        f"  {name:<22} {rate:>12,.0f} deliveries/s" for name, rate in medians.items()
    ]
    ours = medians["typedchannels-memory"]
    lines.append(
        f"  typedchannels-memory / channels-memory  {ours / medians['channels-memory']:8.1f}x  (target >= 50x)"
    )
    lines.append(
        f"  bare-queues / typedchannels-memory      {medians['bare-queues'] / ours:8.2f}x  (target <= 2.5x)"
    )
    if "typedchannels-redis" in medians:
        ratio = medians["typedchannels-redis"] / medians["channels-redis"]
        lines.append(
            f"  typedchannels-redis / channels-redis    {ratio:8.1f}x  (target >= 5x)"
        )
    else:
        lines.append("  (Redis skipped: no redis-server and no --redis URL)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.layers_fanout")
    parser.add_argument("--members", type=int, nargs="+", default=[100, 1000])
    parser.add_argument(
        "-k", "--sends", type=int, default=20, help="group_sends per run"
    )
    parser.add_argument("--runs", type=int, default=5, help="interleaved runs")
    parser.add_argument("--redis", default=None, help="Redis URL (default: start one)")
    args = parser.parse_args(argv)
    with redis_url(args.redis) as url:
        for members in args.members:
            medians = asyncio.run(measure(members, args.sends, args.runs, url))
            print(report(medians, members, args.sends, args.runs), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
