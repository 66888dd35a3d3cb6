"""A quick "already fits" test for flat TypedDict events, ahead of msgspec.

Most layer events are flat: strings, ints, bools, floats, None and Literal
tags. For those, a message whose keys are exactly the TypedDict's and whose
values have exactly the declared types is what ``msgspec.convert`` would
return, value for value; checking that in a loop costs a fraction of a
conversion. Anything else (a missing or unknown key, a subclass, an int for a
float, a constrained ``Annotated`` field, a container) is left to msgspec,
which converts or explains.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Mapping
from typing import Final, Literal, Union

import typing_extensions
from typing_extensions import get_args, get_origin

__all__ = ["flat_fit_test"]

#: Types whose values msgspec.convert returns unchanged for the same type.
_PASSED_THROUGH: Final = frozenset({str, int, bool, float, type(None)})
_QUALIFIERS: Final = frozenset(
    {
        typing_extensions.Required,
        typing_extensions.NotRequired,
        getattr(typing, "Required", typing_extensions.Required),
        getattr(typing, "NotRequired", typing_extensions.NotRequired),
    }
)
_UNIONS: Final = frozenset({Union, types.UnionType})

#: A field: its key, the exact types its value may have, and for a Literal
#: the values it may take.
_Field = tuple[str, frozenset[type], frozenset[object] | None]


class _Missing:
    """The value of an absent key: of no type a field allows."""


_MISSING: Final = _Missing()


def flat_fit_test(event_type: object) -> Callable[[Mapping[str, object]], bool] | None:
    """``fits(message)``: True only if msgspec would return ``message`` as it is.

    None if ``event_type`` is not flat (then always ask msgspec). A message
    must carry every key, optional ones included: which keys are required
    is msgspec's to say (string annotations hide ``NotRequired`` from the
    TypedDict itself).
    """
    if not isinstance(getattr(event_type, "__required_keys__", None), frozenset):
        return None  # not a TypedDict
    try:
        hints = typing_extensions.get_type_hints(event_type, include_extras=True)
    except Exception:  # unresolvable names: msgspec will say what is wrong
        return None
    plan: list[_Field] = []
    for key, hint in hints.items():
        allowed = _allowed(_unqualified(hint))
        if allowed is None:
            return None
        plan.append((key, *allowed))
    fields: Final = tuple(plan)
    size: Final = len(fields)

    def fits(message: Mapping[str, object]) -> bool:
        if len(message) != size:
            return False  # a key missing, or one msgspec would drop
        for key, exact_types, values in fields:
            value = message.get(key, _MISSING)
            if type(value) not in exact_types:
                return False
            if values is not None and value not in values:
                return False
        return True

    return fits


def _unqualified(hint: object) -> object:
    while get_origin(hint) in _QUALIFIERS:
        hint = get_args(hint)[0]
    return hint


def _allowed(hint: object) -> tuple[frozenset[type], frozenset[object] | None] | None:
    """The exact value types (and Literal values) of a flat field, else None."""
    if hint is None:
        hint = type(None)
    if isinstance(hint, type):
        return (frozenset({hint}), None) if hint in _PASSED_THROUGH else None
    origin = get_origin(hint)
    if origin is Literal or origin is typing_extensions.Literal:
        values: tuple[object, ...] = get_args(hint)
        kinds: frozenset[type] = frozenset(type(value) for value in values)
        if not kinds <= _PASSED_THROUGH:
            return None  # an Enum member
        return kinds, frozenset(values)
    if origin in _UNIONS:
        exact: set[type] = set()
        for member in get_args(hint):
            allowed = _allowed(member)
            if allowed is None or allowed[1] is not None:
                return None  # Literals in unions: leave them to msgspec
            exact |= allowed[0]
        return frozenset(exact), None
    return None
