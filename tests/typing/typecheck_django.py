"""Typing tests for the Django integration: middleware order, scope keys, origins.

Checked by mypy --strict and pyright strict, never run. A line marked
``# type: ignore[code]  # pyright: ignore[rule]`` must be an error in both
checkers: an ignore that stops being needed fails the build.
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.base import SessionBase
from django.core.asgi import get_asgi_application
from typing_extensions import assert_type

from typedchannels.auth import (
    AuthMiddleware,
    AuthMiddlewareStack,
    get_user,
    login,
    logout,
)
from typedchannels.generic.websocket import AsyncWebsocketConsumer
from typedchannels.routing import (
    ProtocolTypeRouter,
    URLRouter,
    get_default_application,
    path,
)
from typedchannels.security.websocket import (
    AllowedHostsOriginValidator,
    OriginValidator,
)
from typedchannels.sessions import (
    CookieMiddleware,
    SessionMiddleware,
    SessionMiddlewareStack,
)
from typedchannels.testing import HttpCommunicator, WebsocketCommunicator
from typedchannels.types import (
    AnyScope,
    ASGIApp,
    AuthHTTPScope,
    AuthWebSocketScope,
    CookieWebSocketScope,
    HTTPResponseStartEvent,
    HTTPScope,
    Receive,
    RoutedAuthWebSocketScope,
    RoutedCookieWebSocketScope,
    RoutedSessionWebSocketScope,
    RoutedWebSocketScope,
    Send,
    SessionWebSocketScope,
    WebSocketScope,
)

django_asgi_app = get_asgi_application()


class NeedsUser(AsyncWebsocketConsumer[RoutedAuthWebSocketScope]):
    async def connect(self) -> None:
        assert_type(self.scope["user"], "AbstractBaseUser | AnonymousUser")
        assert_type(self.scope["session"], SessionBase)
        assert_type(self.scope["cookies"], dict[str, str])
        if self.scope["user"].is_authenticated:
            await self.accept()
        assert_type(await get_user(self.scope), "AbstractBaseUser | AnonymousUser")
        user = self.scope["user"]
        if isinstance(user, AbstractBaseUser):
            await login(self.scope, user)
        await logout(self.scope)


class NeedsSession(AsyncWebsocketConsumer[RoutedSessionWebSocketScope]):
    async def connect(self) -> None:
        await self.scope["session"].aget("k")
        # misuse: session-scope-user: `self.scope["user"]` on a consumer behind the session stack only
        self.scope["user"]  # type: ignore[typeddict-item]  # pyright: ignore[reportGeneralTypeIssues]
        # misuse: login-without-auth: `login(scope, user)` on a scope without the auth stack
        await login(self.scope, AnonymousUser())  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


class NeedsCookies(AsyncWebsocketConsumer[RoutedCookieWebSocketScope]):
    async def connect(self) -> None:
        # misuse: cookie-scope-session: `self.scope["session"]` on a consumer behind `CookieMiddleware` only
        self.scope["session"]  # type: ignore[typeddict-item]  # pyright: ignore[reportGeneralTypeIssues]
        # misuse: get-user-without-session: `get_user(scope)` on a scope without a session [runtime: tests/unit/test_auth.py::test_get_user_needs_a_session]
        await get_user(self.scope)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


class Plain(AsyncWebsocketConsumer):
    async def connect(self) -> None:
        # misuse: plain-scope-cookies: `self.scope["cookies"]` on a consumer with no cookie middleware
        self.scope["cookies"]  # type: ignore[typeddict-item]  # pyright: ignore[reportGeneralTypeIssues]


async def http_needs_user(scope: AuthHTTPScope, receive: Receive, send: Send) -> None:
    assert_type(scope["user"], "AbstractBaseUser | AnonymousUser")


user_routes = [path("user/", NeedsUser.as_asgi()), path("plain/", Plain.as_asgi())]
session_routes = [path("session/", NeedsSession.as_asgi())]
cookie_routes = [path("cookies/", NeedsCookies.as_asgi())]

# --- Each stack makes its own scope level ---------------------------------

assert_type(AuthMiddlewareStack(URLRouter(user_routes)), ASGIApp[WebSocketScope])
assert_type(SessionMiddlewareStack(URLRouter(session_routes)), ASGIApp[WebSocketScope])
assert_type(
    CookieMiddleware(URLRouter(cookie_routes)),
    CookieMiddleware[WebSocketScope, CookieWebSocketScope],
)
assert_type(
    SessionMiddleware(URLRouter(session_routes)),
    SessionMiddleware[CookieWebSocketScope, SessionWebSocketScope],
)
assert_type(
    AuthMiddleware(URLRouter(user_routes)),
    AuthMiddleware[SessionWebSocketScope, AuthWebSocketScope],
)
assert_type(AuthMiddlewareStack(http_needs_user), ASGIApp[HTTPScope])
# A consumer wrapped directly (as in tests) keeps its routed scope.
assert_type(
    AuthMiddlewareStack(NeedsUser.as_asgi()),
    ASGIApp[RoutedWebSocketScope[dict[str, object]]],
)
WebsocketCommunicator(AuthMiddlewareStack(NeedsUser.as_asgi()), "/")
HttpCommunicator(AuthMiddlewareStack(http_needs_user), "GET", "/")
# A stack may wrap a router that needs fewer keys.
assert_type(AuthMiddlewareStack(URLRouter(cookie_routes)), ASGIApp[WebSocketScope])

ProtocolTypeRouter(
    {
        "http": AuthMiddlewareStack(http_needs_user),
        "websocket": AuthMiddlewareStack(URLRouter(user_routes)),
    }
)
ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": CookieMiddleware(
            SessionMiddleware(AuthMiddleware(URLRouter(user_routes)))
        ),
    }
)

# --- Missing or misordered middleware -------------------------------------

dj = django_asgi_app
no_stack = URLRouter(user_routes)
session_only = SessionMiddlewareStack(URLRouter(session_routes))
auth_outside = AuthMiddleware(session_only)
no_cookies = SessionMiddleware(URLRouter(session_routes))
http_stack = AuthMiddlewareStack(http_needs_user)
ws_stack = AuthMiddlewareStack(URLRouter(user_routes))
# A consumer that reads scope["user"], routed without the auth stack:
# misuse: django-user-without-auth-stack: a consumer reading `user` routed without `AuthMiddlewareStack`
ProtocolTypeRouter({"http": dj, "websocket": no_stack})  # type: ignore[typeddict-item]  # pyright: ignore[reportArgumentType]
# misuse: session-stack-for-user: a consumer reading `user` behind the session stack only
SessionMiddlewareStack(no_stack)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType, reportCallIssue]
# AuthMiddleware outside SessionMiddleware (a run-time error in Channels):
# misuse: auth-outside-session: `AuthMiddleware` outside `SessionMiddleware` [runtime: tests/unit/test_auth.py::test_auth_middleware_outside_the_session_stack_is_refused]
ProtocolTypeRouter({"http": dj, "websocket": auth_outside})  # type: ignore[typeddict-item]  # pyright: ignore[reportArgumentType]
# misuse: auth-without-session-middleware: `AuthMiddleware` with no `SessionMiddleware` inside the cookie middleware [runtime: tests/unit/test_auth.py::test_auth_middleware_without_sessions_is_refused_at_run_time]
CookieMiddleware(AuthMiddleware(no_cookies))  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType, reportCallIssue]
# SessionMiddleware without CookieMiddleware:
# misuse: session-without-cookies: `SessionMiddleware` without `CookieMiddleware` [runtime: tests/unit/test_sessions.py::test_session_middleware_needs_cookie_middleware_outside]
ProtocolTypeRouter({"http": dj, "websocket": no_cookies})  # type: ignore[typeddict-item]  # pyright: ignore[reportArgumentType]
# An HTTP stack under "websocket", and a WebSocket stack under "http":
# misuse: http-stack-under-websocket: an HTTP middleware stack under `"websocket"`
ProtocolTypeRouter({"http": dj, "websocket": http_stack})  # type: ignore[typeddict-item]  # pyright: ignore[reportArgumentType]
# misuse: websocket-stack-under-http: a WebSocket middleware stack under `"http"`
ProtocolTypeRouter({"http": ws_stack})  # type: ignore[typeddict-item]  # pyright: ignore[reportArgumentType]

# --- Origin validation keeps the scope type --------------------------------

guarded = OriginValidator(
    AuthMiddlewareStack(URLRouter(user_routes)), ["https://example.com"]
)
assert_type(guarded, OriginValidator[WebSocketScope])
assert_type(
    AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(user_routes))),
    AllowedHostsOriginValidator[WebSocketScope],
)
assert_type(
    OriginValidator(NeedsUser.as_asgi(), ["*"]),
    OriginValidator[RoutedAuthWebSocketScope],
)
ProtocolTypeRouter({"http": dj, "websocket": guarded})
# Validating origins does not add the keys a consumer needs:
needs_auth = OriginValidator(URLRouter(user_routes), ["*"])
# misuse: origin-validator-adds-no-keys: an origin validator in place of the auth stack
ProtocolTypeRouter({"http": dj, "websocket": needs_auth})  # type: ignore[typeddict-item]  # pyright: ignore[reportArgumentType]
# Origins matter for WebSockets only:
# misuse: origin-validator-on-http: an origin validator around an HTTP app [runtime: tests/unit/security/test_websocket.py::test_http_is_not_for_an_origin_validator]
OriginValidator(http_needs_user, ["*"])  # type: ignore[type-var]  # pyright: ignore[reportArgumentType]

# --- Cookies and the project's application ---------------------------------

start: HTTPResponseStartEvent = {"type": "http.response.start", "status": 200}
CookieMiddleware.set_cookie(start, "k", "v", samesite="Strict")
# misuse: set-cookie-samesite: `set_cookie(samesite=...)` with a value cookies do not take
CookieMiddleware.set_cookie(start, "k", "v", samesite="sometimes")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
# misuse: set-cookie-max-age: `set_cookie(max_age=...)` as a string
CookieMiddleware.set_cookie(start, "k", max_age="60")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
assert_type(get_default_application(), ASGIApp[AnyScope])
