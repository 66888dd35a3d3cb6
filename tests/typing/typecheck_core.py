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
Greeter.as_asgi(greting="hi")  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
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
ProtocolTypeRouter({"http": http_app, "websocket": Echo.as_asgi()})  # type: ignore[typeddict-item]  # pyright: ignore[reportArgumentType]

# A consumer class routed without .as_asgi():
path("echo/", Echo)  # type: ignore[arg-type]  # pyright: ignore[reportCallIssue, reportArgumentType]
# .as_asgi without the call:
path("echo/", Echo.as_asgi)  # type: ignore[arg-type]  # pyright: ignore[reportCallIssue, reportArgumentType]


class Asgi2App:
    """An ASGI 2 application: scope in __init__, (receive, send) in __call__."""

    def __init__(self, scope: WebSocketScope) -> None:
        self.scope = scope

    async def __call__(self, receive: Receive, send: Send) -> None: ...


path("old/", Asgi2App)  # type: ignore[arg-type]  # pyright: ignore[reportCallIssue, reportArgumentType]
Echo(WebSocketScope(type="websocket", asgi={"version": "3.0"}, path="/", headers=[]))  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]


class Asgi2Init(AsyncWebsocketConsumer):
    def __init__(self, scope: WebSocketScope) -> None:
        self.the_scope = scope


Asgi2Init.as_asgi()  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]


class Asgi2Call(AsyncWebsocketConsumer):
    async def __call__(self, receive: Receive, send: Send) -> None:  # type: ignore[misc, override]  # pyright: ignore[reportIncompatibleMethodOverride]
        ...


# ProtocolTypeRouter without "http", with a typo'd key, with a websocket app under "http":
ProtocolTypeRouter({"websocket": URLRouter(routes)})  # type: ignore[typeddict-item]  # pyright: ignore[reportArgumentType]
ProtocolTypeRouter({"http": http_app, "websockets": URLRouter(routes)})  # type: ignore[typeddict-unknown-key]  # pyright: ignore[reportArgumentType]
ProtocolTypeRouter({"http": URLRouter(routes)})  # type: ignore[typeddict-item]  # pyright: ignore[reportArgumentType]

# --- Scopes through middleware ----------------------------------------------

auth_routes = [path("echo/", Echo.as_asgi()), path("me/", NeedsUser.as_asgi())]
assert_type(URLRouter(auth_routes), URLRouter[AuthWebSocketScope])
ProtocolTypeRouter({"http": http_app, "websocket": FakeAuth(URLRouter(auth_routes))})
# A consumer that needs "user", routed without auth middleware:
ProtocolTypeRouter({"http": http_app, "websocket": URLRouter(auth_routes)})  # type: ignore[typeddict-item]  # pyright: ignore[reportArgumentType]


class ReadsUserWithoutAuth(AsyncWebsocketConsumer):
    async def connect(self) -> None:
        self.scope["user"]  # type: ignore[typeddict-item]  # pyright: ignore[reportGeneralTypeIssues]


# --- Events ---------------------------------------------------------------


class SendsEvents(AsyncWebsocketConsumer):
    async def connect(self) -> None:
        await self.send_event({"type": "websocket.accept", "subprotocol": "chat"})
        await self.send_event({"type": "websocket.accept", "subprotocl": "chat"})  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
        await self.send_event({"type": "websocket.acept"})  # type: ignore[misc, arg-type]  # pyright: ignore[reportArgumentType]
        await self.send_event({"type": "websocket.close", "code": "1000"})  # type: ignore[typeddict-item]  # pyright: ignore[reportArgumentType]
        await self.send_event({"type": "http.response.start", "status": 200})  # type: ignore[typeddict-item]  # pyright: ignore[reportArgumentType]


class OverridesCall(AsyncWebsocketConsumer):
    async def __call__(  # type: ignore[misc]  # pyright: ignore[reportIncompatibleMethodOverride]
        self, scope: RoutedWebSocketScope, receive: Receive, send: Send, /
    ) -> None: ...


# --- Middleware as a Protocol --------------------------------------------

auth_stack: Middleware[WebSocketScope, AuthWebSocketScope] = FakeAuth
# Providing more keys than needed is fine (Inner is covariant) ...
plain_stack: Middleware[WebSocketScope, WebSocketScope] = FakeAuth
# ... but a middleware cannot promise keys it does not add:
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
    match event["type"]:  # type: ignore[exhaustive-match]  # pyright: ignore[reportMatchNotExhaustive]
        case "websocket.connect":
            return "connect"
        case "websocket.receive":
            return "frame"
    return "unreachable if exhaustive"
