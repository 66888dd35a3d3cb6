"""In-process JSON echo: typedchannels against Channels and a bare msgspec app.

Every implementation is an ASGI 3 app driven the same way: connect, then
``N`` frames like ``{"type":"chat","room":"lobby","text":"hello","n":i}``,
each awaited until its echo comes back, then disconnect, through asyncio
queues (no server, no sockets). Runs are interleaved and the median of each
implementation is reported, with the ratios the project tracks.

    python -m bench.json_echo [-n 20000] [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import statistics
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Literal, Union, cast

import msgspec
from typing_extensions import TypeAlias

from typedchannels.generic.websocket import AsyncJsonWebsocketConsumer
from typedchannels.types import (
    ASGIReceiveEvent,
    ASGISendEvent,
    Receive,
    RoutedWebSocketScope,
    Send,
)

App: TypeAlias = Callable[[RoutedWebSocketScope, Receive, Send], Awaitable[None]]


class Chat(msgspec.Struct, tag_field="type", tag="chat"):
    room: str
    text: str
    n: int


class Ping(msgspec.Struct, tag_field="type", tag="ping"):
    n: int


Incoming: TypeAlias = Union[Chat, Ping]


# --- typedchannels ----------------------------------------------------------


class TypedEcho(AsyncJsonWebsocketConsumer[Incoming, Incoming]):
    channel_layer_alias = None

    async def receive_json(self, content: Incoming) -> None:
        await self.send_json(content)


# --- the floor: a bare ASGI callable using msgspec --------------------------

_decode = msgspec.json.Decoder(Incoming).decode
_encode = msgspec.json.Encoder().encode


async def bare_msgspec(
    scope: RoutedWebSocketScope, receive: Receive, send: Send
) -> None:
    while True:
        event = await receive()
        if event["type"] == "websocket.receive":
            text = event.get("text")
            if text is not None:
                message: Incoming = _decode(text)
                await send(
                    {"type": "websocket.send", "text": _encode(message).decode()}
                )
        elif event["type"] == "websocket.connect":
            await send({"type": "websocket.accept"})
        elif event["type"] == "websocket.disconnect":
            return


# --- Channels (no type information: handles are objects) --------------------


def _configure_django() -> None:
    from django.conf import settings

    if not settings.configured:
        settings.configure(
            DATABASES={
                "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
            },
            INSTALLED_APPS=[],
        )


def channels_app(*, hop: bool) -> App:
    """Channels' AsyncJsonWebsocketConsumer echoing, with or without its hop."""
    generic = importlib.import_module("channels.generic.websocket")
    base: object = getattr(generic, "AsyncJsonWebsocketConsumer")  # noqa: B009
    if not isinstance(base, type):
        raise TypeError("channels.generic.websocket.AsyncJsonWebsocketConsumer")

    async def receive_json(self: object, content: object, **kwargs: object) -> None:
        # getattr: self is an object here (Channels has no types).
        send_json: Callable[[object], Awaitable[None]] = getattr(self, "send_json")  # noqa: B009
        await send_json(content)

    consumer = type("ChannelsEcho", (base,), {"receive_json": receive_json})
    as_asgi = cast("Callable[[], App]", getattr(consumer, "as_asgi"))  # noqa: B009
    app = as_asgi()
    if hop:
        return app
    consumer_module = importlib.import_module("channels.consumer")

    async def no_hop() -> None:
        return None

    async def without_hop(
        scope: RoutedWebSocketScope, receive: Receive, send: Send
    ) -> None:
        saved: object = getattr(consumer_module, "aclose_old_connections")  # noqa: B009
        setattr(consumer_module, "aclose_old_connections", no_hop)  # noqa: B010
        try:
            await app(scope, receive, send)
        finally:
            setattr(consumer_module, "aclose_old_connections", saved)  # noqa: B010

    return without_hop


# --- the driver ---------------------------------------------------------------

SCOPE: RoutedWebSocketScope = {
    "type": "websocket",
    "asgi": {"version": "3.0", "spec_version": "2.4"},
    "path": "/echo/",
    "headers": [],
    "url_route": {"args": (), "kwargs": {}},
}


def frames(n: int) -> list[ASGIReceiveEvent]:
    return [
        {
            "type": "websocket.receive",
            "text": msgspec.json.encode(
                {"type": "chat", "room": "lobby", "text": "hello", "n": i}
            ).decode(),
        }
        for i in range(n)
    ]


async def echo_run(app: App, messages: Sequence[ASGIReceiveEvent]) -> float:
    """Seconds to echo every message, one at a time."""
    inbox: asyncio.Queue[ASGIReceiveEvent] = asyncio.Queue()
    outbox: asyncio.Queue[ASGISendEvent] = asyncio.Queue()
    task = asyncio.ensure_future(app(dict(SCOPE), inbox.get, outbox.put))  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    inbox.put_nowait({"type": "websocket.connect"})
    accepted = await outbox.get()
    assert accepted["type"] == "websocket.accept", accepted
    start = time.perf_counter()
    for message in messages:
        inbox.put_nowait(message)
        echoed = await outbox.get()
        assert echoed["type"] == "websocket.send", echoed
    elapsed = time.perf_counter() - start
    inbox.put_nowait({"type": "websocket.disconnect", "code": 1000})
    await asyncio.wait_for(task, 10)
    return elapsed


Name: TypeAlias = Literal[
    "typedchannels", "channels", "channels-no-hop", "bare-msgspec"
]


async def measure(n: int, runs: int) -> dict[Name, float]:
    """Median messages/s of each implementation over interleaved runs."""
    _configure_django()
    apps: dict[Name, App] = {
        "typedchannels": TypedEcho.as_asgi(),
        "channels": channels_app(hop=True),
        "channels-no-hop": channels_app(hop=False),
        "bare-msgspec": bare_msgspec,
    }
    messages = frames(n)
    for app in apps.values():  # warm-up: imports, caches, thread pool
        await echo_run(app, messages[: min(n, 500)])
    rates: dict[Name, list[float]] = {name: [] for name in apps}
    for _ in range(runs):
        for name, app in apps.items():
            rates[name].append(n / await echo_run(app, messages))
    return {name: statistics.median(values) for name, values in rates.items()}


def report(medians: dict[Name, float], n: int, runs: int) -> str:
    typed = medians["typedchannels"]
    lines = [f"JSON echo, in-process, N={n}, median of {runs} interleaved runs"]
    lines += [f"  {name:<16} {rate:>10,.0f} msgs/s" for name, rate in medians.items()]
    lines += [
        f"  typedchannels / channels        {typed / medians['channels']:6.1f}x  (target >= 15x)",
        f"  typedchannels / channels-no-hop {typed / medians['channels-no-hop']:6.2f}x  (target >= 2x)",
        f"  bare-msgspec / typedchannels    {medians['bare-msgspec'] / typed:6.2f}x  (target <= 1.3x)",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the figures; 0 on success."""
    parser = argparse.ArgumentParser(prog="python -m bench.json_echo")
    parser.add_argument("-n", type=int, default=20_000, help="messages per run")
    parser.add_argument("--runs", type=int, default=5, help="interleaved runs")
    args = parser.parse_args(argv)
    n: int = args.n
    runs: int = args.runs
    medians = asyncio.run(measure(n, runs))
    print(report(medians, n, runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
