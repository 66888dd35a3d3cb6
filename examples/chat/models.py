"""What the demo stores: every chat line, per room."""

from __future__ import annotations

from datetime import datetime

from django.db import models


class Message(models.Model):
    """One line posted in a room (the history a newcomer gets)."""

    # Field types spelled out: pyright has no Django plugin to infer them.
    id: int
    room: models.CharField[str, str] = models.CharField(max_length=80, db_index=True)
    author: models.CharField[str, str] = models.CharField(max_length=150)
    text: models.TextField[str, str] = models.TextField()
    sent_at: models.DateTimeField[datetime, datetime] = models.DateTimeField(
        auto_now_add=True
    )

    class Meta:
        # Newest first: the history query streams from the newest line.
        ordering = ("-id",)

    def __str__(self) -> str:
        return f"[{self.room}] {self.author}: {self.text[:40]}"
