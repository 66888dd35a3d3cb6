"""Stale connections are closed when the ORM may have left one, and only then."""

from __future__ import annotations

import asyncio
import math
import threading
import time

import pytest
from django.db.backends.signals import connection_created

from typedchannels import db
from typedchannels.generic.websocket import (
    AsyncJsonWebsocketConsumer,
    JsonWebsocketConsumer,
)
from typedchannels.testing import ApplicationCommunicator, WebsocketCommunicator
from typedchannels.types import JSONValue


class Closes:
    """Stands in for Django's close_old_connections: counts calls, and where."""

    def __init__(self) -> None:
        self.threads: list[int] = []

    def __call__(self) -> None:
        self.threads.append(threading.get_ident())


@pytest.fixture
def closes(monkeypatch: pytest.MonkeyPatch) -> Closes:
    counter = Closes()
    monkeypatch.setattr(db, "close_old_connections", counter)
    monkeypatch.setattr(ApplicationCommunicator, "closes_old_connections", True)
    monkeypatch.setattr(db, "_django_configured", lambda: True)
    monkeypatch.setattr(db, "_next_deadline", lambda: math.inf)
    monkeypatch.setattr(db.connection_watch, "dirty", False)
    monkeypatch.setattr(db.connection_watch, "deadline", math.inf)
    return counter


class Echo(AsyncJsonWebsocketConsumer):
    async def receive_json(self, content: JSONValue) -> None:
        await self.send_json(content)


class SyncEcho(JsonWebsocketConsumer):
    def receive_json(self, content: JSONValue) -> None:
        self.send_json(content)


class FakeConnection:
    def __init__(self) -> None:
        self.execute_wrappers: list[object] = []


async def echo(comm: WebsocketCommunicator[dict[str, object]], n: int) -> None:
    for i in range(n):
        await comm.send_json_to(i)
        assert await comm.receive_json_from() == i


async def test_no_connection_used_means_no_closing_and_no_hop(closes: Closes) -> None:
    comm = WebsocketCommunicator(Echo.as_asgi(), "/")
    await comm.connect()
    await echo(comm, 5)
    await comm.disconnect()
    assert closes.threads == []


async def test_a_new_connection_is_closed_once_in_the_orm_thread(
    closes: Closes,
) -> None:
    comm = WebsocketCommunicator(Echo.as_asgi(), "/")
    await comm.connect()
    connection = FakeConnection()
    connection_created.send(sender=FakeConnection, connection=connection)
    await echo(comm, 3)
    assert len(closes.threads) == 1
    assert closes.threads[0] != threading.get_ident()  # a hop, not the loop

    # Django's connection now reports its queries, which may leave it broken.
    [note_query] = connection.execute_wrappers
    assert callable(note_query)

    def execute(*args: object) -> str:
        return "rows"

    assert note_query(execute, "select 1", (), False, {}) == "rows"
    await echo(comm, 3)
    assert len(closes.threads) == 2
    await comm.disconnect()


async def test_a_persistent_connection_is_checked_at_its_max_age(
    closes: Closes, monkeypatch: pytest.MonkeyPatch
) -> None:
    comm = WebsocketCommunicator(Echo.as_asgi(), "/")
    await comm.connect()
    monkeypatch.setattr(db.connection_watch, "deadline", time.monotonic() + 0.05)
    await echo(comm, 2)
    assert closes.threads == []
    await asyncio.sleep(0.06)
    await echo(comm, 3)
    assert len(closes.threads) == 1
    await comm.disconnect()


async def test_connections_left_by_the_last_handler_are_closed_on_stop(
    closes: Closes,
) -> None:
    comm = WebsocketCommunicator(Echo.as_asgi(), "/")
    await comm.connect()
    db.connection_watch.dirty = True  # as if disconnect() had used the ORM
    await comm.send_input({"type": "websocket.disconnect", "code": 1000})
    await comm.wait()
    # once before the disconnect handler; the stop path finds nothing left
    assert len(closes.threads) == 1


async def test_sync_consumers_close_in_their_own_thread(closes: Closes) -> None:
    comm = WebsocketCommunicator(SyncEcho.as_asgi(), "/")
    await comm.connect()
    await echo(comm, 2)
    assert closes.threads == []
    connection_created.send(sender=FakeConnection, connection=FakeConnection())
    await echo(comm, 2)
    assert len(closes.threads) == 1
    await comm.disconnect()


async def test_database_sync_to_async_closes_before_and_after(closes: Closes) -> None:
    calls: list[int] = []

    @db.database_sync_to_async
    def query(x: int, *, times: int) -> int:
        calls.append(threading.get_ident())
        return x * times

    assert await query(3, times=2) == 6
    assert len(closes.threads) == 2
    assert set(closes.threads) == set(calls)


def test_importing_typedchannels_reads_no_settings() -> None:
    import subprocess
    import sys

    code = (
        "import typedchannels.db, typedchannels.generic.websocket, "
        "typedchannels.generic.http; from django.conf import settings; "
        "assert not settings.configured"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
