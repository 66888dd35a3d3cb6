"""Typed access to Django's user manager for tests under both checkers."""

from __future__ import annotations

from typing import cast

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth.models import User, UserManager
from django.test import Client


def users() -> UserManager[User]:
    """``User.objects``: pyright cannot evaluate django-stubs' ``ClassVar[UserManager[Self]]``.

    (django-stubs 6.0, for Python 3.10, types it exactly: the cast is redundant there.)
    """
    return cast("UserManager[User]", User.objects)  # type: ignore[redundant-cast, unused-ignore]  # pyright: ignore[reportUnknownMemberType]  # see docstring


def logged_in_session_key(user: User) -> str:
    """A session logged in as ``user`` by Django's own login(), as a browser's."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@sync_to_async
def new_logged_in_session_key(username: str) -> str:
    """Create a user and log it in (in the ORM's thread): its session key."""
    return logged_in_session_key(users().create_user(username=username, password="pw"))
