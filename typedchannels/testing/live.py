"""Real ASGI servers for end-to-end tests: uvicorn in a thread, or daphne.

:class:`ChannelsLiveServer` serves the project's ``ASGI_APPLICATION`` (and its
static files, as ``runserver`` does) on a free port, so browsers and
WebSocket clients talk to the real stack: HTTP, handshakes, origin checks,
middleware. :class:`ChannelsLiveServerTestCase` wraps it for Django's test
runner; the pytest plugin has fixtures for it.

The server runs in this process, so it shares the test database (use a
``TransactionTestCase``-style database: data a ``TestCase`` transaction holds
is invisible to it) and Django settings. Its event loop is its own: a test
that talks to the channel layer itself needs a layer both loops can use (a
Redis one); the in-memory layer belongs to one loop.

:class:`DaphneLiveServer` serves the same with daphne, in a child process
(daphne runs Twisted, one reactor per process): it reaches the test
database only if that is a file or a server (SQLite in memory is per
process), and never this process's in-memory channel layer.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from types import TracebackType
from typing import ClassVar, Final, cast

import uvicorn
from django.test import TransactionTestCase
from typing_extensions import Self

from ..types import AnyScope, ASGIApp

__all__ = [
    "ChannelsLiveServer",
    "ChannelsLiveServerTestCase",
    "DaphneLiveServer",
    "LiveServer",
]

#: Seconds to wait for the server to start or stop.
STARTUP_TIMEOUT: Final = 10.0

# What a DaphneLiveServer tells its child (read by ``_live_app``).
APPLICATION_ENV: Final = "TYPEDCHANNELS_LIVE_APPLICATION"
STATIC_ENV: Final = "TYPEDCHANNELS_LIVE_STATIC"
DATABASE_ENV: Final = "TYPEDCHANNELS_LIVE_DATABASE"


def with_static_files(application: ASGIApp[AnyScope]) -> ASGIApp[AnyScope]:
    """``application`` with ``STATIC_URL`` served from the static files finders."""
    from django.conf import settings
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
    from django.core.handlers.asgi import ASGIHandler

    if not settings.STATIC_URL:
        return application
    # Django's handler passes every other scope (websocket, lifespan) through;
    # django-stubs types its inner app as Django's own handler.
    handler = ASGIStaticFilesHandler(cast("ASGIHandler", application))
    return cast("ASGIApp[AnyScope]", handler)


class LiveServer:
    """What every live server offers: its URLs, and use as a context manager."""

    def __init__(self, host: str) -> None:
        self.host: str = host
        #: The port it listens on, once started.
        self.port: int = 0

    @property
    def url(self) -> str:
        """``http://host:port``."""
        return f"http://{self.host}:{self.port}"

    @property
    def ws_url(self) -> str:
        """``ws://host:port``."""
        return f"ws://{self.host}:{self.port}"

    def start(self) -> None:
        """Serve until :meth:`stop`."""
        raise NotImplementedError

    def _bound_to(self, port: int) -> None:
        self.port = port

    def stop(self) -> None:
        """Stop serving (idempotent)."""
        raise NotImplementedError

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


class ChannelsLiveServer(LiveServer):
    """uvicorn serving an ASGI app on ``host`` and a free port, in a thread.

    Use as a context manager, or call :meth:`start` and :meth:`stop`.
    """

    def __init__(
        self,
        application: ASGIApp[AnyScope] | None = None,
        *,
        host: str = "127.0.0.1",
        static_files: bool = True,
    ) -> None:
        """``application`` defaults to ``get_default_application()``."""
        super().__init__(host)
        self._application = application
        self._static_files = static_files
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None

    def start(self) -> None:
        """Bind a free port and serve until :meth:`stop`.

        Raises:
            RuntimeError: the server did not start in time (or already runs).
            ConfigurationError: no application given and ``ASGI_APPLICATION``
                cannot be loaded.
        """
        if self._server is not None:
            raise RuntimeError("the live server is already running")
        from ..routing import get_default_application

        app = self._application or get_default_application()
        if self._static_files:
            app = with_static_files(app)
        # Bound here, so the port is known and never raced for.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, 0))
        self._bound_to(int(sock.getsockname()[1]))
        config = uvicorn.Config(app, log_level="warning", lifespan="auto")
        server = uvicorn.Server(config)
        thread = threading.Thread(
            target=server.run,
            kwargs={"sockets": [sock]},
            name=f"typedchannels-live-server-{self.port}",
            daemon=True,
        )
        self._server, self._thread, self._socket = server, thread, sock
        thread.start()
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the live server did not start on {self.url}")
            time.sleep(0.01)

    def stop(self) -> None:
        """Stop serving and wait for the thread (idempotent)."""
        server, thread, sock = self._server, self._thread, self._socket
        self._server = self._thread = self._socket = None
        if server is not None:
            server.should_exit = True
        if thread is not None:
            thread.join(STARTUP_TIMEOUT)
        if sock is not None:
            sock.close()


