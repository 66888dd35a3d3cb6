"""Typing tests for the core: consumers, as_asgi, routing, events, scopes.

Checked by mypy --strict and pyright strict, never run. A line marked
``# type: ignore[code]  # pyright: ignore[rule]`` must be an error in both
checkers: an ignore that stops being needed fails the build.
"""

from __future__ import annotations

from typing_extensions import TypedDict, assert_never, assert_type

from typedchannels.consumer import AsyncConsumer, ConsumerApp
from typedchannels.generic.websocket import AsyncWebsocketConsumer
from typedchannels.middleware import BaseMiddleware
from typedchannels.routing import (
    ProtocolTypeRouter,
    URLRouter,
    WebSocketRoute,
    path,
    re_path,
)
from typedchannels.types import (
    AuthWebSocketScope,
    BaseScope,
    HTTPScope,
    Middleware,
    Receive,
    RoutedAuthWebSocketScope,
    RoutedWebSocketScope,
    Send,
    WebSocketIncomingEvent,
    WebSocketScope,
)


async def http_app(scope: HTTPScope, receive: Receive, send: Send) -> None:
    """Stands in for Django's get_asgi_application()."""


class Echo(AsyncWebsocketConsumer):
    async def receive(
        self, text_data: str | None = None, bytes_data: bytes | None = None
    ) -> None:
        assert_type(self.scope["url_route"]["kwargs"], dict[str, object])
        assert_type(self.scope["path"], str)
        await self.send(text_data=text_data)


class Greeter(AsyncWebsocketConsumer):
    def __init__(self, *, greeting: str = "hello", times: int = 1) -> None:
        self.greeting = greeting
        self.times = times


class RoomKwargs(TypedDict):
    room_name: str


class Room(AsyncWebsocketConsumer[RoutedWebSocketScope[RoomKwargs]]):
    async def connect(self) -> None:
        assert_type(self.scope["url_route"]["kwargs"]["room_name"], str)
        await self.accept()


class NeedsUser(AsyncWebsocketConsumer[RoutedAuthWebSocketScope]):
    async def connect(self) -> None:
        if self.scope["user"].is_authenticated:
            await self.accept()


class FakeAuth(BaseMiddleware[WebSocketScope, AuthWebSocketScope]):
    async def build_scope(self, scope: WebSocketScope) -> AuthWebSocketScope:
        raise NotImplementedError


# --- as_asgi() ------------------------------------------------------------

assert_type(Echo.as_asgi(), ConsumerApp[RoutedWebSocketScope])
assert_type(Room.as_asgi(), ConsumerApp[RoutedWebSocketScope[RoomKwargs]])
Greeter.as_asgi(greeting="hi", times=2)
# misuse: as-asgi-kwarg-misspelled: a misspelled `as_asgi()` keyword [runtime: tests/unit/test_consumer.py::test_as_asgi_checks_kwargs_when_the_route_is_made]
Greeter.as_asgi(greting="hi")  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
# misuse: as-asgi-kwarg-type: an `as_asgi()` keyword of the wrong type
Greeter.as_asgi(times="2")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


class RawConsumer(AsyncConsumer):
    async def websocket_connect(self, message: object) -> None:
        assert_type(self.scope, BaseScope)


assert_type(RawConsumer.as_asgi(), ConsumerApp[BaseScope])

# --- Routing --------------------------------------------------------------

routes = [
    path("echo/", Echo.as_asgi()),
    path("greet/", Greeter.as_asgi(greeting="hey")),
    re_path(r"^room/(?P<room_name>\w+)/$", Room.as_asgi()),
]
assert_type(path("echo/", Echo.as_asgi()), WebSocketRoute)
plain_router = URLRouter(routes)
assert_type(plain_router, URLRouter[WebSocketScope])

application = ProtocolTypeRouter(
    {
        "http": http_app,
        "websocket": URLRouter(routes),
    }
)
# misuse: route-scope-without-router: a consumer that reads `url_route`, routed without `URLRouter`
ProtocolTypeRouter({"http": http_app, "websocket": Echo.as_asgi()})  # type: ignore[typeddict-item]  # pyright: ignore[reportArgumentType]

# A consumer class routed without .as_asgi():
# misuse: consumer-class-routed: a consumer class routed without `.as_asgi()` [runtime: tests/unit/test_routing.py::test_route_mistakes_fail_when_the_route_is_made]
path("echo/", Echo)  # type: ignore[arg-type]  # pyright: ignore[reportCallIssue, reportArgumentType]
# .as_asgi without the call:
# misuse: as-asgi-not-called: `.as_asgi` routed without the call [runtime: tests/unit/test_routing.py::test_route_mistakes_fail_when_the_route_is_made]
path("echo/", Echo.as_asgi)  # type: ignore[arg-type]  # pyright: ignore[reportCallIssue, reportArgumentType]


class Asgi2App:
    """An ASGI 2 application: scope in __init__, (receive, send) in __call__."""

    def __init__(self, scope: WebSocketScope) -> None:
        self.scope = scope

    async def __call__(self, receive: Receive, send: Send) -> None: ...


# misuse: asgi2-app-routed: an ASGI 2 style class routed [runtime: tests/unit/test_routing.py::test_route_mistakes_fail_when_the_route_is_made]
path("old/", Asgi2App)  # type: ignore[arg-type]  # pyright: ignore[reportCallIssue, reportArgumentType]
# misuse: consumer-called-with-scope: `Consumer(scope)`, the ASGI 2 instantiation
Echo(WebSocketScope(type="websocket", asgi={"version": "3.0"}, path="/", headers=[]))  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]


