"""Session calls from async tests that work on every supported Django.

Django 5.0 gave session stores ``aget``/``aset``/``asave``/``aflush``; 4.2
has only the blocking methods, which load from the database, so async code
runs them in the database thread.
"""

from __future__ import annotations

from django.contrib.sessions.backends.base import SessionBase

from typedchannels.db import database_sync_to_async


async def session_get(session: SessionBase, key: str, default: object = None) -> object:
    """``session.get(key, default)``."""
    return await database_sync_to_async(session.get)(key, default)


async def session_set(session: SessionBase, key: str, value: object) -> None:
    """``session[key] = value``."""
    await database_sync_to_async(session.__setitem__)(key, value)


async def session_save(session: SessionBase) -> None:
    """``session.save()``."""
    await database_sync_to_async(session.save)()


async def session_flush(session: SessionBase) -> None:
    """``session.flush()``."""
    await database_sync_to_async(session.flush)()
