"""Django settings for the whole test suite (and the mypy django-stubs plugin):
the test project's (``tests/django_project``), plus the example chat app.

Django's settings are process-wide, so every conftest uses this module.
"""

from __future__ import annotations

from tests.django_project.settings import *  # noqa: F403  # the project's settings
from tests.django_project.settings import INSTALLED_APPS as _PROJECT_APPS

INSTALLED_APPS = ["examples.chat.apps.ChatConfig", *_PROJECT_APPS]  # pyright: ignore[reportConstantRedefinition]  # extends the star-imported list
