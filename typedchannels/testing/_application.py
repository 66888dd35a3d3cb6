"""Run one ASGI app instance in a task and talk to it through queues."""

from __future__ import annotations

import asyncio
import contextlib
from typing import ClassVar, Generic

from typing_extensions import TypeVar

from ..db import keep_connections_open
from ..types import ASGIApp, ASGIReceiveEvent, ASGISendEvent, BaseScope, URLRoute

ScopeT = TypeVar("ScopeT", bound=BaseScope, default=BaseScope)


def empty_route() -> URLRoute:
    """The ``url_route`` of a scope no router has matched: nothing captured."""
    return {"args": (), "kwargs": {}}


class ApplicationCommunicator(Generic[ScopeT]):
    """Runs ``application(scope, receive, send)`` and exposes its queues.

    If the application raises, the next call that waits on it raises the same
    exception. After a timeout the application is cancelled, as in asgiref,
    and later calls say so.
    """

    #: Whether the app may close stale database connections. Off, as in
    #: Channels: closing would break the transaction a ``TestCase`` (or a
    #: pytest-django ``db`` test) runs in. Tests of the closing turn it on.
    closes_old_connections: ClassVar[bool] = False

    def __init__(self, application: ASGIApp[ScopeT], scope: ScopeT) -> None:
        self.application = application
        self.scope = scope
        self._input: asyncio.Queue[ASGIReceiveEvent] = asyncio.Queue()
        self._output: asyncio.Queue[ASGISendEvent] = asyncio.Queue()
        self._future: asyncio.Future[None] | None = None
        self._timed_out = False

    @property
    def future(self) -> asyncio.Future[None]:
        """The running application (started on first use)."""
        if self._future is None:
            app = self.application(self.scope, self._input.get, self._output.put)
            if self.closes_old_connections:
                self._future = asyncio.ensure_future(app)
            else:
                # The task copies this context, and so do the threads it hops to.
                with keep_connections_open():
                    self._future = asyncio.ensure_future(app)
        return self._future

    async def send_input(self, event: ASGIReceiveEvent) -> None:
        """Give the application an event to ``receive()``."""
        self._check_alive()
        _ = self.future  # starts the application
        await self._input.put(event)

    async def receive_output(self, timeout: float = 1) -> ASGISendEvent:
        """The next event the application sent.

        Raises:
            TimeoutError: nothing within ``timeout`` (the app is then cancelled).
            Exception: whatever the application raised.
        """
        self._check_alive()
        future = self.future
        if not self._output.empty():
            return self._output.get_nowait()
        getter = asyncio.ensure_future(self._output.get())

        def app_finished(_: object) -> None:
            getter.cancel()  # the queue keeps any event the getter had not taken

        future.add_done_callback(app_finished)
        try:
            await asyncio.wait({getter}, timeout=timeout)
        finally:
            future.remove_done_callback(app_finished)
            if not getter.done():
                getter.cancel()
        if getter.done() and not getter.cancelled():
            return getter.result()
        if not self._output.empty():
            return self._output.get_nowait()
        if future.done():
            future.result()  # raises the application's exception, if any
            raise TimeoutError("the application finished without sending anything")
        await self._cancel()
        raise TimeoutError(f"the application sent nothing within {timeout}s")

    async def receive_nothing(
        self, timeout: float = 0.1, interval: float = 0.01
    ) -> bool:
        """True if the application sends nothing for ``timeout`` seconds."""
        if not self._output.empty():
            return False
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            await asyncio.sleep(interval)
            if not self._output.empty():
                return False
        return self._output.empty()

    async def wait(self, timeout: float = 1) -> None:
        """Wait for the application to finish.

        Raises:
            TimeoutError: still running after ``timeout`` (it is then cancelled).
            Exception: whatever the application raised.
        """
        future = self.future
        done, _ = await asyncio.wait({future}, timeout=timeout)
        if not done:
            await self._cancel()
            raise TimeoutError(f"the application was still running after {timeout}s")
        future.result()

    async def stop(self) -> None:
        """Cancel the application if it is still running."""
        if self._future is not None and not self._future.done():
            await self._cancel()

    async def _cancel(self) -> None:
        self._timed_out = True
        future = self.future
        future.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await future

    def _check_alive(self) -> None:
        if self._timed_out:
            raise RuntimeError(
                "the application was cancelled after a timeout; make a new communicator"
            )
