"""Suite-wide fixtures: each test starts with no channel layer configured.

Django is set up once with ``tests.django_settings`` (settings are
process-wide), and the test databases are made before the first test; the
core behaves the same with settings as without (see
``test_without_django_settings``). Tests that use the database take ``db``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import django
import pytest

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.django_settings")
django.setup()

from tests.support.django_db import db, django_test_databases  # noqa: E402
from typedchannels.layers import channel_layers  # noqa: E402

__all__ = ["db", "django_test_databases"]

# The pytest plugin is tested in pytests of its own.
pytest_plugins = ("pytester",)


@pytest.fixture(autouse=True)
def _no_channel_layers() -> Iterator[None]:
    channel_layers.reset()
    yield
    channel_layers.reset()
