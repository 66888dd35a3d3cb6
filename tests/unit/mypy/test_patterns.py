"""The plugin's pattern parser agrees with Django's own route parsing."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls.resolvers import RegexPattern, RoutePattern
from hypothesis import given
from hypothesis import strategies as st

from typedchannels.mypy.patterns import PatternError, parse_path, parse_re_path

PATHS = [
    "room/<room_name>/",
    "room/<int:pk>/",
    "a/<slug:s>/<uuid:u>/<path:rest>",
    "<str:x>-<int:y>.json",
    "no/groups/",
    "",
    "<int:a><int:b>",
]


def django_groups(route: str) -> dict[str, str]:
    pattern = RoutePattern(route)
    by_class = {
        "IntConverter": "int",
        "StringConverter": "str",
        "SlugConverter": "slug",
        "UUIDConverter": "uuid",
        "PathConverter": "path",
    }
    return {key: by_class[type(c).__name__] for key, c in pattern.converters.items()}


@pytest.mark.parametrize("route", PATHS)
def test_path_groups_match_django(route: str) -> None:
    assert parse_path(route) == django_groups(route)


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["", "int:", "str:", "slug:", "uuid:", "path:"]),
            st.from_regex(r"[a-z_][a-z0-9_]{0,6}", fullmatch=True),
            st.sampled_from(["/", "-", ".", "x/"]),
        ),
        max_size=4,
        unique_by=lambda part: part[1],
    )
)
def test_generated_paths_match_django(parts: list[tuple[str, str, str]]) -> None:
    route = "".join(f"<{conv}{name}>{sep}" for conv, name, sep in parts)
    assert parse_path(route) == django_groups(route)


@pytest.mark.parametrize(
    ("route", "reason"),
    [
        ("room/<int: pk>/", "whitespace"),
        ("room/<int:1pk>/", "not an identifier"),
        ("<a>/<a>/", "twice"),
    ],
)
def test_path_errors_are_those_django_refuses(route: str, reason: str) -> None:
    with pytest.raises(PatternError, match=reason):
        parse_path(route)
    with pytest.raises((ImproperlyConfigured, re.error)):
        RoutePattern(route).regex  # noqa: B018  # compiling is the test


def test_unknown_converter_is_kept_for_the_caller() -> None:
    assert parse_path("<hex:colour>/") == {"colour": "hex"}


@pytest.mark.parametrize(
    "regex",
    [r"^room/(?P<room_name>\w+)/$", r"^(\d+)/(?P<a>x)(?P<b>y)?$", r"^plain/$"],
)
def test_re_path_groups_match_django(regex: str) -> None:
    assert parse_re_path(regex) == tuple(RegexPattern(regex).regex.groupindex)


def test_invalid_regex_is_an_error() -> None:
    with pytest.raises(PatternError, match="missing"):
        parse_re_path(r"^(?P<name\w+)$")
