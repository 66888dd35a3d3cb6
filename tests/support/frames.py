"""What the suspended coroutines of running tasks hold in their frames.

Memory tests use it: a value a connection's frames still reference after it
was handled lives as long as the connection.
"""

from __future__ import annotations

import asyncio
import types
from collections.abc import Mapping
from typing import cast


def mappings_held_by_tasks() -> list[Mapping[str, object]]:
    """The dicts (events, messages, scopes) among :func:`values_held_by_tasks`."""
    return [
        cast("Mapping[str, object]", value)
        for value in values_held_by_tasks()
        if isinstance(value, Mapping)
    ]


def values_held_by_tasks() -> list[object]:
    """Every local of every frame awaited by a task other than the caller's."""
    current = asyncio.current_task()
    held: list[object] = []
    for task in asyncio.all_tasks():
        if task is current:
            continue
        awaited: object = task.get_coro()
        while isinstance(awaited, types.CoroutineType):
            frame = awaited.cr_frame
            if frame is not None:
                held.extend(frame.f_locals.values())
            awaited = awaited.cr_await
    return held
