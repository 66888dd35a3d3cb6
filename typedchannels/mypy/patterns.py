"""What a literal URL pattern captures, parsed the way Django parses it.

Pure Python (no mypy, no Django) so it can be unit-tested against Django's
own ``RoutePattern``/``RegexPattern``: the plugin must agree with the router.
"""

from __future__ import annotations

import re
import string
from typing import Final

#: Django's ``_PATH_PARAMETER_COMPONENT_RE`` (django/urls/resolvers.py).
_PATH_PARAMETER: Final = re.compile(
    r"<(?:(?P<converter>[^>:]+):)?(?P<parameter>[^>]+)>"
)
_WHITESPACE: Final = frozenset(string.whitespace)
DEFAULT_CONVERTER: Final = "str"


class PatternError(ValueError):
    """The pattern is one Django would refuse (ImproperlyConfigured, re.error)."""


def parse_path(route: str) -> dict[str, str]:
    """The groups of a ``path()`` pattern: ``{parameter: converter name}``.

    Converter names are not checked here: custom ones may be registered.

    Raises:
        PatternError: whitespace in ``<...>``, a parameter name that is not an
            identifier, or a parameter used twice.
    """
    groups: dict[str, str] = {}
    for match in _PATH_PARAMETER.finditer(route):
        if not _WHITESPACE.isdisjoint(match[0]):
            raise PatternError("whitespace in angle brackets <...>")
        converter = match["converter"] or DEFAULT_CONVERTER
        parameter = match["parameter"]
        if not parameter.isidentifier():
            raise PatternError(f"parameter name {parameter!r} is not an identifier")
        if parameter in groups:
            raise PatternError(f"parameter {parameter!r} appears twice")
        groups[parameter] = converter
    return groups


def parse_re_path(regex: str) -> tuple[str, ...]:
    """The named groups of a ``re_path()`` pattern, in order.

    Raises:
        PatternError: not a valid regular expression.
    """
    try:
        compiled = re.compile(regex)
    except re.error as exc:
        raise PatternError(str(exc)) from None
    return tuple(compiled.groupindex)
