"""Communicators leave the test database's connection open (Channels 4.2).

In a ``TestCase`` the test runs in a transaction on the main thread's
connection, and ``database_sync_to_async`` called from ``async_to_sync``
runs on that same thread. Closing stale connections there would close the
test's connection mid-transaction (a file or PostgreSQL database is really
closed) and every later query would fail.
"""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync
from django.db import Error as DatabaseDriverError
from django.db import connection, transaction
from django.test import TestCase

from tests.support.django_users import users
from typedchannels import db
from typedchannels.db import database_sync_to_async
from typedchannels.generic.websocket import AsyncWebsocketConsumer
from typedchannels.testing import ApplicationCommunicator, WebsocketCommunicator


@database_sync_to_async
def count_users() -> int:
    return users().count()


class CountUsers(AsyncWebsocketConsumer):
    async def connect(self) -> None:
        await self.accept()
        await self.send(text_data=str(await count_users()))


async def talk() -> str | bytes:
    comm = WebsocketCommunicator(CountUsers.as_asgi(), "/")
    await comm.connect()
    text = await comm.receive_from()
    await comm.disconnect()
    return text


class CommunicatorsInATestCase(TestCase):
    def test_the_test_transaction_survives_the_app(self) -> None:
        users().create_user(username="in-transaction")
        assert async_to_sync(talk)() == "1"
        assert not connection.needs_rollback
        assert users().filter(username="in-transaction").count() == 1

    def test_keep_connections_open_is_scoped(self) -> None:
        with db.keep_connections_open():
            assert async_to_sync(count_users)() == 0
        assert not connection.needs_rollback


@pytest.mark.usefixtures("db")
def test_without_the_protection_the_transaction_breaks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # What the communicators prevent is real: let them close, and the
    # transaction's connection is closed under it.
    monkeypatch.setattr(ApplicationCommunicator, "closes_old_connections", True)
    try:
        with transaction.atomic():
            with pytest.raises(DatabaseDriverError):
                async_to_sync(talk)()
            assert connection.needs_rollback
    finally:
        connection.close()  # drop the closed handle; the next query reconnects
    assert users().count() == 0
