"""get_default_application(): the app ASGI_APPLICATION names."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings

from tests.django_project.asgi import application
from typedchannels.exceptions import ConfigurationError
from typedchannels.routing import get_default_application


def test_it_is_the_project_application() -> None:
    assert get_default_application() is application


def test_a_missing_setting_says_what_to_set() -> None:
    with (
        override_settings(ASGI_APPLICATION=None),
        pytest.raises(
            ConfigurationError, match=re.escape('ASGI_APPLICATION = "mysite.asgi')
        ),
    ):
        get_default_application()


def test_an_unimportable_setting_names_it() -> None:
    with (
        override_settings(ASGI_APPLICATION="tests.nowhere.application"),
        pytest.raises(
            ConfigurationError,
            match=re.escape("'tests.nowhere.application' cannot be imported"),
        ),
    ):
        get_default_application()


def test_something_that_is_no_app_is_refused() -> None:
    with (
        override_settings(ASGI_APPLICATION="tests.django_project.settings.SECRET_KEY"),
        pytest.raises(ConfigurationError, match="is not an ASGI app"),
    ):
        get_default_application()
