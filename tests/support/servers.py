"""Run a real ASGI server (uvicorn, daphne, hypercorn) on a free loopback port."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Generator, Mapping
from pathlib import Path
from typing import Final, Literal

ROOT: Final = Path(__file__).resolve().parents[2]
Server = Literal["uvicorn", "daphne", "hypercorn"]
SERVERS: Final[tuple[Server, ...]] = ("uvicorn", "daphne", "hypercorn")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _command(server: Server, app: str, port: int) -> list[str]:
    if server == "uvicorn":
        return [
            sys.executable,
            "-m",
            "uvicorn",
            app,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-access-log",
        ]
    if server == "daphne":
        return [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), app]
    return [sys.executable, "-m", "hypercorn", app, "--bind", f"127.0.0.1:{port}"]


def _wait_for_port(port: int, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"server exited with {process.returncode} before listening"
            )
        with (
            contextlib.suppress(OSError),
            socket.create_connection(("127.0.0.1", port), 0.2),
        ):
            return
        time.sleep(0.05)
    raise TimeoutError(f"server did not listen on port {port} within {timeout}s")


@contextlib.contextmanager
def running_server(
    server: Server,
    app: str,
    env: Mapping[str, str] | None = None,
    timeout: float = 20,
) -> Generator[int, None, None]:
    """Serve ``app`` (``module:attribute``) and yield its port; stop it after.

    The server's output goes to a log file under ``test-artifacts/``, named
    after the server and port, so a failing test can be read afterwards.
    """
    port = free_port()
    logs = ROOT / "test-artifacts"
    logs.mkdir(exist_ok=True)
    log_path = logs / f"{server}-{port}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            _command(server, app, port),
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_for_port(port, process, timeout)
            yield port
        finally:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
