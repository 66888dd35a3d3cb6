"""System checks: configuration mistakes reported at startup, not at the first
connection. Run by ``manage.py check`` (and runserver, migrate, tests) once
``"typedchannels"`` is in ``INSTALLED_APPS``.

=====================  =======================================================
``typedchannels.E001``  ``ASGI_APPLICATION`` is not set
``typedchannels.E002``  ``ASGI_APPLICATION`` cannot be imported (or is no app)
``typedchannels.E003``  ``CHANNEL_LAYERS`` is malformed
``typedchannels.E004``  a ``CHANNEL_LAYERS`` backend cannot be imported
``typedchannels.W001``  WebSocket app without an origin check while not DEBUG
=====================  =======================================================
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final, cast

from django.apps import AppConfig
from django.conf import settings
from django.core import checks
from django.utils.module_loading import import_string

__all__ = [
    "TAG",
    "check_asgi_application",
    "check_channel_layers",
    "check_websocket_origin_validation",
    "register",
]

#: Run only these with ``manage.py check --tag typedchannels``.
TAG: Final = "typedchannels"
_LAYER_KEYS: Final = frozenset({"BACKEND", "CONFIG", "TEST_CONFIG"})
# Attributes through which wrappers (middleware, validators) hold their app.
_INNER_ATTRIBUTES: Final = ("inner", "application", "app")


def register() -> None:
    """Register the checks (the app config does this in ``ready()``)."""
    checks.register(check_asgi_application, TAG)
    checks.register(check_channel_layers, TAG)
    checks.register(check_websocket_origin_validation, TAG, checks.Tags.security)


def _load_application() -> tuple[object, list[checks.CheckMessage]]:
    from .exceptions import ConfigurationError
    from .routing import get_default_application

    if not getattr(settings, "ASGI_APPLICATION", None):
        return None, [
            checks.Error(
                "ASGI_APPLICATION is not set.",
                hint='Set it to your root application, e.g. "mysite.asgi.application", '
                "whose ProtocolTypeRouter serves get_asgi_application() as 'http'.",
                id="typedchannels.E001",
            )
        ]
    try:
        return get_default_application(), []
    except (ConfigurationError, Exception) as exc:  # a check reports, never crashes
        return None, [
            checks.Error(
                f"ASGI_APPLICATION cannot be loaded: {type(exc).__name__}: {exc}",
                hint="Fix the import path, or the error raised while importing it.",
                id="typedchannels.E002",
            )
        ]


def check_asgi_application(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: object
) -> list[checks.CheckMessage]:
    """E001/E002: ``ASGI_APPLICATION`` names an importable ASGI app."""
    return _load_application()[1]


def check_channel_layers(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: object
) -> list[checks.CheckMessage]:
    """E003/E004: ``CHANNEL_LAYERS`` is a dict of aliases with importable backends."""
    layers: object = getattr(settings, "CHANNEL_LAYERS", {})
    if not isinstance(layers, dict):
        return [
            _layers_error(f"must be a dict of aliases, not {type(layers).__name__}")
        ]
    errors: list[checks.CheckMessage] = []
    for alias, config in cast("dict[object, object]", layers).items():
        where = f"[{alias!r}]"
        if not isinstance(alias, str):
            errors.append(_layers_error(f"alias {alias!r} is not a str"))
            continue
        if not isinstance(config, dict):
            errors.append(_layers_error(f"{where} must be a dict with 'BACKEND'"))
            continue
        fields = cast("dict[object, object]", config)
        unknown = sorted(map(repr, set(fields) - _LAYER_KEYS))
        if unknown:
            errors.append(
                _layers_error(
                    f"{where} has unknown keys {', '.join(unknown)}; "
                    "expected 'BACKEND', 'CONFIG' and 'TEST_CONFIG'"
                )
            )
        for options in ("CONFIG", "TEST_CONFIG"):
            if options in fields and not isinstance(fields[options], dict):
                errors.append(_layers_error(f"{where}[{options!r}] must be a dict"))
        backend = fields.get("BACKEND")
        if not isinstance(backend, str) or not backend:
            errors.append(_layers_error(f"{where} needs a 'BACKEND' import path"))
            continue
        try:
            found: object = import_string(backend)
        except ImportError as exc:
            errors.append(
                checks.Error(
                    f"CHANNEL_LAYERS{where}['BACKEND'] = {backend!r} cannot be "
                    f"imported: {exc}",
                    hint="Use e.g. 'typedchannels.layers.InMemoryChannelLayer', or "
                    "install the package that provides the backend.",
                    id="typedchannels.E004",
                )
            )
            continue
        if not callable(found):
            errors.append(
                _layers_error(f"{where}['BACKEND'] = {backend!r} is not a class")
            )
    return errors


def _layers_error(problem: str) -> checks.Error:
    return checks.Error(
        f"CHANNEL_LAYERS {problem}.",
        hint='e.g. CHANNEL_LAYERS = {"default": {"BACKEND": '
        '"typedchannels.layers.InMemoryChannelLayer", "CONFIG": {}}}',
        id="typedchannels.E003",
    )


def _has_origin_validator(app: object) -> bool:
    from .security.websocket import OriginValidator

    seen: set[int] = set()
    while app is not None and id(app) not in seen:
        if isinstance(app, OriginValidator):
            return True
        seen.add(id(app))
        app = next(
            (
                vars(app)[name]
                for name in _INNER_ATTRIBUTES
                if name in getattr(app, "__dict__", {})
            ),
            None,
        )
    return False


def check_websocket_origin_validation(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: object
) -> list[checks.CheckMessage]:
    """W001: with ``DEBUG = False``, the ``"websocket"`` app checks origins."""
    from .routing import ProtocolTypeRouter

    if settings.DEBUG or not getattr(settings, "ASGI_APPLICATION", None):
        return []
    app, problems = _load_application()
    if problems or not isinstance(app, ProtocolTypeRouter):
        return []  # reported by E001/E002, or a root we cannot see into
    mapping: dict[str, object] = dict(app.application_mapping)
    websocket = mapping.get("websocket")
    if websocket is None or _has_origin_validator(websocket):
        return []
    return [
        checks.Warning(
            "The 'websocket' application is not wrapped in an origin validator: "
            "any web site can open WebSockets to it with your users' cookies "
            "(cross-site WebSocket hijacking).",
            hint="Wrap it: AllowedHostsOriginValidator(AuthMiddlewareStack(...)) "
            "from typedchannels.security.websocket; if you check origins another "
            'way, add "typedchannels.W001" to SILENCED_SYSTEM_CHECKS.',
            id="typedchannels.W001",
        )
    ]
