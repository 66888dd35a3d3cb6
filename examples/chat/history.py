"""The room history in the database, reached from async code.

The ORM is synchronous: ``database_sync_to_async`` runs these functions in
the ORM's thread and closes stale connections around them, and the checkers
see their real signatures (``(str, int) -> Awaitable[list[Line]]``).
"""

from __future__ import annotations

from itertools import islice

from typedchannels.db import database_sync_to_async

from .messages import Line
from .models import Message

#: How many lines a newcomer gets.
HISTORY_LENGTH = 50


def _line(message: Message) -> Line:
    return Line(
        id=message.id,
        author=message.author,
        text=message.text,
        sent_at=message.sent_at.isoformat(timespec="seconds"),
    )


@database_sync_to_async
def recent_lines(room: str, limit: int = HISTORY_LENGTH) -> list[Line]:
    """The room's last ``limit`` lines, oldest first."""
    # Chained queryset methods (.order_by()[:n]) come out Unknown in pyright
    # with django-stubs; the model's ordering and a streamed iterator do not.
    newest_first = Message.objects.filter(room=room).iterator(chunk_size=limit)
    lines = [_line(message) for message in islice(newest_first, limit)]
    lines.reverse()
    return lines


@database_sync_to_async
def store_line(room: str, author: str, text: str) -> Line:
    """Save a line and return it as it will be shown."""
    return _line(Message.objects.create(room=room, author=author, text=text))
