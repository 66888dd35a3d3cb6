"""The keys Channels adds to ASGI scopes, and the scopes they make.

Each middleware adds keys: ``CookieMiddleware`` adds ``cookies``,
``SessionMiddleware`` adds ``session``, ``AuthMiddleware`` adds ``user``, and
``URLRouter`` adds ``url_route`` (and ``path_remaining``). The ``*Keys``
TypedDicts hold one such group of keys each; the named scopes combine them with
the ASGI scopes in the orders that Channels' stacks produce, so a consumer can
say exactly which keys it reads and a router can check that they are there.
Python has no TypedDict intersection: a custom middleware defines its own
combination by inheriting from these (``class TenantScope(AuthWebSocketScope)``).
"""

from typing import TYPE_CHECKING, Generic, Literal, Union

from typing_extensions import NotRequired, TypeAlias, TypedDict, TypeVar

from ._http import HTTPScope
from ._lifespan import LifespanScope
from ._websocket import WebSocketScope

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.sessions.backends.base import SessionBase

#: The type of ``url_route["kwargs"]``; a consumer may narrow it to a TypedDict
#: of the URL pattern's named groups (the mypy plugin checks the pattern).
KwargsT = TypeVar("KwargsT", default=dict[str, object])


class URLRoute(TypedDict, Generic[KwargsT]):
    """``scope["url_route"]``: what the URL patterns captured, outermost first."""

    args: tuple[object, ...]
    kwargs: KwargsT


class RouteKeys(TypedDict, Generic[KwargsT]):
    """Keys ``URLRouter`` adds."""

    url_route: URLRoute[KwargsT]
    path_remaining: NotRequired[str]


class CookieKeys(TypedDict):
    """Keys ``CookieMiddleware`` adds: the request's cookies, by name."""

    cookies: dict[str, str]


class SessionKeys(CookieKeys):
    """Keys ``SessionMiddleware`` adds (on top of the cookies it reads)."""

    session: "SessionBase"


class UserKeys(SessionKeys):
    """Keys ``AuthMiddleware`` adds (on top of the session it reads)."""

    user: "AbstractBaseUser | AnonymousUser"


# --- WebSocket ------------------------------------------------------------


class CookieWebSocketScope(WebSocketScope, CookieKeys):
    """A WebSocket scope inside ``CookieMiddleware``."""


class SessionWebSocketScope(WebSocketScope, SessionKeys):
    """A WebSocket scope inside ``SessionMiddlewareStack``."""


class AuthWebSocketScope(WebSocketScope, UserKeys):
    """A WebSocket scope inside ``AuthMiddlewareStack``."""


class RoutedWebSocketScope(WebSocketScope, RouteKeys[KwargsT], Generic[KwargsT]):
    """A WebSocket scope routed by ``URLRouter``: the default consumer scope."""


class RoutedCookieWebSocketScope(
    CookieWebSocketScope, RouteKeys[KwargsT], Generic[KwargsT]
):
    """A WebSocket scope inside ``CookieMiddleware`` and routed by ``URLRouter``."""


class RoutedSessionWebSocketScope(
    SessionWebSocketScope, RouteKeys[KwargsT], Generic[KwargsT]
):
    """A WebSocket scope inside ``SessionMiddlewareStack`` and routed by ``URLRouter``."""


class RoutedAuthWebSocketScope(
    AuthWebSocketScope, RouteKeys[KwargsT], Generic[KwargsT]
):
    """A WebSocket scope inside ``AuthMiddlewareStack`` and routed by ``URLRouter``."""


# --- HTTP -----------------------------------------------------------------


class CookieHTTPScope(HTTPScope, CookieKeys):
    """An HTTP scope inside ``CookieMiddleware``."""


class SessionHTTPScope(HTTPScope, SessionKeys):
    """An HTTP scope inside ``SessionMiddlewareStack``."""


class AuthHTTPScope(HTTPScope, UserKeys):
    """An HTTP scope inside ``AuthMiddlewareStack``."""


class RoutedHTTPScope(HTTPScope, RouteKeys[KwargsT], Generic[KwargsT]):
    """An HTTP scope routed by ``URLRouter``: the default HTTP consumer scope."""


class RoutedCookieHTTPScope(CookieHTTPScope, RouteKeys[KwargsT], Generic[KwargsT]):
    """An HTTP scope inside ``CookieMiddleware`` and routed by ``URLRouter``."""


class RoutedSessionHTTPScope(SessionHTTPScope, RouteKeys[KwargsT], Generic[KwargsT]):
    """An HTTP scope inside ``SessionMiddlewareStack`` and routed by ``URLRouter``."""


class RoutedAuthHTTPScope(AuthHTTPScope, RouteKeys[KwargsT], Generic[KwargsT]):
    """An HTTP scope inside ``AuthMiddlewareStack`` and routed by ``URLRouter``."""


# --- Workers --------------------------------------------------------------


class ChannelScope(TypedDict):
    """The scope a worker gives an app for each message on a named channel."""

    type: Literal["channel"]
    channel: str


#: Any scope a server or worker hands to an application.
AnyScope: TypeAlias = Union[HTTPScope, WebSocketScope, LifespanScope, ChannelScope]
