"""The plugin entry point: routes mypy's hooks by full name, nothing else.

Each check lives in its own module. The plugin never imports Django or the
typedchannels runtime: it knows the library only by full names (``names``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from mypy.nodes import TypeInfo
from mypy.options import Options
from mypy.plugin import (
    ClassDefContext,
    MethodContext,
    MethodSigContext,
    Plugin,
    ReportConfigContext,
)
from mypy.types import FunctionLike, Type

from . import names
from .consumer_init import on_consumer_class
from .handlers import check_layer_message
from .routes import RouteCheck

# The plugin class is mypy's business, not an API: only the entry point is public.
__all__ = ["plugin"]


class TypedChannelsPlugin(Plugin):
    """Checks what lives in strings: URL patterns, message types, and ``__init__``."""

    def get_base_class_hook(
        self, fullname: str
    ) -> Callable[[ClassDefContext], None] | None:
        if self._is_subclass(fullname, names.BASE_CONSUMER):
            return on_consumer_class
        return None

    def __init__(self, options: Options) -> None:
        super().__init__(options)
        self._route_check = RouteCheck()
        self._fingerprint = _source_fingerprint()

    def get_method_signature_hook(
        self, fullname: str
    ) -> Callable[[MethodSigContext], FunctionLike] | None:
        if fullname == names.ROUTE_FACTORY_CALL:
            return self._route_check
        return None

    def get_method_hook(self, fullname: str) -> Callable[[MethodContext], Type] | None:
        owner, _, method = fullname.rpartition(".")
        if method in names.LAYER_SEND_METHODS and self._is_channel_layer(owner):
            return check_layer_message
        return None

    def report_config_data(self, ctx: ReportConfigContext) -> str:
        # mypy fingerprints only the entry module of a plugin: without this,
        # a cache written by an older version of a check would be reused.
        return self._fingerprint

    def _is_channel_layer(self, fullname: str) -> bool:
        return self._is_subclass(fullname, names.CHANNEL_LAYER) or self._is_subclass(
            fullname, names.BASE_CHANNEL_LAYER
        )

    def _is_subclass(self, fullname: str, base: str) -> bool:
        symbol = self.lookup_fully_qualified(fullname)
        return (
            symbol is not None
            and isinstance(symbol.node, TypeInfo)
            and symbol.node.has_base(base)
        )


def _source_fingerprint() -> str:
    digest = hashlib.sha256()
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(source.read_bytes())
    return digest.hexdigest()


def plugin(version: str) -> type[Plugin]:
    """mypy's entry point (``plugins = typedchannels.mypy``)."""
    return TypedChannelsPlugin