class Asgi2Init(AsyncWebsocketConsumer):
    # misuse: init-takes-scope-at-definition: `__init__(self, scope)` reported where it is defined [runtime: tests/unit/test_consumer.py::test_asgi2_init_with_scope_is_rejected_at_class_creation]
    def __init__(self, scope: WebSocketScope) -> None:  # type: ignore[typedchannels-init]
        self.the_scope = scope


# misuse: init-takes-scope: a consumer `__init__(self, scope)` (ASGI 2) [runtime: tests/unit/test_consumer.py::test_asgi2_init_with_scope_is_rejected_at_class_creation]
Asgi2Init.as_asgi()  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]


class Asgi2Call(AsyncWebsocketConsumer):
    # misuse: asgi2-call-override: an ASGI 2 `__call__(self, receive, send)` override [runtime: tests/unit/test_consumer.py::test_overriding_call_is_rejected_at_class_creation]
    async def __call__(self, receive: Receive, send: Send) -> None:  # type: ignore[misc, override]  # pyright: ignore[reportIncompatibleMethodOverride]
        ...


# ProtocolTypeRouter without "http", with a typo'd key, with a websocket app under "http":
# misuse: router-without-http: `ProtocolTypeRouter` without `"http"` [runtime: tests/unit/test_routing.py::test_protocol_type_router_checks_its_mapping]
ProtocolTypeRouter({"websocket": URLRouter(routes)})  # type: ignore[typeddict-item]  # pyright: ignore[reportArgumentType]
# misuse: router-key-typo: `ProtocolTypeRouter` with a misspelled protocol key [runtime: tests/unit/test_routing.py::test_protocol_type_router_checks_its_mapping]
ProtocolTypeRouter({"http": http_app, "websockets": URLRouter(routes)})  # type: ignore[typeddict-unknown-key]  # pyright: ignore[reportArgumentType]
# misuse: router-websocket-under-http: a websocket app under `"http"`
ProtocolTypeRouter({"http": URLRouter(routes)})  # type: ignore[typeddict-item]  # pyright: ignore[reportArgumentType]

# --- Scopes through middleware ----------------------------------------------

auth_routes = [path("echo/", Echo.as_asgi()), path("me/", NeedsUser.as_asgi())]
assert_type(URLRouter(auth_routes), URLRouter[AuthWebSocketScope])
ProtocolTypeRouter({"http": http_app, "websocket": FakeAuth(URLRouter(auth_routes))})
# A consumer that needs "user", routed without auth middleware:
# misuse: user-without-auth-middleware: a consumer that needs `user`, routed without auth middleware
ProtocolTypeRouter({"http": http_app, "websocket": URLRouter(auth_routes)})  # type: ignore[typeddict-item]  # pyright: ignore[reportArgumentType]


class ReadsUserWithoutAuth(AsyncWebsocketConsumer):
    async def connect(self) -> None:
        # misuse: scope-user-without-auth: `self.scope["user"]` on a consumer whose scope has no auth
        self.scope["user"]  # type: ignore[typeddict-item]  # pyright: ignore[reportGeneralTypeIssues]


# --- Events ---------------------------------------------------------------


class SendsEvents(AsyncWebsocketConsumer):
    async def connect(self) -> None:
        await self.send_event({"type": "websocket.accept", "subprotocol": "chat"})
        # misuse: event-key-misspelled: a websocket event with a misspelled key
        await self.send_event({"type": "websocket.accept", "subprotocl": "chat"})  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
        # misuse: event-type-misspelled: a websocket event with a wrong `type` literal
        await self.send_event({"type": "websocket.acept"})  # type: ignore[misc, arg-type]  # pyright: ignore[reportArgumentType]
        # misuse: event-value-type: a websocket event value of the wrong type
        await self.send_event({"type": "websocket.close", "code": "1000"})  # type: ignore[typeddict-item]  # pyright: ignore[reportArgumentType]
        # misuse: http-event-on-websocket: an http event sent on a websocket
        await self.send_event({"type": "http.response.start", "status": 200})  # type: ignore[typeddict-item]  # pyright: ignore[reportArgumentType]


class OverridesCall(AsyncWebsocketConsumer):
    # misuse: call-override: overriding the final `__call__` of a consumer [runtime: tests/unit/test_consumer.py::test_overriding_call_is_rejected_at_class_creation]
    async def __call__(  # type: ignore[misc]  # pyright: ignore[reportIncompatibleMethodOverride]
        self, scope: RoutedWebSocketScope, receive: Receive, send: Send, /
    ) -> None: ...


# --- Middleware as a Protocol --------------------------------------------

auth_stack: Middleware[WebSocketScope, AuthWebSocketScope] = FakeAuth
# Providing more keys than needed is fine (Inner is covariant) ...
plain_stack: Middleware[WebSocketScope, WebSocketScope] = FakeAuth
# ... but a middleware cannot promise keys it does not add:
# misuse: middleware-promises-keys: a middleware typed as adding keys it does not add
needs_more: Middleware[WebSocketScope, RoutedAuthWebSocketScope] = FakeAuth  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]


# --- Narrowing events -----------------------------------------------------


def describe(event: WebSocketIncomingEvent) -> str:
    match event["type"]:
        case "websocket.connect":
            return "connect"
        case "websocket.receive":
            return event.get("text") or ""
        case "websocket.disconnect":
            return str(event["code"])
        case _ as unreachable:
            assert_never(unreachable)


def forgets_disconnect(event: WebSocketIncomingEvent) -> str:
    # misuse: event-match-not-exhaustive: a `match` on event types that forgets one
    match event["type"]:  # type: ignore[exhaustive-match]  # pyright: ignore[reportMatchNotExhaustive]
        case "websocket.connect":
            return "connect"
        case "websocket.receive":
            return "frame"
    return "unreachable if exhaustive"