class DaphneLiveServer(LiveServer):
    """daphne serving ``ASGI_APPLICATION`` on ``host`` and a free port, in a child.

    Use as a context manager, or call :meth:`start` and :meth:`stop`. The
    child gets this process's settings module and the test database's name.
    """

    def __init__(
        self,
        application_path: str | None = None,
        *,
        host: str = "127.0.0.1",
        static_files: bool = True,
    ) -> None:
        """``application_path`` (``"project.asgi.application"``) defaults to
        ``ASGI_APPLICATION``."""
        super().__init__(host)
        self._path = application_path
        self._static_files = static_files
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start daphne and wait until it listens.

        Raises:
            RuntimeError: daphne exited or did not listen in time (or already runs).
            ConfigurationError: no path given and no ``ASGI_APPLICATION``.
        """
        from django.conf import settings
        from django.db import connection

        from ..exceptions import ConfigurationError

        if self._process is not None:
            raise RuntimeError("the live server is already running")
        path = self._path or getattr(settings, "ASGI_APPLICATION", None)
        if not isinstance(path, str):
            raise ConfigurationError("DaphneLiveServer needs ASGI_APPLICATION")
        self._bound_to(_free_port(self.host))
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE,
            APPLICATION_ENV: path,
            STATIC_ENV: "1" if self._static_files else "0",
            DATABASE_ENV: str(connection.settings_dict["NAME"]),
            "PYTHONPATH": os.pathsep.join(sys.path),
        }
        process = subprocess.Popen(
            [
                sys.executable, "-m", "daphne", "-b", self.host, "-p", str(self.port),
                "typedchannels.testing._live_app:application",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )  # fmt: skip
        self._process = process
        deadline = time.monotonic() + STARTUP_TIMEOUT * 3
        while not _listening(self.host, self.port):
            if process.poll() is not None or time.monotonic() > deadline:
                errors = b""
                if process.poll() is not None and process.stderr is not None:
                    errors = process.stderr.read()
                self.stop()
                raise RuntimeError(
                    f"daphne did not start on {self.url}: {errors.decode(errors='replace')[-2000:]}"
                )
            time.sleep(0.05)

    def stop(self) -> None:
        """Stop daphne and wait for it (idempotent)."""
        process, self._process = self._process, None
        if process is None:
            return
        process.terminate()
        try:
            process.wait(STARTUP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr is not None:
            process.stderr.close()


def _free_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port


def _listening(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), 0.2):
            return True
    except OSError:
        return False


class ChannelsLiveServerTestCase(TransactionTestCase):
    """A ``TransactionTestCase`` with the project served by uvicorn for the class.

    ``live_server_url`` (``http://127.0.0.1:port``) and ``live_server_ws_url``
    (``ws://...``) are set in ``setUpClass``. Set ``serve_static = False`` to
    leave static files out.
    """

    host: ClassVar[str] = "127.0.0.1"
    serve_static: ClassVar[bool] = True
    live_server_url: ClassVar[str]
    live_server_ws_url: ClassVar[str]
    _live_server: ClassVar[ChannelsLiveServer]

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        server = ChannelsLiveServer(host=cls.host, static_files=cls.serve_static)
        server.start()
        cls.addClassCleanup(server.stop)
        cls._live_server = server
        cls.live_server_url = server.url
        cls.live_server_ws_url = server.ws_url
