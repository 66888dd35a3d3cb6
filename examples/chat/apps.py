"""The chat app's configuration (label ``chat``)."""

from __future__ import annotations

from django.apps import AppConfig


class ChatConfig(AppConfig):
    """The demo's only app: rooms' message history."""

    name = "examples.chat"
    label = "chat"
    default_auto_field = "django.db.models.BigAutoField"
