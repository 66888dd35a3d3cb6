"""ProtocolTypeRouter, URLRouter (path/re_path), ChannelNameRouter."""

from __future__ import annotations

import logging

import pytest

from typedchannels.exceptions import (
    ConfigurationError,
    NoRouteFound,
    UnknownChannel,
    UnknownProtocol,
)
from typedchannels.generic.websocket import AsyncWebsocketConsumer
from typedchannels.lifespan import LifespanHandler
from typedchannels.routing import (
    ChannelNameRouter,
    ProtocolTypeRouter,
    URLRouter,
    path,
    re_path,
)
from typedchannels.testing import (
    ApplicationCommunicator,
    HttpCommunicator,
    WebsocketCommunicator,
)
from typedchannels.types import (
    ASGIApp,
    ASGIReceiveEvent,
    ASGISendEvent,
    ChannelScope,
    HTTPScope,
    LifespanScope,
    Receive,
    RoutedWebSocketScope,
    Send,
    WebSocketScope,
)


class ShowRoute(AsyncWebsocketConsumer):
    """Sends back what the router put in the scope."""

    async def connect(self) -> None:
        await self.accept()
        route = self.scope["url_route"]
        remaining = self.scope.get("path_remaining")
        await self.send(
            text_data=f"{route['args']!r} {sorted(route['kwargs'].items())!r} {remaining!r}"
        )


async def http_app(scope: HTTPScope, receive: Receive, send: Send) -> None:
    await send({"type": "http.response.start", "status": 200})
    await send({"type": "http.response.body", "body": scope["path"].encode()})


async def routed(
    app: ASGIApp[RoutedWebSocketScope], url: str, root_path: str = ""
) -> str:
    comm = WebsocketCommunicator(app, url)
    comm.scope["root_path"] = root_path
    connected, _ = await comm.connect()
    assert connected
    text = await comm.receive_from()
    await comm.disconnect()
    assert isinstance(text, str)
    return text


async def test_path_with_converters() -> None:
    router = URLRouter([path("room/<int:pk>/<slug:name>/", ShowRoute.as_asgi())])
    assert (
        await routed(router, "/room/42/lobby/")
        == "() [('name', 'lobby'), ('pk', 42)] ''"
    )


async def test_re_path_positional_and_named_groups() -> None:
    router = URLRouter(
        [
            re_path(r"^pos/(\d+)/(\w+)/$", ShowRoute.as_asgi()),
            re_path(r"^named/(?P<room>\w+)/$", ShowRoute.as_asgi()),
        ]
    )
    assert await routed(router, "/pos/7/x/") == "('7', 'x') [] ''"
    assert await routed(router, "/named/abc/") == "() [('room', 'abc')] ''"


async def test_first_match_wins_and_default_kwargs_merge() -> None:
    router = URLRouter(
        [
            path("a/", ShowRoute.as_asgi(), kwargs={"which": "first"}),
            path("a/", ShowRoute.as_asgi(), kwargs={"which": "second"}),
        ]
    )
    assert await routed(router, "/a/") == "() [('which', 'first')] ''"


async def test_nested_routers_merge_args_and_kwargs() -> None:
    inner = URLRouter([path("room/<str:name>/", ShowRoute.as_asgi())])
    outer = URLRouter(
        [
            path("nothing/", ShowRoute.as_asgi()),
            path("org/<int:org>/", inner),
        ]
    )
    assert (
        await routed(outer, "/org/3/room/main/")
        == "() [('name', 'main'), ('org', 3)] ''"
    )


async def test_nested_router_without_match_falls_through_to_later_routes() -> None:
    inner = URLRouter([path("room/<str:name>/", ShowRoute.as_asgi())])
    outer = URLRouter(
        [path("org/", inner), re_path(r"^org/(?P<rest>.*)$", ShowRoute.as_asgi())]
    )
    assert await routed(outer, "/org/elsewhere/") == "() [('rest', 'elsewhere/')] ''"


async def test_root_path_is_stripped_by_the_outermost_router() -> None:
    router = URLRouter([path("ws/", ShowRoute.as_asgi())])
    assert await routed(router, "/prefix/ws/", root_path="/prefix") == "() [] ''"


def test_resolve_raises_no_route_found() -> None:
    router = URLRouter([path("ws/", ShowRoute.as_asgi())])
    with pytest.raises(NoRouteFound, match=r"No route found for path 'nope/'"):
        router.resolve({"type": "websocket", "path": "nope/"})
    with pytest.raises(NoRouteFound):
        router.resolve({"type": "websocket", "path": "/ws/", "root_path": "/other"})
    assert issubclass(NoRouteFound, ValueError)


async def test_unmatched_websocket_is_refused_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    router = URLRouter([path("ws/", ShowRoute.as_asgi())])
    comm = WebsocketCommunicator(router, "/wrong/")
    with caplog.at_level(logging.WARNING, logger="typedchannels.routing"):
        result = await comm.connect()
    assert not result.accepted
    assert "No route found for path '/wrong/'" in caplog.text
    await comm.wait()


async def test_unmatched_http_gets_404() -> None:
    router = URLRouter([path("x/", http_app)])
    response = await HttpCommunicator(router, "GET", "/y/").get_response()
    assert response["status"] == 404


