"""Load: C websocket connections on one uvicorn worker, group broadcast in rooms.

Serves the chat demo's consumer (``bench/_typed_chat.py``), the same app
written on Channels 4.3 (``bench/_channels_chat.py``) and the same frames
from a bare ASGI callable (``bench/_bare_chat.py``, the floor), one after
the other, each in its own uvicorn process with one worker, and drives each
the same way from several client processes:

1. open ``C`` connections (rooms of ``R``; every member gets the room's
   presence traffic) and measure the server's RSS per connection;
2. for ``D`` seconds, ``W`` members of every room post lines in a closed
   loop (send, wait for the own line to come back through the group, send
   again); every member receives every line of its room.

Reported: lines delivered to clients per second, p50/p99 latency from send
to delivery (over every delivery), server CPU per delivery (the client may
be what saturates on a small machine), and RSS per connection, both in
total and net of what a bare ASGI app holds under the same server. By
default all of it twice: with uvicorn's permessage-deflate (its default,
about 46 KiB of zlib state per connection) and without.

    python -m bench.load [-c 1000] [--room 50] [--senders 2] [-d 10] [--procs 2]
                         [--deflate {on,off,both}] [--ws IMPL]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from multiprocessing.synchronize import Event
from pathlib import Path
from typing import Final, Union

import msgspec
from typing_extensions import TypeAlias

ROOT: Final = Path(__file__).resolve().parents[1]
APPS: Final = {
    "typedchannels": ("bench._typed_chat:application", "examples.chat.settings"),
    "channels": ("bench._channels_chat:application", "bench._channels_settings"),
    # The same frames from a bare ASGI callable: the floor, not a competitor.
    "bare": ("bench._bare_chat:application", "bench._channels_settings"),
}
_TICKS: Final = os.sysconf("SC_CLK_TCK")


# --- what the client reads ----------------------------------------------------


class _Line(msgspec.Struct):
    author: str
    text: str


class _Posted(msgspec.Struct, tag_field="type", tag="message"):
    line: _Line


class _Welcome(msgspec.Struct, tag_field="type", tag="welcome"):
    you: str


class _Other(msgspec.Struct, tag_field="type", tag="presence"):
    pass


class _Typing(msgspec.Struct, tag_field="type", tag="typing"):
    pass


_Frame: TypeAlias = Union[_Posted, _Welcome, _Other, _Typing]
_decode: Final = msgspec.json.Decoder(_Frame).decode


@dataclass
class Plan:
    """What every client process does."""

    port: int
    rooms: list[str]
    room_size: int
    senders: int
    seconds: float


class Report(msgspec.Struct):
    """What a client process measured."""

    deliveries: int
    sends: int
    latencies_us: list[int]
    errors: int


# --- the client processes ----------------------------------------------------


async def _member(
    plan: Plan,
    room: str,
    sender: bool,
    connected: asyncio.Queue[None],
    go: asyncio.Event,
    stop_at: list[float],
    report: Report,
) -> None:
    from websockets.asyncio.client import connect
    from websockets.typing import Origin

    url = f"ws://127.0.0.1:{plan.port}/ws/chat/{room}/"
    origin = Origin(f"http://127.0.0.1:{plan.port}")
    async with connect(url, origin=origin, open_timeout=60, max_queue=None) as ws:
        you = ""
        while not you:
            frame = _decode(await ws.recv())
            if isinstance(frame, _Welcome):
                you = frame.you
        await connected.put(None)
        own: asyncio.Queue[None] = asyncio.Queue()

        async def read() -> None:
            async for raw in ws:
                frame = _decode(raw)
                if isinstance(frame, _Posted):
                    sent_ns = int(frame.line.text.partition(":")[0])
                    report.deliveries += 1
                    report.latencies_us.append((time.monotonic_ns() - sent_ns) // 1000)
                    if frame.line.author == you:
                        own.put_nowait(None)

        reader = asyncio.create_task(read())
        await go.wait()
        if sender:
            while time.monotonic() < stop_at[0]:
                text = f"{time.monotonic_ns()}:hello room"
                await ws.send(
                    msgspec.json.encode({"type": "message", "text": text}).decode()
                )
                report.sends += 1
                try:
                    await asyncio.wait_for(own.get(), 30)
                except asyncio.TimeoutError:
                    report.errors += 1
                    break
        else:
            await asyncio.sleep(max(0.0, stop_at[0] - time.monotonic()))
        # Let the last lines land, then stop counting.
        await asyncio.sleep(1.0)
        reader.cancel()


async def _client_main(plan: Plan, ready: Event, start: Event) -> Report:
    report = Report(deliveries=0, sends=0, latencies_us=[], errors=0)
    connected: asyncio.Queue[None] = asyncio.Queue()
    go = asyncio.Event()
    stop_at = [0.0]
    handshakes = asyncio.Semaphore(50)

    async def member(room: str, sender: bool) -> None:
        async with handshakes:
            pass
        await _member(plan, room, sender, connected, go, stop_at, report)

    tasks = [
        asyncio.create_task(member(room, index < plan.senders))
        for room in plan.rooms
        for index in range(plan.room_size)
    ]
    for _ in tasks:
        await connected.get()
    ready.set()
    await asyncio.get_running_loop().run_in_executor(None, start.wait)
    # Presence traffic of the arrivals is over; the measured part starts.
    report.deliveries = 0
    report.latencies_us.clear()
    stop_at[0] = time.monotonic() + plan.seconds
    go.set()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    report.errors += sum(isinstance(result, BaseException) for result in results)
    return report


def _client_process(plan: Plan, ready: Event, start: Event, out: str) -> None:
    report = asyncio.run(_client_main(plan, ready, start))
    Path(out).write_bytes(msgspec.msgpack.encode(report))


# --- the server --------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _serve(
    app: str, settings: str, port: int, ws: str, deflate: bool
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": settings,
        "TYPEDCHANNELS_REDIS_URL": "",
        "TYPEDCHANNELS_CHAT_DEBUG": "0",
    }
    command = [
        sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1",
        "--port", str(port), "--workers", "1", "--lifespan", "off",
        "--no-access-log", "--log-level", "warning", "--ws-max-queue", "1024",
        "--ws", ws, "--ws-per-message-deflate", str(deflate).lower(),
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{app} exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise TimeoutError(f"{app} did not listen within 30s")


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS  # utime + stime


@dataclass
class Result:
    """One implementation's figures."""

    name: str
    deliveries_per_s: float
    sends_per_s: float
    p50_ms: float
    p99_ms: float
    cpu_us_per_delivery: float
    rss_kib_per_connection: float
    errors: int


