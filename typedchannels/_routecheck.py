"""Run-time twin of the plugin's route check: a pattern against the app's kwargs type.

``path("room/<int:pk>/", Room.as_asgi())`` fails at import time, not at the
first connection, when ``Room`` declares ``url_route`` kwargs (a TypedDict
in its scope type, ``RoutedWebSocketScope[RoomKwargs]``) that the pattern
does not capture, or captures with the wrong converter type. pyright cannot
check this (the pattern is a string), so this is its users' net.

Only what is certain at route construction is checked: a group the
TypedDict does not declare, and a converter whose type the TypedDict does
not accept. A required key the pattern does not capture may come from an
outer router's pattern (nested ``URLRouter``), which this route cannot see;
the mypy plugin reports that case.
"""

from __future__ import annotations

import inspect
import types
import typing
import uuid
from collections.abc import Mapping
from typing import Final

import typing_extensions
from django.core.exceptions import ImproperlyConfigured
from django.urls.converters import (
    IntConverter,
    PathConverter,
    SlugConverter,
    StringConverter,
    UUIDConverter,
)
from django.urls.resolvers import RegexPattern, RoutePattern

from .exceptions import ConfigurationError

_URL_ROUTE: Final = "url_route"
_CONVERTER_TYPES: Final[Mapping[type, type]] = {
    IntConverter: int,
    StringConverter: str,
    SlugConverter: str,
    PathConverter: str,
    UUIDConverter: uuid.UUID,
}
_UNIONS: Final = (
    (typing.Union, types.UnionType) if hasattr(types, "UnionType") else (typing.Union,)
)


def check_route_kwargs(
    where: str, pattern: RoutePattern | RegexPattern, app: object
) -> None:
    """Raise if ``pattern`` gives ``app`` kwargs its declared TypedDict rejects.

    Raises:
        ConfigurationError: a captured group the TypedDict does not declare, a
            converter type it does not accept, or an invalid regular expression.
    """
    declared = declared_route_kwargs(app)
    if declared is None:
        return
    name = declared.__qualname__
    hints = _value_types(declared)
    for key, given in _captured(where, pattern).items():
        if key not in hints:
            raise ConfigurationError(
                f"{where}: the pattern captures {key!r}, which {name} does not "
                f"declare (declared: {sorted(hints)})"
            )
        wanted = hints[key]
        if given is not None and not _accepts(wanted, given):
            raise ConfigurationError(
                f"{where}: the pattern gives {key!r} as {given.__name__}, but {name} "
                f"declares {_describe(wanted)}"
            )


def declared_route_kwargs(app: object) -> type | None:
    """The TypedDict an app declares for ``scope["url_route"]["kwargs"]``, if any.

    Found in a consumer class's generic bases (``AsyncWebsocketConsumer[
    RoutedWebSocketScope[RoomKwargs]]``) or in the scope annotation of a
    function app. A scope given through a type variable is not resolved.
    """
    consumer_class = getattr(app, "consumer_class", None)
    if isinstance(consumer_class, type):
        for klass in consumer_class.__mro__:
            for base in vars(klass).get("__orig_bases__", ()):
                found = _kwargs_in(base)
                if found is not None:
                    return found
        return None
    if inspect.isfunction(app):
        try:
            hints = typing_extensions.get_type_hints(app)
        except Exception:  # an annotation that does not resolve at run time
            return None
        parameters = list(inspect.signature(app).parameters)
        return _kwargs_in(hints.get(parameters[0])) if parameters else None
    return None


def _kwargs_in(annotation: object) -> type | None:
    """Search a generic alias for ``Routed...Scope[K]`` with a TypedDict ``K``."""
    origin = typing_extensions.get_origin(annotation)
    args = typing_extensions.get_args(annotation)
    if (
        typing_extensions.is_typeddict(origin)
        and _URL_ROUTE in _keys(origin)
        and len(args) == 1
        and typing_extensions.is_typeddict(args[0])
    ):
        found: type = args[0]
        return found
    for arg in args:
        found_in_arg = _kwargs_in(arg)
        if found_in_arg is not None:
            return found_in_arg
    return None


def _keys(typed_dict: object) -> frozenset[str]:
    required: frozenset[str] = getattr(typed_dict, "__required_keys__", frozenset())
    optional: frozenset[str] = getattr(typed_dict, "__optional_keys__", frozenset())
    return required | optional


def _value_types(typed_dict: type) -> dict[str, object]:
    """Key -> declared type; ``object`` where the annotation does not resolve."""
    try:
        return dict(typing_extensions.get_type_hints(typed_dict))
    except Exception:  # e.g. a name imported only under TYPE_CHECKING
        return dict.fromkeys(_keys(typed_dict), object)


def _captured(
    where: str, pattern: RoutePattern | RegexPattern
) -> dict[str, type | None]:
    """Group name -> the type the router gives it (None: a converter of unknown type)."""
    if isinstance(pattern, RoutePattern):
        converters: dict[str, object] = pattern.converters
        return {key: _converter_type(conv) for key, conv in converters.items()}
    try:
        groups = pattern.regex.groupindex
    except ImproperlyConfigured as exc:
        raise ConfigurationError(f"{where}: {exc}") from exc
    return dict.fromkeys(groups, str)


def _converter_type(converter: object) -> type | None:
    known = _CONVERTER_TYPES.get(type(converter))
    if known is not None:
        return known
    # A registered converter: trust its to_python() return annotation, if any.
    to_python: object = getattr(type(converter), "to_python", None)
    try:
        hints = typing_extensions.get_type_hints(to_python)
    except Exception:
        return None
    returned = hints.get("return")
    return returned if isinstance(returned, type) else None


def _accepts(wanted: object, given: type) -> bool:
    """Whether a value of type ``given`` fits ``wanted``; True when undecidable."""
    if wanted is typing.Any:
        return True
    origin = typing_extensions.get_origin(wanted)
    if origin in _UNIONS:
        return any(_accepts(arg, given) for arg in typing_extensions.get_args(wanted))
    if isinstance(wanted, type):
        return issubclass(given, wanted)
    if isinstance(origin, type):  # e.g. list[int]
        return issubclass(given, origin)
    return True  # Literal, NewType, a TypeVar...: leave it to the type checker


def _describe(annotation: object) -> str:
    return annotation.__name__ if isinstance(annotation, type) else repr(annotation)
