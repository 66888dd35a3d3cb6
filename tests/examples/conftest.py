"""The examples' Django apps need Django set up before their modules import."""

from __future__ import annotations

import os

import django
import pytest
from asgiref.sync import sync_to_async

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.django_settings")
django.setup()


@pytest.fixture
async def chat_tables() -> None:
    """The chat app's tables, made in the ORM's thread.

    ``database_sync_to_async`` runs there, and an in-memory SQLite database
    belongs to one thread's connection.
    """
    from django.core.management import call_command

    await sync_to_async(call_command, thread_sensitive=True)(
        "migrate", "chat", verbosity=0
    )
