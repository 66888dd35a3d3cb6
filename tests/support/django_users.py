"""Typed access to Django's user manager for tests under both checkers."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.models import User, UserManager


def users() -> UserManager[User]:
    """``User.objects``: pyright cannot evaluate django-stubs' ``ClassVar[UserManager[Self]]``."""
    return cast("UserManager[User]", User.objects)  # pyright: ignore[reportUnknownMemberType]  # see docstring
