"""System checks: ASGI_APPLICATION, CHANNEL_LAYERS, origin validation."""

from __future__ import annotations

import sys
import types
from collections.abc import Callable, Iterator

import pytest
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from typedchannels.auth import AuthMiddlewareStack
from typedchannels.checks import (
    check_asgi_application,
    check_channel_layers,
    check_websocket_origin_validation,
)
from typedchannels.generic.websocket import AsyncWebsocketConsumer
from typedchannels.routing import ProtocolTypeRouter, URLRouter, path
from typedchannels.security.websocket import AllowedHostsOriginValidator
from typedchannels.types import HTTPScope, Receive, Send


def ids(messages: list[checks.CheckMessage]) -> list[str | None]:
    return [message.id for message in messages]


def test_the_test_project_passes_every_check() -> None:
    with override_settings(DEBUG=False):
        assert check_asgi_application() == []
        assert check_channel_layers() == []
        assert check_websocket_origin_validation() == []
        call_command("check", "--tag", "typedchannels", "--fail-level", "WARNING")


def test_a_missing_asgi_application() -> None:
    with override_settings(ASGI_APPLICATION=None):
        (error,) = check_asgi_application()
    assert error.id == "typedchannels.E001"
    assert "ASGI_APPLICATION is not set" in error.msg


@pytest.mark.parametrize(
    ("path", "why"),
    [
        ("tests.django_project.nowhere.application", "No module named"),
        ("tests.django_project.asgi.nothing", 'does not define a "nothing"'),
        ("tests.django_project.asgi", "ConfigurationError"),  # a module, no app
    ],
)
def test_an_asgi_application_that_cannot_be_loaded(path: str, why: str) -> None:
    with override_settings(ASGI_APPLICATION=path):
        (error,) = check_asgi_application()
    assert error.id == "typedchannels.E002"
    assert why in error.msg


def test_check_command_fails_on_an_error() -> None:
    with (
        override_settings(ASGI_APPLICATION="tests.nowhere.application"),
        pytest.raises(SystemCheckError, match=r"typedchannels\.E002"),
    ):
        call_command("check", "--tag", "typedchannels")


@pytest.mark.parametrize(
    ("layers", "problem"),
    [
        (["default"], "must be a dict of aliases"),
        ({"default": "typedchannels.layers.InMemoryChannelLayer"}, "must be a dict"),
        ({"default": {}}, "needs a 'BACKEND'"),
        ({"default": {"BACKEND": 1}}, "needs a 'BACKEND'"),
        (
            {
                "default": {
                    "BACKEND": "typedchannels.layers.InMemoryChannelLayer",
                    "CONFG": {},
                }
            },
            "unknown keys 'CONFG'",
        ),
        (
            {
                "default": {
                    "BACKEND": "typedchannels.layers.InMemoryChannelLayer",
                    "CONFIG": [],
                }
            },
            "['CONFIG'] must be a dict",
        ),
        (
            {"default": {"BACKEND": "typedchannels.layers.DEFAULT_CHANNEL_LAYER"}},
            "is not a class",
        ),
        ({1: {"BACKEND": "typedchannels.layers.InMemoryChannelLayer"}}, "is not a str"),
    ],
)
def test_malformed_channel_layers(layers: object, problem: str) -> None:
    with override_settings(CHANNEL_LAYERS=layers):
        (error,) = check_channel_layers()
    assert error.id == "typedchannels.E003"
    assert problem in error.msg


def test_an_unknown_channel_layer_backend() -> None:
    layers = {"default": {"BACKEND": "channels_rabbit.core.RabbitLayer"}}
    with override_settings(CHANNEL_LAYERS=layers):
        (error,) = check_channel_layers()
    assert error.id == "typedchannels.E004"
    assert "'channels_rabbit.core.RabbitLayer' cannot be imported" in error.msg


def test_well_formed_channel_layers_pass() -> None:
    layers: dict[str, dict[str, object]] = {
        "default": {
            "BACKEND": "typedchannels.layers.InMemoryChannelLayer",
            "CONFIG": {},
        },
        "other": {
            "BACKEND": "typedchannels.layers.InMemoryChannelLayer",
            "TEST_CONFIG": {"expiry": 5},
        },
    }
    with override_settings(CHANNEL_LAYERS=layers):
        assert check_channel_layers() == []


class Hello(AsyncWebsocketConsumer):
    async def connect(self) -> None:
        await self.accept()


async def http(scope: HTTPScope, receive: Receive, send: Send) -> None:
    """Stands in for Django's get_asgi_application()."""


ProjectApp = Callable[[ProtocolTypeRouter], str]


@pytest.fixture
def project_app() -> Iterator[ProjectApp]:
    """Makes an app importable: its ASGI_APPLICATION import path."""
    module = types.ModuleType("typedchannels_check_project")
    sys.modules[module.__name__] = module

    def install(app: ProtocolTypeRouter) -> str:
        vars(module)["application"] = app
        return f"{module.__name__}.application"

    yield install
    del sys.modules[module.__name__]


def test_an_unguarded_websocket_app_warns_in_production(
    project_app: ProjectApp,
) -> None:
    router = URLRouter([path("ws/", Hello.as_asgi())])
    target = project_app(
        ProtocolTypeRouter({"http": http, "websocket": AuthMiddlewareStack(router)})
    )
    with override_settings(ASGI_APPLICATION=target, DEBUG=False):
        (warning,) = check_websocket_origin_validation()
    assert warning.id == "typedchannels.W001"
    assert warning.level == checks.WARNING
    assert "cross-site WebSocket hijacking" in warning.msg
    with override_settings(ASGI_APPLICATION=target, DEBUG=True):
        assert check_websocket_origin_validation() == []  # development
    silenced = ["typedchannels.W001"]
    with override_settings(
        ASGI_APPLICATION=target, DEBUG=False, SILENCED_SYSTEM_CHECKS=silenced
    ):
        call_command("check", "--tag", "typedchannels", "--fail-level", "WARNING")


def test_a_validator_anywhere_in_the_chain_counts(project_app: ProjectApp) -> None:
    router = URLRouter([path("ws/", Hello.as_asgi())])
    guarded_inside = AuthMiddlewareStack(AllowedHostsOriginValidator(router))
    target = project_app(
        ProtocolTypeRouter({"http": http, "websocket": guarded_inside})
    )
    with override_settings(ASGI_APPLICATION=target, DEBUG=False):
        assert check_websocket_origin_validation() == []


def test_no_websocket_app_means_no_warning(project_app: ProjectApp) -> None:
    target = project_app(ProtocolTypeRouter({"http": http}))
    with override_settings(ASGI_APPLICATION=target, DEBUG=False):
        assert ids(check_websocket_origin_validation()) == []
