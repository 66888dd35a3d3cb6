"""Run-time twins of the plugin's checks: they fail at import time, for pyright users."""

from __future__ import annotations

import uuid
from typing import Any, Union

import pytest
from django.urls.converters import register_converter
from typing_extensions import NotRequired, TypedDict, Unpack

from typedchannels._routecheck import declared_route_kwargs
from typedchannels.exceptions import ConfigurationError, ConsumerDefinitionError
from typedchannels.generic.websocket import AsyncWebsocketConsumer
from typedchannels.routing import URLRouter, path, re_path
from typedchannels.types import Receive, RoutedWebSocketScope, Send

# --- consumer __init__ --------------------------------------------------------


def test_catch_all_init_is_rejected_at_class_creation() -> None:
    with pytest.raises(ConsumerDefinitionError, match=r"__init__ takes \*args"):

        class Old(AsyncWebsocketConsumer):  # pyright: ignore[reportUnusedClass]  # creating it is the test
            def __init__(self, *args: object, **kwargs: object) -> None: ...  # type: ignore[typedchannels-init]


def test_untyped_var_keyword_init_is_rejected() -> None:
    with pytest.raises(ConsumerDefinitionError, match=r"takes \*\*options.*Unpack"):

        class Loose(AsyncWebsocketConsumer):  # pyright: ignore[reportUnusedClass]  # creating it is the test
            def __init__(self, *, greeting: str = "", **options: Any) -> None: ...  # type: ignore[typedchannels-init]


class Options(TypedDict):
    greeting: str


def test_unpacked_typed_dict_kwargs_are_fine() -> None:
    class Typed(AsyncWebsocketConsumer):
        def __init__(self, **options: Unpack[Options]) -> None:
            self.greeting = options["greeting"]

    assert Typed.as_asgi(greeting="hi").consumer_initkwargs == {"greeting": "hi"}


# --- route kwargs -------------------------------------------------------------


class RoomKwargs(TypedDict):
    room_name: str


class Room(AsyncWebsocketConsumer[RoutedWebSocketScope[RoomKwargs]]):
    pass


class ItemKwargs(TypedDict):
    pk: int
    key: NotRequired[uuid.UUID]


class Item(AsyncWebsocketConsumer[RoutedWebSocketScope[ItemKwargs]]):
    pass


class Either(TypedDict):
    ref: Union[int, str]


class Flexible(AsyncWebsocketConsumer[RoutedWebSocketScope[Either]]):
    pass


def test_declared_kwargs_come_from_the_generic_bases() -> None:
    assert declared_route_kwargs(Room.as_asgi()) is RoomKwargs
    assert declared_route_kwargs(Item.as_asgi()) is ItemKwargs

    class Plain(AsyncWebsocketConsumer):
        pass

    class SubRoom(Room):
        pass

    assert declared_route_kwargs(Plain.as_asgi()) is None
    assert declared_route_kwargs(SubRoom.as_asgi()) is RoomKwargs


def test_matching_routes_are_built() -> None:
    path("room/<room_name>/", Room.as_asgi())
    path("room/<slug:room_name>/", Room.as_asgi())
    re_path(r"^room/(?P<room_name>\w+)/$", Room.as_asgi())
    path("item/<int:pk>/<uuid:key>/", Item.as_asgi())
    path("ref/<int:ref>/", Flexible.as_asgi())
    path("ref/<ref>/", Flexible.as_asgi())


def test_a_group_the_kwargs_do_not_declare_fails_at_import() -> None:
    with pytest.raises(
        ConfigurationError,
        match=r"path\('room/<room>/', \.\.\.\): the pattern captures 'room', which "
        r"RoomKwargs does not declare \(declared: \['room_name'\]\)",
    ):
        path("room/<room>/", Room.as_asgi())  # type: ignore[typedchannels-route]
    with pytest.raises(ConfigurationError, match="captures 'name'"):
        re_path(r"^room/(?P<name>\w+)/$", Room.as_asgi())  # type: ignore[typedchannels-route]


def test_a_converter_of_the_wrong_type_fails_at_import() -> None:
    with pytest.raises(
        ConfigurationError,
        match=r"gives 'room_name' as int, but RoomKwargs declares str",
    ):
        path("room/<int:room_name>/", Room.as_asgi())  # type: ignore[typedchannels-route]
    with pytest.raises(ConfigurationError, match="gives 'pk' as str, but ItemKwargs"):
        re_path(r"^item/(?P<pk>\d+)/$", Item.as_asgi())  # type: ignore[typedchannels-route]
    with pytest.raises(
        ConfigurationError,
        match=r"gives 'ref' as UUID, but Either declares typing.Union",
    ):
        path("ref/<uuid:ref>/", Flexible.as_asgi())  # type: ignore[typedchannels-route]


def test_a_missing_group_is_left_to_the_plugin() -> None:
    # The key may come from an outer router's pattern: undecidable here.
    inner = URLRouter([path("<int:pk>/", Item.as_asgi())])
    path("rooms/<room_name>/", inner)
    path("room/", Room.as_asgi())  # type: ignore[typedchannels-route]


class HexConverter:
    regex = "[0-9a-f]+"

    def to_python(self, value: str) -> int:
        return int(value, 16)

    def to_url(self, value: int) -> str:
        return f"{value:x}"


class OpaqueConverter:
    regex = "[a-z]+"

    def to_python(self, value: str):  # type: ignore[no-untyped-def]  # no return annotation is the test
        return value

    def to_url(self, value: str) -> str:
        return value


def test_registered_converters_are_checked_by_their_annotation() -> None:
    register_converter(HexConverter, "hexint")
    register_converter(OpaqueConverter, "opaque")
    path("item/<hexint:pk>/", Item.as_asgi())
    path("room/<opaque:room_name>/", Room.as_asgi())
    with pytest.raises(ConfigurationError, match="gives 'room_name' as int"):
        path("room/<hexint:room_name>/", Room.as_asgi())


async def room_app(
    scope: RoutedWebSocketScope[RoomKwargs], receive: Receive, send: Send
) -> None: ...


def test_function_apps_are_checked_by_their_scope_annotation() -> None:
    assert declared_route_kwargs(room_app) is RoomKwargs
    path("room/<room_name>/", room_app)
    with pytest.raises(ConfigurationError, match="captures 'pk'"):
        path("room/<int:pk>/", room_app)  # type: ignore[typedchannels-route]


def test_an_invalid_regex_fails_at_import_when_checked() -> None:
    with pytest.raises(ConfigurationError, match="re_path"):
        re_path(r"^room/(?P<room_name\w+)/$", Room.as_asgi())  # type: ignore[typedchannels-route]
