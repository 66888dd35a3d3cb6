"""Stale database connections, closed without a thread hop per message.

Django closes connections that are broken or past ``CONN_MAX_AGE`` at the
start and end of each HTTP request. A consumer lives across many messages, so
Channels 4.2+ hops to a worker thread before every handler to do the same,
which costs most of its per-message time. Here the hop happens only when a
connection may need it: Django's ``connection_created`` signal and a query
hook set a flag when the ORM was used, and a deadline remembers when an open
persistent connection reaches its ``CONN_MAX_AGE``. Consumers check the flag
and the deadline (a few attribute reads) before each handler.

Connections are per thread: what this closes are the connections of asgiref's
thread-sensitive executor, where ``sync_to_async`` and sync consumers run ORM
code (as in Channels). Importing this module does not read Django settings.
"""

from __future__ import annotations

import contextlib
import functools
import math
import time
from collections.abc import Callable, Coroutine, Generator
from contextvars import ContextVar
from typing import Final, cast

from asgiref.sync import sync_to_async
from django.db import close_old_connections
from django.db.backends.signals import connection_created
from typing_extensions import ParamSpec, TypeVar

__all__ = [
    "aclose_old_connections",
    "close_old_connections",
    "connection_watch",
    "database_sync_to_async",
    "keep_connections_open",
]

_P = ParamSpec("_P")
_R = TypeVar("_R")


class ConnectionWatch:
    """Whether the ORM may have left a connection that needs closing."""

    __slots__ = ("deadline", "dirty")

    def __init__(self) -> None:
        #: Set (from any thread) when a connection opened or a query ran.
        #: True at first: connections may predate this module's signal hook.
        self.dirty: bool = True
        #: When the earliest open persistent connection gets past its max age.
        self.deadline: float = math.inf

    def due(self) -> bool:
        """True when closing old connections may do something."""
        return self.dirty or (
            self.deadline != math.inf and self.deadline <= time.monotonic()
        )


#: The process-wide watch consumers consult before each handler.
connection_watch: Final = ConnectionWatch()


def _note_query(
    execute: Callable[..., object],
    sql: object,
    params: object,
    many: bool,
    context: dict[str, object],
) -> object:
    # A query may fail or change autocommit, which makes a persistent
    # connection one to check.
    connection_watch.dirty = True
    return execute(sql, params, many, context)


def _on_connection_created(sender: object, connection: object, **_: object) -> None:
    connection_watch.dirty = True
    wrappers: object = getattr(connection, "execute_wrappers", None)
    if isinstance(wrappers, list) and _note_query not in wrappers:
        # First, so that wrappers pushed and popped by execute_wrapper() are
        # unaffected.
        cast("list[object]", wrappers).insert(0, _note_query)


connection_created.connect(_on_connection_created, dispatch_uid=__name__)


# Set by the test communicators for the apps they run (and the threads those
# hop to): a test database lives inside a transaction that closing breaks.
_keeping_open: Final = ContextVar("typedchannels_keep_connections_open", default=False)


@contextlib.contextmanager
def keep_connections_open() -> Generator[None]:
    """Skip stale-connection closing in this context and the tasks and threads
    started from it (as Channels' communicators do, so that a ``TestCase``'s
    transaction survives the app under test)."""
    token = _keeping_open.set(True)
    try:
        yield
    finally:
        _keeping_open.reset(token)


def _close_and_rearm() -> None:
    """In the ORM's thread: close what is old, then note what stays open."""
    if _keeping_open.get():
        return
    connection_watch.dirty = False
    if not _django_configured():
        return  # no settings, so no connections (the signal says when)
    close_old_connections()
    connection_watch.deadline = _next_deadline()


def _django_configured() -> bool:
    from django.conf import settings

    return settings.configured


def _next_deadline() -> float:
    from django.db import connections

    deadline = math.inf
    for connection in connections.all(initialized_only=True):
        close_at = connection.close_at
        if connection.connection is not None and close_at is not None:
            deadline = min(deadline, close_at)
    return deadline


_close_in_orm_thread: Final = sync_to_async(_close_and_rearm, thread_sensitive=True)


async def aclose_old_connections() -> None:
    """Close stale connections of the ORM's thread (one thread hop)."""
    if not _keeping_open.get():
        await _close_in_orm_thread()


def call_closing_old_connections(
    func: Callable[_P, _R], /, *args: _P.args, **kwargs: _P.kwargs
) -> _R:
    """Call ``func`` (already in the ORM's thread), closing stale connections
    before and after it when the watch says they may need it."""
    if connection_watch.due():
        _close_and_rearm()
    try:
        return func(*args, **kwargs)
    finally:
        if connection_watch.due():
            _close_and_rearm()


def database_sync_to_async(
    func: Callable[_P, _R], /
) -> Callable[_P, Coroutine[object, object, _R]]:
    """``sync_to_async`` (thread-sensitive) that closes stale connections of the
    thread before and after ``func``, as Channels' decorator of the same name."""

    @functools.wraps(func)
    def closing(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        _close_and_rearm()
        try:
            return func(*args, **kwargs)
        finally:
            _close_and_rearm()

    return sync_to_async(closing, thread_sensitive=True)
