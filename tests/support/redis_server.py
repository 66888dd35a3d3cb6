"""Start throwaway ``redis-server`` processes on free loopback ports for tests.

Tests use ``TYPEDCHANNELS_REDIS_URL`` when it is set; otherwise they start
``redis-server`` (no persistence) for the session. Without the binary the
Redis tests are skipped, unless ``TYPEDCHANNELS_REQUIRE_REDIS=1`` (set by CI),
which turns the skip into a failure.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Final, NoReturn

import pytest

REDIS_URL_ENV: Final = "TYPEDCHANNELS_REDIS_URL"
REQUIRE_ENV: Final = "TYPEDCHANNELS_REQUIRE_REDIS"
INSTALL_HINT: Final = (
    "redis-server not found: install it (apt-get install redis-server, "
    "brew install redis) or set TYPEDCHANNELS_REDIS_URL=redis://host:port/db"
)


def redis_binary() -> str | None:
    """The ``redis-server`` executable, or None."""
    found = shutil.which("redis-server")
    if found is None and os.path.exists("/usr/bin/redis-server"):
        found = "/usr/bin/redis-server"
    return found


def skip_or_fail_without_redis() -> NoReturn:
    """Skip (or, when CI requires Redis, fail) because no Redis is available."""
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{REQUIRE_ENV}=1 but {INSTALL_HINT}")
    pytest.skip(INSTALL_HINT)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class _ServerProcess:
    """A ``redis-server`` process (plain or Sentinel) on a loopback port."""

    port: int
    _process: subprocess.Popen[bytes] | None = None

    def _spawn(self, args: Sequence[str], what: str) -> None:
        """Start ``args`` and wait until the port answers PING.

        Raises:
            RuntimeError: it did not answer within 10 seconds.
        """
        self._process = subprocess.Popen(
            args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 10
        while not _ping(self.port):
            if self._process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"{what} did not start on port {self.port}")
            time.sleep(0.01)

    def stop(self) -> None:
        """Kill the process (as a crash would) and wait for it to exit."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.kill()
            process.wait(timeout=10)


class RedisServer(_ServerProcess):
    """One ``redis-server`` process on a fixed loopback port; can be stopped and restarted."""

    def __init__(
        self, binary: str, port: int | None = None, extra_args: Sequence[str] = ()
    ) -> None:
        self.binary = binary
        self.port = port if port is not None else free_port()
        self.extra_args = list(extra_args)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        """Start the server and wait until it answers PING.

        Raises:
            RuntimeError: it did not answer within 10 seconds.
        """
        self._spawn(
            [
                self.binary,
                "--port", str(self.port),
                "--bind", "127.0.0.1",
                "--save", "",
                "--appendonly", "no",
                "--protected-mode", "no",
                *self.extra_args,
            ],
            "redis-server",
        )  # fmt: skip
        return self


def start_servers(count: int) -> list[RedisServer]:
    """Start ``count`` servers, or skip/fail when there is no binary."""
    binary = redis_binary()
    if binary is None:
        skip_or_fail_without_redis()
    return [RedisServer(binary).start() for _ in range(count)]


class SentinelServer(_ServerProcess):
    """A Redis Sentinel (``redis-server --sentinel``) watching one master."""

    def __init__(self, binary: str, master: RedisServer, directory: Path) -> None:
        self.binary = binary
        self.master = master
        self.port = free_port()
        self.config = directory / f"sentinel-{self.port}.conf"

    def start(self, master_name: str, down_after_ms: int = 30000) -> SentinelServer:
        """Start it and wait until it answers PING.

        Raises:
            RuntimeError: it did not come up within 10 seconds.
        """
        self.config.write_text(
            f"port {self.port}\n"
            "bind 127.0.0.1\n"
            "protected-mode no\n"
            f"sentinel monitor {master_name} 127.0.0.1 {self.master.port} 1\n"
            f"sentinel down-after-milliseconds {master_name} {down_after_ms}\n"
            f"sentinel failover-timeout {master_name} 3000\n"
        )
        self._spawn([self.binary, str(self.config), "--sentinel"], "redis sentinel")
        return self


def sentinel_master_port(sentinel_port: int, master_name: str) -> int | None:
    """The master's port as the Sentinel reports it (RESP over a plain socket)."""
    words = ["SENTINEL", "get-master-addr-by-name", master_name]
    command = f"*{len(words)}\r\n" + "".join(f"${len(w)}\r\n{w}\r\n" for w in words)
    with socket.create_connection(("127.0.0.1", sentinel_port), timeout=1) as sock:
        sock.sendall(command.encode())
        reply = sock.recv(1024).decode()
    if not reply.startswith("*2"):
        return None
    return int(reply.split("\r\n")[4])
