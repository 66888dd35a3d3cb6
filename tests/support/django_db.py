"""A test database for the Django integration tests, without pytest-django.

``django_test_databases`` creates the test databases once per session, first;
``db`` gives a test an empty database and empties it afterwards (as Django's
``TransactionTestCase``), so data written from other threads (the ORM's
thread, a live server) is visible and cleaned up.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from asgiref.sync import sync_to_async
from django.core.management import call_command
from django.db import connections
from django.test.utils import (
    setup_databases,
    setup_test_environment,
    teardown_databases,
    teardown_test_environment,
)


@pytest.fixture(scope="session", autouse=True)
def django_test_databases() -> Iterator[None]:
    """Before any test: a connection opened earlier (in asgiref's ORM thread,
    which outlives tests) would stay on the development database."""
    setup_test_environment(debug=False)
    config = setup_databases(verbosity=0, interactive=False)
    try:
        yield
    finally:
        # PostgreSQL refuses to drop a database in use: close the ORM
        # thread's connections (asgiref's, which outlives tests) and ours.
        asyncio.run(sync_to_async(connections.close_all, thread_sensitive=True)())
        connections.close_all()
        teardown_databases(config, verbosity=0)
        teardown_test_environment()


@pytest.fixture
def db(django_test_databases: None) -> Iterator[None]:
    call_command("flush", verbosity=0, interactive=False)  # others' leftovers
    yield
    call_command("flush", verbosity=0, interactive=False)