def _percentile(values: list[int], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] / 1000


def run_one(
    name: str, args: argparse.Namespace, workdir: Path, deflate: bool
) -> Result:
    """Serve ``name``'s app, load it, and stop it."""
    app, settings = APPS[name]
    port = _free_port()
    server = _serve(app, settings, port, args.ws, deflate)
    try:
        # Warm up (imports, first connection), then measure the baseline.
        _warm_up(port)
        rss_before = _rss_kib(server.pid)
        rooms = [f"{name}-{index}" for index in range(args.connections // args.room)]
        context = multiprocessing.get_context("spawn")
        ready = [context.Event() for _ in range(args.procs)]
        start = context.Event()
        outs = [workdir / f"{name}-{index}.msgpack" for index in range(args.procs)]
        processes = [
            context.Process(
                target=_client_process,
                args=(
                    Plan(port, rooms[index :: args.procs], args.room, args.senders, args.seconds),
                    ready[index],
                    start,
                    str(outs[index]),
                ),
            )
            for index in range(args.procs)
        ]  # fmt: skip
        for process in processes:
            process.start()
        for event in ready:
            if not event.wait(300):
                raise TimeoutError("clients did not connect within 300s")
        _wait_until_idle(server.pid)  # the arrivals' presence traffic is done
        rss_after = _rss_kib(server.pid)
        cpu_before = _cpu_seconds(server.pid)
        started = time.monotonic()
        start.set()
        for process in processes:
            process.join(args.seconds + 120)
        cpu = _cpu_seconds(server.pid) - cpu_before
        elapsed = min(time.monotonic() - started, args.seconds + 1.0)
        reports = [
            msgspec.msgpack.decode(out.read_bytes(), type=Report) for out in outs
        ]
    finally:
        server.terminate()
        server.wait(10)
    latencies = [value for report in reports for value in report.latencies_us]
    deliveries = sum(report.deliveries for report in reports)
    sends = sum(report.sends for report in reports)
    return Result(
        name=name,
        deliveries_per_s=deliveries / args.seconds,
        sends_per_s=sends / args.seconds,
        p50_ms=_percentile(latencies, 0.50) if latencies else float("nan"),
        p99_ms=_percentile(latencies, 0.99) if latencies else float("nan"),
        cpu_us_per_delivery=cpu / max(deliveries, 1) * 1e6 * (args.seconds / elapsed),
        rss_kib_per_connection=(rss_after - rss_before) / args.connections,
        errors=sum(report.errors for report in reports),
    )


def bare_rss_per_connection(args: argparse.Namespace, deflate: bool) -> float:
    """KiB of server RSS per idle connection for a bare ASGI app, same server."""
    port = _free_port()
    server = _serve(
        "bench._bare_idle:application",
        "bench._channels_settings",
        port,
        args.ws,
        deflate,
    )

    count: int = args.connections

    async def hold() -> float:
        from websockets.asyncio.client import connect

        url = f"ws://127.0.0.1:{port}/"
        async with connect(url):
            pass
        before = _rss_kib(server.pid)
        sockets = [await connect(url) for _ in range(count)]
        _wait_until_idle(server.pid)
        after = _rss_kib(server.pid)
        for socket_ in sockets:
            await socket_.close()
        return (after - before) / count

    try:
        return asyncio.run(hold())
    finally:
        server.terminate()
        server.wait(10)


def _wait_until_idle(pid: int, timeout: float = 300) -> None:
    """Wait until the server uses under 5% of a core over half a second."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        before = _cpu_seconds(pid)
        time.sleep(0.5)
        if _cpu_seconds(pid) - before < 0.025:
            return
    raise TimeoutError(f"the server stayed busy for {timeout}s after connecting")


def _warm_up(port: int) -> None:
    async def once() -> None:
        from websockets.asyncio.client import connect
        from websockets.typing import Origin

        origin = Origin(f"http://127.0.0.1:{port}")
        url = f"ws://127.0.0.1:{port}/ws/chat/warmup/"
        async with connect(url, origin=origin) as ws:
            await ws.recv()
            await ws.send('{"type": "message", "text": "0:warm"}')
            while not isinstance(_decode(await ws.recv()), _Posted):
                pass

    asyncio.run(once())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the load against each implementation and print the comparison."""
    parser = argparse.ArgumentParser(prog="python -m bench.load")
    parser.add_argument("-c", "--connections", type=int, default=1000)
    parser.add_argument("--room", type=int, default=50, help="members per room")
    parser.add_argument("--senders", type=int, default=2, help="senders per room")
    parser.add_argument("-d", "--seconds", type=float, default=10.0)
    parser.add_argument("--procs", type=int, default=2, help="client processes")
    # Measured here for a bare ASGI app, idle: uvicorn's "websockets" holds
    # about 117 KiB per connection, "websockets-sansio" 53, "wsproto" 17. The
    # RSS figure is a high-water mark that includes the presence traffic of
    # connecting, so the server's buffers weigh in whatever the framework.
    parser.add_argument(
        "--ws",
        default="auto",
        choices=["auto", "websockets", "websockets-sansio", "wsproto"],
        help="uvicorn's websocket implementation (the same for both apps)",
    )
    # The client (like browsers) offers permessage-deflate and uvicorn accepts
    # it by default: its zlib state is about 46 KiB per connection, the
    # biggest single cost whatever the framework.
    parser.add_argument(
        "--deflate",
        choices=["on", "off", "both"],
        default="both",
        help="uvicorn's --ws-per-message-deflate (the same for both apps)",
    )
    parser.add_argument(
        "--only", choices=sorted(APPS), action="append", help="one implementation"
    )
    args = parser.parse_args(argv)
    workdir = ROOT / "test-artifacts" / "bench-load"
    workdir.mkdir(parents=True, exist_ok=True)
    settings = {"on": [True], "off": [False], "both": [True, False]}[args.deflate]
    failed = [compare(args, workdir, deflate) for deflate in settings]
    return 1 if any(failed) else 0


def compare(args: argparse.Namespace, workdir: Path, deflate: bool) -> bool:
    """Load each implementation under one server setting; True if any errored."""
    print(
        f"C={args.connections} connections, rooms of {args.room}, "
        f"{args.senders} closed-loop senders per room, {args.seconds:g}s, "
        f"{args.procs} client processes, one uvicorn worker (--ws {args.ws}, "
        f"permessage-deflate {'on' if deflate else 'off'})"
    )
    results = [run_one(name, args, workdir, deflate) for name in (args.only or APPS)]
    header = f"{'':14} {'deliveries/s':>12} {'lines/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'CPU µs/deliv':>12} {'RSS KiB/conn':>12} {'errors':>6}"
    print(header)
    for r in results:
        print(
            f"{r.name:14} {r.deliveries_per_s:12,.0f} {r.sends_per_s:8,.0f} "
            f"{r.p50_ms:7.1f} {r.p99_ms:7.1f} {r.cpu_us_per_delivery:12.1f} "
            f"{r.rss_kib_per_connection:12.1f} {r.errors:6}"
        )
    by_name = {r.name: r for r in results}
    typed, channels = by_name.get("typedchannels"), by_name.get("channels")
    if typed and channels and channels.deliveries_per_s and typed.deliveries_per_s:
        print(
            f"typedchannels vs Channels: {typed.deliveries_per_s / channels.deliveries_per_s:.1f}x deliveries/s, "
            f"p99 {typed.p99_ms / channels.p99_ms:.2f}x, "
            f"server CPU per delivery {typed.cpu_us_per_delivery / channels.cpu_us_per_delivery:.2f}x, "
            f"RSS per connection {typed.rss_kib_per_connection / channels.rss_kib_per_connection:.2f}x"
        )
        bare = bare_rss_per_connection(args, deflate)
        own_typed = typed.rss_kib_per_connection - bare
        own_channels = channels.rss_kib_per_connection - bare
        print(
            f"a bare ASGI app under the same server holds {bare:.1f} KiB per connection; "
            f"net of it: typedchannels {own_typed:.1f} KiB, Channels {own_channels:.1f} KiB"
            + (f" ({own_typed / own_channels:.2f}x)" if own_channels > 0 else "")
        )
    floor = by_name.get("bare")
    if typed and floor and typed.deliveries_per_s:
        print(
            f"the bare chat callable (the floor) vs typedchannels: "
            f"{floor.deliveries_per_s / typed.deliveries_per_s:.2f}x deliveries/s, "
            f"CPU per delivery {floor.cpu_us_per_delivery / typed.cpu_us_per_delivery:.2f}x, "
            f"RSS per connection {typed.rss_kib_per_connection - floor.rss_kib_per_connection:+.1f} KiB for typedchannels"
        )
    return any(r.errors for r in results)


if __name__ == "__main__":
    raise SystemExit(main())