def test_route_mistakes_fail_when_the_route_is_made() -> None:
    with pytest.raises(
        ConfigurationError, match=r"route ShowRoute.as_asgi\(\), not the class"
    ):
        path("ws/", ShowRoute)  # type: ignore[arg-type]  # pyright: ignore[reportCallIssue, reportArgumentType]
    with pytest.raises(ConfigurationError, match=r"call it: ShowRoute.as_asgi\(\)"):
        path("ws/", ShowRoute.as_asgi)  # type: ignore[arg-type]  # pyright: ignore[reportCallIssue, reportArgumentType]

    class Asgi2:
        def __init__(self, scope: object) -> None: ...

    with pytest.raises(ConfigurationError, match="ASGI 2 style"):
        path("ws/", Asgi2)  # type: ignore[arg-type]  # pyright: ignore[reportCallIssue, reportArgumentType]
    with pytest.raises(ConfigurationError, match=r"include\(\) is not supported"):
        path("ws/", ("urls", None, None))  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]
    with pytest.raises(ConfigurationError, match=r"routes\[0\]"):
        URLRouter(["ws/"])  # type: ignore[list-item]  # pyright: ignore[reportCallIssue, reportArgumentType]


async def test_protocol_type_router_routes_by_scope_type() -> None:
    router = ProtocolTypeRouter(
        {"http": http_app, "websocket": URLRouter([path("r/", ShowRoute.as_asgi())])}
    )
    response = await HttpCommunicator(router, "GET", "/hello/").get_response()
    assert response == {"status": 200, "headers": [], "body": b"/hello/"}
    assert await routed(router, "/r/") == "() [] ''"


def test_protocol_type_router_checks_its_mapping() -> None:
    with pytest.raises(ConfigurationError, match="needs an 'http' application"):
        ProtocolTypeRouter({"websocket": ShowRoute.as_asgi()})  # type: ignore[typeddict-item]  # pyright: ignore[reportArgumentType]
    with pytest.raises(
        ConfigurationError, match=r"unknown protocol key\(s\) \['websockets'\]"
    ):
        ProtocolTypeRouter({"http": http_app, "websockets": ShowRoute.as_asgi()})  # type: ignore[typeddict-unknown-key]  # pyright: ignore[reportArgumentType]
    with pytest.raises(ConfigurationError, match=r"as_asgi\(\), not the class"):
        ProtocolTypeRouter({"http": http_app, "websocket": ShowRoute})  # type: ignore[typeddict-item]  # pyright: ignore[reportArgumentType]


async def test_unknown_scope_type_is_a_clear_error() -> None:
    router = ProtocolTypeRouter({"http": http_app})
    scope: WebSocketScope = {
        "type": "websocket",
        "asgi": {"version": "3.0"},
        "path": "/",
        "headers": [],
    }
    comm = ApplicationCommunicator(router, scope)
    await comm.send_input({"type": "websocket.connect"})
    with pytest.raises(
        UnknownProtocol,
        match=r"no application for scope type 'websocket'; it routes \['http', 'lifespan'\]",
    ):
        await comm.wait()


async def test_lifespan_is_handled_by_default() -> None:
    router = ProtocolTypeRouter({"http": http_app})
    scope: LifespanScope = {"type": "lifespan", "asgi": {"version": "3.0"}}
    comm = ApplicationCommunicator(router, scope)
    await comm.send_input({"type": "lifespan.startup"})
    assert await comm.receive_output() == {"type": "lifespan.startup.complete"}
    await comm.send_input({"type": "lifespan.shutdown"})
    assert await comm.receive_output() == {"type": "lifespan.shutdown.complete"}
    await comm.wait()


async def worker_app(scope: ChannelScope, receive: Receive, send: Send) -> None:
    await send({"type": "lifespan.startup.complete"})


async def test_channel_name_router() -> None:
    router = ChannelNameRouter({"thumbnails": worker_app})
    scope: ChannelScope = {"type": "channel", "channel": "thumbnails"}
    comm = ApplicationCommunicator(router, scope)
    assert await comm.receive_output() == {"type": "lifespan.startup.complete"}
    other: ChannelScope = {"type": "channel", "channel": "other"}
    missing = ApplicationCommunicator(router, other)
    with pytest.raises(UnknownChannel, match=r"no application for channel 'other'"):
        await missing.wait()


def test_routes_scope_type_for_typed_kwargs() -> None:
    scope: RoutedWebSocketScope = {
        "type": "websocket",
        "asgi": {"version": "3.0"},
        "path": "/",
        "headers": [],
        "url_route": {"args": (), "kwargs": {}},
    }
    app, inner = URLRouter([path("", ShowRoute.as_asgi())]).resolve(scope)
    assert inner["url_route"] == {"args": (), "kwargs": {}}
    assert inner["path_remaining"] == ""
    assert "path_remaining" not in scope  # the outer scope is not changed
    assert app is not None


async def test_apps_accept_keyword_arguments_as_daphne_passes_them() -> None:
    sent: list[object] = []

    async def receive() -> ASGIReceiveEvent:
        return {"type": "http.request"}

    async def send(event: ASGISendEvent) -> None:
        sent.append(event)

    scope: HTTPScope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "path": "/kw/",
        "query_string": b"",
        "headers": [],
    }
    router = ProtocolTypeRouter({"http": URLRouter([path("kw/", http_app)])})
    await router(scope=scope, receive=receive, send=send)
    assert sent[-1] == {"type": "http.response.body", "body": b"/kw/"}
    await LifespanHandler()(
        scope={"type": "lifespan", "asgi": {"version": "3.0"}},
        receive=_lifespan_events(),
        send=send,
    )
    assert sent[-1] == {"type": "lifespan.shutdown.complete"}


def _lifespan_events() -> Receive:
    events: list[ASGIReceiveEvent] = [
        {"type": "lifespan.startup"},
        {"type": "lifespan.shutdown"},
    ]

    async def receive() -> ASGIReceiveEvent:
        return events.pop(0)

    return receive
