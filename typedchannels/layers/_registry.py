"""Which channel layer each alias names: set in code, or built from settings.

With Django, ``CHANNEL_LAYERS = {alias: {"BACKEND": "dotted.path", "CONFIG":
{...}, "TEST_CONFIG": {...}}}`` is read on first use of an alias, and the cache
is reset whenever ``override_settings`` (Django's ``setting_changed`` signal)
changes ``CHANNEL_LAYERS``. Without Django, hand a layer instance to
:func:`set_channel_layer`.
"""

from __future__ import annotations

import os
from typing import Final, cast

from django.core.signals import setting_changed
from django.utils.module_loading import import_string

from ..exceptions import InvalidChannelLayerError
from ..types import ChannelLayer

DEFAULT_CHANNEL_LAYER: Final = "default"
SETTING: Final = "CHANNEL_LAYERS"


class ChannelLayerManager:
    """Holds one layer instance per alias, built on first use."""

    def __init__(self) -> None:
        self._layers: dict[str, ChannelLayer | None] = {}

    def get(self, alias: str = DEFAULT_CHANNEL_LAYER) -> ChannelLayer | None:
        """The layer for ``alias``, or None when none is configured.

        Raises:
            InvalidChannelLayerError: ``CHANNEL_LAYERS[alias]`` is malformed.
        """
        try:
            return self._layers[alias]
        except KeyError:
            layer = self._layers[alias] = self._from_settings(alias, "CONFIG")
            return layer

    def set(self, alias: str, layer: ChannelLayer | None) -> ChannelLayer | None:
        """Use ``layer`` for ``alias``; returns the layer it replaces."""
        old = self._layers.get(alias)
        self._layers[alias] = layer
        return old

    def reset(self) -> None:
        """Forget every layer, so the next use reads the settings again."""
        self._layers.clear()

    def make_test_backend(self, alias: str = DEFAULT_CHANNEL_LAYER) -> ChannelLayer:
        """A new layer for ``alias`` built from its ``TEST_CONFIG`` (for test servers).

        Raises:
            InvalidChannelLayerError: no such alias, no ``TEST_CONFIG``, or malformed.
        """
        layer = self._from_settings(alias, "TEST_CONFIG")
        if layer is None:
            raise InvalidChannelLayerError(
                f"{SETTING}[{alias!r}] is not configured (Django settings needed)"
            )
        return layer

    @staticmethod
    def _from_settings(alias: str, options_key: str) -> ChannelLayer | None:
        from django.conf import ENVIRONMENT_VARIABLE, settings

        if not settings.configured and not os.environ.get(ENVIRONMENT_VARIABLE):
            return None
        configs = _as_str_dict(getattr(settings, SETTING, {}), SETTING)
        if alias not in configs:
            return None
        where = f"{SETTING}[{alias!r}]"
        config = _as_str_dict(configs[alias], where)
        if options_key == "TEST_CONFIG" and "TEST_CONFIG" not in config:
            raise InvalidChannelLayerError(f"{where} has no 'TEST_CONFIG'")
        unknown = set(config) - {"BACKEND", "CONFIG", "TEST_CONFIG"}
        if unknown:
            raise InvalidChannelLayerError(
                f"{where} has unknown keys {sorted(unknown)}; "
                "expected 'BACKEND', 'CONFIG' and 'TEST_CONFIG'"
            )
        backend_path = config.get("BACKEND")
        if not isinstance(backend_path, str):
            raise InvalidChannelLayerError(f"{where} needs a 'BACKEND' import path")
        try:
            backend: object = import_string(backend_path)
        except ImportError as exc:
            raise InvalidChannelLayerError(
                f"{where}['BACKEND'] = {backend_path!r} cannot be imported: {exc}"
            ) from exc
        options = _as_str_dict(config.get(options_key, {}), f"{where}[{options_key!r}]")
        if not callable(backend):
            raise InvalidChannelLayerError(f"{where}['BACKEND'] is not a class")
        try:
            layer = backend(**options)
        except (TypeError, ValueError) as exc:
            raise InvalidChannelLayerError(
                f"{where}[{options_key!r}] is not accepted by {backend_path}: {exc}"
            ) from exc
        return cast("ChannelLayer", layer)


def _as_str_dict(value: object, where: str) -> dict[str, object]:
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):  # pyright: ignore[reportUnknownVariableType]
        raise InvalidChannelLayerError(f"{where} must be a dict with str keys")
    return cast("dict[str, object]", value)


channel_layers: Final = ChannelLayerManager()


def _on_setting_changed(*, setting: str, **kwargs: object) -> None:
    if setting == SETTING:
        channel_layers.reset()


setting_changed.connect(_on_setting_changed, dispatch_uid="typedchannels.layers")


def get_channel_layer(alias: str = DEFAULT_CHANNEL_LAYER) -> ChannelLayer | None:
    """The channel layer configured under ``alias``, or None.

    Raises:
        InvalidChannelLayerError: ``CHANNEL_LAYERS[alias]`` is malformed.
    """
    return channel_layers.get(alias)


def require_channel_layer(alias: str = DEFAULT_CHANNEL_LAYER) -> ChannelLayer:
    """The channel layer configured under ``alias``; never None.

    Raises:
        InvalidChannelLayerError: no layer is configured (or it is malformed).
    """
    layer = channel_layers.get(alias)
    if layer is None:
        raise InvalidChannelLayerError(
            f"no channel layer under alias {alias!r}: add it to the {SETTING} "
            "setting or call typedchannels.layers.set_channel_layer(layer, alias)"
        )
    return layer


def set_channel_layer(
    layer: ChannelLayer | None, alias: str = DEFAULT_CHANNEL_LAYER
) -> ChannelLayer | None:
    """Use ``layer`` for ``alias`` (no Django needed); returns the previous one."""
    return channel_layers.set(alias, layer)
