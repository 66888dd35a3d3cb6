"""The flat-event fast path: it only says "fits" where msgspec would agree."""

from __future__ import annotations

import enum
from typing import Literal, Union

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typing_extensions import Annotated, NotRequired, Required, TypedDict

from typedchannels._flat_events import flat_fit_test


class LineEvent(TypedDict):
    type: Literal["chat.line"]
    id: int
    author: str
    text: str
    score: float
    pinned: bool
    edited_by: str | None
    mood: NotRequired[Literal["happy", "sad", 3]]
    room: Required[str]


VALID: dict[str, object] = {
    "type": "chat.line",
    "id": 7,
    "author": "ann",
    "text": "hello",
    "score": 0.5,
    "pinned": False,
    "edited_by": None,
    "room": "lobby",
}


class Mood(enum.Enum):
    HAPPY = "happy"


class Constrained(TypedDict):
    type: str
    name: Annotated[str, msgspec.Meta(max_length=3)]


class WithList(TypedDict):
    type: str
    names: list[str]


class WithEnum(TypedDict):
    type: str
    mood: Literal[Mood.HAPPY]


class WithLiteralUnion(TypedDict):
    type: str
    tag: Union[Literal["a"], int]


def fits_line(message: dict[str, object]) -> bool:
    fits = flat_fit_test(LineEvent)
    assert fits is not None
    return fits(message)


def test_a_message_of_exactly_the_declared_types_fits() -> None:
    assert fits_line({**VALID, "mood": 3})
    assert fits_line({**VALID, "mood": "sad", "edited_by": "bob"})


def test_a_message_without_an_optional_key_is_left_to_msgspec() -> None:
    # Which keys are optional is msgspec's call: it reads NotRequired even
    # from string annotations, which the TypedDict's own __required_keys__
    # does not.
    assert not fits_line(VALID)
    assert msgspec.convert(VALID, type=LineEvent) == VALID


@pytest.mark.parametrize(
    "change",
    [
        {"id": True},  # bool is not an int to msgspec
        {"score": 1},  # msgspec would make it 1.0: a different message
        {"type": "chat.other"},
        {"mood": "angry"},
        {"mood": 3.0},
        {"extra": 1},  # msgspec would drop it
        {"author": type("Name", (str,), {})("ann")},  # a subclass
    ],
)
def test_anything_else_is_left_to_msgspec(change: dict[str, object]) -> None:
    assert not fits_line({**VALID, "mood": "happy", **change})


def test_a_missing_required_key_is_left_to_msgspec() -> None:
    message = {**VALID, "mood": "sad"}
    del message["room"]
    assert not fits_line(message)


@pytest.mark.parametrize(
    "event_type", [Constrained, WithList, WithEnum, WithLiteralUnion]
)
def test_events_that_are_not_flat_have_no_fast_path(event_type: type) -> None:
    assert flat_fit_test(event_type) is None


def test_a_class_that_is_not_a_typeddict_has_no_fast_path() -> None:
    class Plain:
        type: str

    assert flat_fit_test(Plain) is None


#: Values of every kind a field might wrongly (or rightly) hold.
CANDIDATES: list[object] = [
    *(None, True, False, 0, 1, 2**70, 1.5, 0.0, "", "chat.line", "happy", "sad"),
    *(3, 3.0, [1], {"a": 1}, b"x", Mood.HAPPY),
]
KEYS = [*VALID, "mood", "extra"]


@pytest.mark.parametrize("key", KEYS)
def test_no_single_change_makes_it_fit_where_msgspec_would_differ(key: str) -> None:
    for value in CANDIDATES:
        assert_fits_only_if_unchanged({**VALID, "mood": "happy", key: value})


@given(st.dictionaries(st.sampled_from(KEYS), st.sampled_from(CANDIDATES), max_size=3))
def test_no_combination_makes_it_fit_where_msgspec_would_differ(
    changes: dict[str, object],
) -> None:
    assert_fits_only_if_unchanged({**VALID, "mood": "happy", **changes})


def assert_fits_only_if_unchanged(message: dict[str, object]) -> None:
    if fits_line(message):
        converted: dict[str, object] = dict(msgspec.convert(message, type=LineEvent))
        assert typed_items(converted) == typed_items(message)


def typed_items(message: dict[str, object]) -> set[tuple[str, type, object]]:
    """Items with their value types: 1 and 1.0 (or True) differ here."""
    return {(key, type(value), repr(value)) for key, value in message.items()}
