"""The app config, and the import-order trap's message."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from django.apps import apps
from django.core import checks

from typedchannels import checks as typedchannels_checks
from typedchannels._import_order import MESSAGE
from typedchannels.apps import TypedChannelsConfig

ROOT = Path(__file__).resolve().parents[2]


def test_the_app_is_installed_with_its_config() -> None:
    config = apps.get_app_config("typedchannels")
    assert isinstance(config, TypedChannelsConfig)


def test_ready_registers_the_checks() -> None:
    registered = {
        getattr(check, "__qualname__", "")
        for check in checks.registry.registry.get_checks()
    }
    for check in (
        typedchannels_checks.check_asgi_application,
        typedchannels_checks.check_channel_layers,
        typedchannels_checks.check_websocket_origin_validation,
    ):
        assert check.__qualname__ in registered
    assert typedchannels_checks.TAG in checks.registry.registry.tags_available()


def test_once_set_up_the_registry_is_django_s_own() -> None:
    assert "check_apps_ready" not in vars(apps)


def run(code: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.django_project.settings"}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_models_imported_before_setup_get_a_message_that_says_what_to_do() -> None:
    # asgi.py importing a consumer module that imports models, before
    # get_asgi_application(): the Channels 3 trap.
    result = run(
        """
        from typedchannels.generic.websocket import AsyncWebsocketConsumer
        from django.contrib.auth.models import User
        """
    )
    assert result.returncode != 0
    assert "typedchannels.exceptions.ImportOrderError" in result.stderr
    assert "call django_asgi_app = get_asgi_application() before" in result.stderr
    assert "Apps aren't loaded yet" in result.stderr


def test_the_message_is_still_an_app_registry_not_ready() -> None:
    result = run(
        """
        import typedchannels.routing  # as asgi.py does
        from django.core.exceptions import AppRegistryNotReady
        try:
            from django.contrib.auth.models import User
        except AppRegistryNotReady as exc:
            print(type(exc).__name__)
        """
    )
    assert result.stdout.strip() == "ImportOrderError", result.stderr


def test_typedchannels_modules_import_before_setup() -> None:
    # So asgi.py may import them before get_asgi_application().
    result = run(
        """
        import typedchannels.auth, typedchannels.sessions, typedchannels.routing
        import typedchannels.security.websocket, typedchannels.generic.websocket
        import django
        django.setup()
        from django.apps import apps
        from django.contrib.auth.models import User
        print("check_apps_ready" in vars(apps))
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_the_documented_asgi_order_works() -> None:
    result = run(
        """
        from tests.django_project.asgi import application
        print(type(application).__name__)
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ProtocolTypeRouter"


def test_the_message_names_the_fix() -> None:
    assert "get_asgi_application()" in MESSAGE
    assert "django.setup()" in MESSAGE
