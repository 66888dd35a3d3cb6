"""Routers: by protocol, by URL path, and by channel name.

The routers are typed as scope transformers. ``URLRouter`` turns routes whose
apps need a scope with ``url_route`` into an app that needs only the scope
without it, so ``ProtocolTypeRouter`` (and middleware) can check, at
type-check time, that every consumer gets the scope keys it reads.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Final, Generic, Union, cast, overload

from django.urls.resolvers import RegexPattern, RoutePattern
from typing_extensions import Never, Required, TypeAlias, TypedDict, TypeIs, TypeVar

from ._import_order import MESSAGE
from ._import_order import install as install_import_order_message
from ._routecheck import check_route_kwargs
from .exceptions import (
    ConfigurationError,
    ImportOrderError,
    NoRouteFound,
    UnknownChannel,
    UnknownProtocol,
)
from .lifespan import LifespanHandler
from .types import (
    AnyScope,
    ASGIApp,
    AuthHTTPScope,
    AuthWebSocketScope,
    BaseScope,
    ChannelScope,
    CookieHTTPScope,
    CookieWebSocketScope,
    HTTPScope,
    LifespanScope,
    Receive,
    RoutedAuthHTTPScope,
    RoutedAuthWebSocketScope,
    RoutedCookieHTTPScope,
    RoutedCookieWebSocketScope,
    RoutedHTTPScope,
    RoutedSessionHTTPScope,
    RoutedSessionWebSocketScope,
    RoutedWebSocketScope,
    Send,
    SessionHTTPScope,
    SessionWebSocketScope,
    WebSocketScope,
)

if TYPE_CHECKING:
    from django.core.handlers.asgi import ASGIHandler

# asgi.py imports routing, consumers import this: both come before the models
# whose too-early import the message explains.
install_import_order_message()

__all__ = [
    "AuthHTTPRoute",
    "AuthWebSocketRoute",
    "BaseRoute",
    "ChannelNameRouter",
    "CookieHTTPRoute",
    "CookieWebSocketRoute",
    "HTTPRoute",
    "ProtocolMapping",
    "ProtocolTypeRouter",
    "Route",
    "ScopedURLRouter",
    "SessionHTTPRoute",
    "SessionWebSocketRoute",
    "URLRouter",
    "WebSocketRoute",
    "get_default_application",
    "path",
    "re_path",
]

logger: Final = logging.getLogger("typedchannels.routing")

_K = TypeVar("_K")
_ScopeT = TypeVar("_ScopeT", bound=BaseScope)
_ScopeT_contra = TypeVar("_ScopeT_contra", contravariant=True)

# What a router calls once it has built the inner scope at run time; the
# scope's type was checked when the route was made.
_RoutedApp: TypeAlias = Callable[[dict[str, object], Receive, Send], Awaitable[None]]


# --- Protocol routing -----------------------------------------------------


class ProtocolMapping(TypedDict, total=False):
    """The apps of ``ProtocolTypeRouter``, by ``scope["type"]``.

    ``http`` is required (Django's ``get_asgi_application()``): Channels 3
    deprecated leaving it out. ``lifespan`` defaults to a handler that
    completes startup and shutdown.
    """

    http: Required[Union[ASGIApp[HTTPScope], ASGIHandler]]
    websocket: ASGIApp[WebSocketScope]
    lifespan: ASGIApp[LifespanScope]
    channel: ASGIApp[ChannelScope]


_PROTOCOLS: Final = frozenset(ProtocolMapping.__annotations__)


class ProtocolTypeRouter:
    """The root app: picks the app for each connection by ``scope["type"]``."""

    def __init__(self, application_mapping: ProtocolMapping) -> None:
        """Check the mapping now, so a mistake fails at startup.

        Raises:
            ConfigurationError: ``http`` is missing, or a key is not a protocol.
        """
        mapping = cast("Mapping[str, object]", application_mapping)
        unknown = sorted(set(mapping) - _PROTOCOLS)
        if unknown:
            raise ConfigurationError(
                f"ProtocolTypeRouter: unknown protocol key(s) {unknown}; "
                f"expected some of {sorted(_PROTOCOLS)}"
            )
        if "http" not in mapping:
            raise ConfigurationError(
                "ProtocolTypeRouter needs an 'http' application: with Django, "
                "'http': get_asgi_application()"
            )
        for key, app in mapping.items():
            _check_is_asgi_app(app, f"ProtocolTypeRouter[{key!r}]")
        apps = dict(mapping)
        apps.setdefault("lifespan", LifespanHandler())
        self.application_mapping: Final = application_mapping
        self._apps = cast("dict[str, _RoutedApp]", apps)

    async def __call__(
        self,
        scope: HTTPScope | WebSocketScope | LifespanScope | ChannelScope,
        receive: Receive,
        send: Send,
    ) -> None:
        """Run the app for ``scope["type"]``.

        Raises:
            UnknownProtocol: no app for this scope type.
        """
        try:
            app = self._apps[scope["type"]]
        except KeyError:
            raise UnknownProtocol(
                f"ProtocolTypeRouter has no application for scope type "
                f"{scope['type']!r}; it routes {sorted(self._apps)}"
            ) from None
        await app(cast("dict[str, object]", scope), receive, send)


# --- URL routing ----------------------------------------------------------


class BaseRoute:
    """One URL pattern and the app it leads to (made by :func:`path`/:func:`re_path`)."""

    __slots__ = ("app", "default_kwargs", "name", "pattern")

    pattern: RoutePattern | RegexPattern
    app: _RoutedApp
    default_kwargs: dict[str, object]
    name: str | None

    def __init__(
        self,
        pattern: RoutePattern | RegexPattern,
        app: _RoutedApp,
        default_kwargs: Mapping[str, object],
        name: str | None,
    ) -> None:
        self.pattern = pattern
        self.app = app
        self.default_kwargs = dict(default_kwargs)
        self.name = name

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.pattern.describe()} -> {self.app!r}>"


# Route classes exist for the type checker: a route whose app needs fewer
# scope keys is a subclass of one whose app needs more, so a plain list of
# mixed routes joins to the most demanding one, and URLRouter's overloads
# pick the scope its middleware must provide. At run time every route is a
# ``Route``.


class AuthWebSocketRoute(BaseRoute):
    """A WebSocket route whose app may need the auth stack's keys."""


class SessionWebSocketRoute(AuthWebSocketRoute):
    """A WebSocket route whose app may need the session stack's keys."""


class CookieWebSocketRoute(SessionWebSocketRoute):
    """A WebSocket route whose app may need ``cookies``."""


class WebSocketRoute(CookieWebSocketRoute):
    """A WebSocket route whose app needs only the routed WebSocket scope."""


class AuthHTTPRoute(BaseRoute):
    """An HTTP route whose app may need the auth stack's keys."""


class SessionHTTPRoute(AuthHTTPRoute):
    """An HTTP route whose app may need the session stack's keys."""


class CookieHTTPRoute(SessionHTTPRoute):
    """An HTTP route whose app may need ``cookies``."""


class HTTPRoute(CookieHTTPRoute):
    """An HTTP route whose app needs only the routed HTTP scope."""


class Route(WebSocketRoute, HTTPRoute):
    """A route whose app takes either protocol; the run-time class of every route."""


class _RouteFactory:
    """``path()`` and ``re_path()``: one overload list, two pattern syntaxes."""

    def __init__(
        self, name: str, pattern_class: type[RoutePattern | RegexPattern]
    ) -> None:
        self._name = name
        self._pattern_class = pattern_class

    @overload
    def __call__(
        self,
        route: str,
        app: ASGIApp[RoutedWebSocketScope | RoutedHTTPScope],
        kwargs: Mapping[str, object] | None = None,
        name: str | None = None,
    ) -> Route: ...
    @overload
    def __call__(
        self,
        route: str,
        app: ASGIApp[RoutedWebSocketScope[_K]],
        kwargs: Mapping[str, object] | None = None,
        name: str | None = None,
    ) -> WebSocketRoute: ...
    @overload
    def __call__(
        self,
        route: str,
        app: ASGIApp[RoutedCookieWebSocketScope[_K]],
        kwargs: Mapping[str, object] | None = None,
        name: str | None = None,
    ) -> CookieWebSocketRoute: ...
    @overload
    def __call__(
        self,
        route: str,
        app: ASGIApp[RoutedSessionWebSocketScope[_K]],
        kwargs: Mapping[str, object] | None = None,
        name: str | None = None,
    ) -> SessionWebSocketRoute: ...
    @overload
    def __call__(
        self,
        route: str,
        app: ASGIApp[RoutedAuthWebSocketScope[_K]],
        kwargs: Mapping[str, object] | None = None,
        name: str | None = None,
    ) -> AuthWebSocketRoute: ...
    @overload
    def __call__(
        self,
        route: str,
        app: ASGIApp[RoutedHTTPScope[_K]],
        kwargs: Mapping[str, object] | None = None,
        name: str | None = None,
    ) -> HTTPRoute: ...
    @overload
    def __call__(
        self,
        route: str,
        app: ASGIApp[RoutedCookieHTTPScope[_K]],
        kwargs: Mapping[str, object] | None = None,
        name: str | None = None,
    ) -> CookieHTTPRoute: ...
    @overload
    def __call__(
        self,
        route: str,
        app: ASGIApp[RoutedSessionHTTPScope[_K]],
        kwargs: Mapping[str, object] | None = None,
        name: str | None = None,
    ) -> SessionHTTPRoute: ...
    @overload
    def __call__(
        self,
        route: str,
        app: ASGIApp[RoutedAuthHTTPScope[_K]],
        kwargs: Mapping[str, object] | None = None,
        name: str | None = None,
    ) -> AuthHTTPRoute: ...
    @overload
    def __call__(
        self,
        route: str,
        app: ASGIApp[_ScopeT],
        kwargs: Mapping[str, object] | None = None,
        name: str | None = None,
    ) -> BaseRoute: ...
    def __call__(
        self,
        route: str,
        app: object,
        kwargs: Mapping[str, object] | None = None,
        name: str | None = None,
    ) -> BaseRoute:
        """A route from a URL pattern to an ASGI app (``Consumer.as_asgi()``).

        Raises:
            ConfigurationError: ``app`` is not an ASGI 3 app (a consumer class,
                ``Consumer.as_asgi`` without the call, Django's ``include()``),
                or the pattern captures a group the app's declared
                ``url_route`` kwargs TypedDict rejects.
        """
        where = f"{self._name}({route!r}, ...)"
        if isinstance(app, tuple):
            raise ConfigurationError(
                f"{where}: include() is not supported by URLRouter; "
                "nest a URLRouter([...]) instead"
            )
        _check_is_asgi_app(app, where)
        # An app that routes further must see the rest of the path.
        endpoint = not getattr(app, "_path_routing", False)
        pattern = self._pattern_class(route, name=name, is_endpoint=endpoint)
        check_route_kwargs(where, pattern, app)
        return Route(pattern, cast("_RoutedApp", app), kwargs or {}, name)

    def __repr__(self) -> str:
        return f"<typedchannels.routing.{self._name}>"


#: Route a Django-style path (``"room/<int:pk>/"``, converters included) to an app.
path: Final = _RouteFactory("path", RoutePattern)
#: Route a regular expression (named groups become ``kwargs``) to an app.
re_path: Final = _RouteFactory("re_path", RegexPattern)


class URLRouter(Generic[_ScopeT_contra]):
    """Routes a connection by its path to the first matching route's app.

    Adds ``url_route`` (``args`` and ``kwargs`` captured, merged with those of
    outer routers) and ``path_remaining`` to the scope. Routers nest: a route
    to a ``URLRouter`` matches a prefix. Honours ``root_path``.

    Its overloads cover the scopes of Channels' middleware stacks; behind a
    middleware of your own, use :class:`ScopedURLRouter`.

    If nothing matches, an HTTP request gets a 404 and a WebSocket handshake is
    refused (an HTTP 403), with a warning logged: a mistyped URL is the
    client's error, not the server's. (Channels raises ``ValueError`` there.)
    Use :meth:`resolve` to get :class:`~typedchannels.exceptions.NoRouteFound`.
    """

    #: This app routes on ``path_remaining``: routes to it match a prefix.
    _path_routing: Final = True

    routes: tuple[BaseRoute, ...]

    @overload
    def __init__(
        self: URLRouter[WebSocketScope], routes: Sequence[WebSocketRoute]
    ) -> None: ...
    @overload
    def __init__(
        self: URLRouter[CookieWebSocketScope], routes: Sequence[CookieWebSocketRoute]
    ) -> None: ...
    @overload
    def __init__(
        self: URLRouter[SessionWebSocketScope], routes: Sequence[SessionWebSocketRoute]
    ) -> None: ...
    @overload
    def __init__(
        self: URLRouter[AuthWebSocketScope], routes: Sequence[AuthWebSocketRoute]
    ) -> None: ...
    @overload
    def __init__(self: URLRouter[HTTPScope], routes: Sequence[HTTPRoute]) -> None: ...
    @overload
    def __init__(
        self: URLRouter[CookieHTTPScope], routes: Sequence[CookieHTTPRoute]
    ) -> None: ...
    @overload
    def __init__(
        self: URLRouter[SessionHTTPScope], routes: Sequence[SessionHTTPRoute]
    ) -> None: ...
    @overload
    def __init__(
        self: URLRouter[AuthHTTPScope], routes: Sequence[AuthHTTPRoute]
    ) -> None: ...
    def __init__(self, routes: Sequence[BaseRoute]) -> None:
        """Raises:
        ConfigurationError: an entry is not a typedchannels route.
        """
        self.routes = _checked_routes(routes)

    def resolve(
        self, scope: Mapping[str, object]
    ) -> tuple[_RoutedApp, dict[str, object]]:
        """The app that handles ``scope`` and the scope it gets.

        Raises:
            NoRouteFound: no route matches the path.
        """
        path = scope.get("path_remaining")
        if path is None:
            path = _outer_path(scope)
        if not isinstance(path, str):
            raise NoRouteFound("the scope has no 'path' to route on")
        found = self._match(path.lstrip("/"), scope)
        if found is None:
            raise NoRouteFound(f"No route found for path {path!r}.")
        return found

    def _match(
        self, path: str, scope: Mapping[str, object]
    ) -> tuple[_RoutedApp, dict[str, object]] | None:
        for route in self.routes:
            match = route.pattern.match(path)
            if match is None:
                continue
            remaining, args, kwargs = cast(
                "tuple[str, tuple[object, ...], dict[str, object]]", match
            )
            outer = cast("Mapping[str, object]", scope.get("url_route") or {})
            outer_args = cast("tuple[object, ...]", outer.get("args", ()))
            outer_kwargs = cast("Mapping[str, object]", outer.get("kwargs", {}))
            merged_kwargs: dict[str, object] = {**outer_kwargs, **kwargs}
            merged_kwargs.update(route.default_kwargs)
            url_route: dict[str, object] = {
                "args": (*outer_args, *args),
                "kwargs": merged_kwargs,
            }
            inner = dict(scope)
            inner["path_remaining"] = remaining
            inner["url_route"] = url_route
            if _is_router(route.app):
                nested = route.app._match(remaining.lstrip("/"), inner)
                if nested is None:
                    continue
                return nested
            return route.app, inner
        return None

    async def __call__(
        self, scope: _ScopeT_contra, receive: Receive, send: Send
    ) -> None:
        """Route the connection; refuse it politely if no route matches."""
        fields = cast("Mapping[str, object]", scope)
        try:
            app, inner = self.resolve(fields)
        except NoRouteFound as exc:
            if fields.get("type") not in ("http", "websocket"):
                raise
            logger.warning("%s (%s)", exc, fields.get("type"))
            await _refuse(fields["type"], send)
            return
        # This frame lives as long as the connection: keep only the inner scope.
        del scope, fields
        await app(inner, receive, send)


class ScopedURLRouter(URLRouter[_ScopeT]):
    """A ``URLRouter`` for a scope of your own: ``ScopedURLRouter[TenantScope]([...])``.

    Behind a middleware that adds keys ``URLRouter``'s overloads do not know
    (say ``tenant``), name the scope the router gets from outside. Python has
    no TypedDict intersection, so the checker cannot relate it to the routed
    scopes your consumers declare: that one relation is yours to get right.
    """

    def __init__(self, routes: Sequence[BaseRoute]) -> None:
        """Raises:
        ConfigurationError: an entry is not a typedchannels route.
        """
        self.routes: tuple[BaseRoute, ...] = _checked_routes(routes)


def _checked_routes(routes: Sequence[BaseRoute]) -> tuple[BaseRoute, ...]:
    for index, route in enumerate(cast("Sequence[object]", routes)):
        if not isinstance(route, BaseRoute):
            raise ConfigurationError(
                f"URLRouter routes[{index}] is {route!r}: make routes with "
                "typedchannels.routing.path() or re_path()"
            )
    return tuple(routes)


def _is_router(app: object) -> TypeIs[URLRouter[Never]]:
    return isinstance(app, URLRouter)


def _outer_path(scope: Mapping[str, object]) -> str | None:
    path = scope.get("path")
    if not isinstance(path, str):
        return None
    root_path = scope.get("root_path") or ""
    if not isinstance(root_path, str) or not root_path:
        return path
    if not path.startswith(root_path):
        return None
    return path[len(root_path) :]


async def _refuse(protocol: object, send: Send) -> None:
    if protocol == "websocket":
        await send({"type": "websocket.close", "code": 1000})  # a 403 before accept
        return
    await send(
        {
            "type": "http.response.start",
            "status": 404,
            "headers": [(b"content-type", b"text/plain; charset=utf-8")],
        }
    )
    await send({"type": "http.response.body", "body": b"Not Found"})


# --- Channel-name routing (workers) --------------------------------------


class ChannelNameRouter:
    """Routes worker messages by ``scope["channel"]``."""

    def __init__(
        self, application_mapping: Mapping[str, ASGIApp[ChannelScope]]
    ) -> None:
        """Raises:
        ConfigurationError: a value is not an ASGI 3 app.
        """
        for channel, app in application_mapping.items():
            _check_is_asgi_app(app, f"ChannelNameRouter[{channel!r}]")
        self.application_mapping: Final = dict(application_mapping)

    async def __call__(self, scope: ChannelScope, receive: Receive, send: Send) -> None:
        """Raises:
        UnknownChannel: no app for ``scope["channel"]``.
        """
        try:
            app = self.application_mapping[scope["channel"]]
        except KeyError:
            raise UnknownChannel(
                f"ChannelNameRouter has no application for channel {scope['channel']!r}; "
                f"it routes {sorted(self.application_mapping)}"
            ) from None
        await app(scope, receive, send)


# --- The project's application ------------------------------------------


def get_default_application() -> ASGIApp[AnyScope]:
    """The app Django's ``ASGI_APPLICATION`` setting names (for servers and workers).

    Raises:
        ConfigurationError: the setting is missing or cannot be imported.
        ImportOrderError: importing it imported models before Django was set up.
    """
    from django.conf import settings
    from django.core.exceptions import AppRegistryNotReady
    from django.utils.module_loading import import_string

    path: object = getattr(settings, "ASGI_APPLICATION", None)
    if not isinstance(path, str) or not path:
        raise ConfigurationError(
            "ASGI_APPLICATION is not set: set it to your root application's "
            'import path, e.g. ASGI_APPLICATION = "mysite.asgi.application"'
        )
    try:
        app: object = import_string(path)
    except ImportOrderError:
        raise
    except AppRegistryNotReady as exc:
        raise ImportOrderError(f"ASGI_APPLICATION = {path!r}: {MESSAGE}") from exc
    except ImportError as exc:
        raise ConfigurationError(
            f"ASGI_APPLICATION = {path!r} cannot be imported: {exc}"
        ) from exc
    _check_is_asgi_app(app, f"ASGI_APPLICATION = {path!r}")
    return cast("ASGIApp[AnyScope]", app)


# --- Run-time twin of the static app checks ------------------------------


def _check_is_asgi_app(app: object, where: str) -> None:
    """Reject the ASGI 2 and routing mistakes a type checker would have caught."""
    from .consumer import BaseConsumer

    if inspect.isclass(app):
        if issubclass(app, BaseConsumer):
            hint = f"route {app.__qualname__}.as_asgi(), not the class"
        else:
            hint = "a class is not an ASGI 3 app (ASGI 2 style?); route an app instance"
        raise ConfigurationError(f"{where}: {hint}")
    if inspect.ismethod(app) and getattr(app, "__name__", "") == "as_asgi":
        owner = getattr(app.__self__, "__qualname__", "Consumer")
        raise ConfigurationError(f"{where}: call it: {owner}.as_asgi()")
    if not callable(app):
        raise ConfigurationError(f"{where}: {app!r} is not an ASGI app")
