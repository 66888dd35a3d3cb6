"""Which channel layer each alias names: set in code, or built from settings."""

from __future__ import annotations

from typing import Final, cast

from django.utils.module_loading import import_string

from ..exceptions import InvalidChannelLayerError
from ..types import ChannelLayer

DEFAULT_CHANNEL_LAYER: Final = "default"


class ChannelLayerManager:
    """Holds one layer instance per alias, built on first use."""

    def __init__(self) -> None:
        self._layers: dict[str, ChannelLayer | None] = {}

    def get(self, alias: str = DEFAULT_CHANNEL_LAYER) -> ChannelLayer | None:
        """The layer for ``alias``, or None when none is configured."""
        try:
            return self._layers[alias]
        except KeyError:
            layer = self._layers[alias] = self._from_settings(alias)
            return layer

    def set(self, alias: str, layer: ChannelLayer | None) -> ChannelLayer | None:
        """Use ``layer`` for ``alias``; returns the layer it replaces."""
        old = self._layers.get(alias)
        self._layers[alias] = layer
        return old

    def reset(self) -> None:
        """Forget every layer, so the next use reads the settings again."""
        self._layers.clear()

    @staticmethod
    def _from_settings(alias: str) -> ChannelLayer | None:
        from django.conf import settings

        if not settings.configured:
            return None
        configs = _as_str_dict(
            getattr(settings, "CHANNEL_LAYERS", {}), "CHANNEL_LAYERS"
        )
        if alias not in configs:
            return None
        where = f"CHANNEL_LAYERS[{alias!r}]"
        config = _as_str_dict(configs[alias], where)
        backend_path = config.get("BACKEND")
        if not isinstance(backend_path, str):
            raise InvalidChannelLayerError(f"{where} needs a 'BACKEND' import path")
        try:
            backend: object = import_string(backend_path)
        except ImportError as exc:
            raise InvalidChannelLayerError(
                f"{where}['BACKEND'] = {backend_path!r} cannot be imported"
            ) from exc
        options = _as_str_dict(config.get("CONFIG", {}), f"{where}['CONFIG']")
        if not callable(backend):
            raise InvalidChannelLayerError(f"{where}['BACKEND'] is not a class")
        layer = cast("ChannelLayer", backend(**options))
        return layer


def _as_str_dict(value: object, where: str) -> dict[str, object]:
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):  # pyright: ignore[reportUnknownVariableType]
        raise InvalidChannelLayerError(f"{where} must be a dict with str keys")
    return cast("dict[str, object]", value)


channel_layers: Final = ChannelLayerManager()


def get_channel_layer(alias: str = DEFAULT_CHANNEL_LAYER) -> ChannelLayer | None:
    """The channel layer configured under ``alias``, or None."""
    return channel_layers.get(alias)


def set_channel_layer(
    layer: ChannelLayer | None, alias: str = DEFAULT_CHANNEL_LAYER
) -> ChannelLayer | None:
    """Use ``layer`` for ``alias`` (no Django needed); returns the previous one."""
    return channel_layers.set(alias, layer)
