"""Cookies and Django sessions in the scope.

``CookieMiddleware`` adds ``scope["cookies"]``; ``SessionMiddleware`` (inside
it) adds ``scope["session"]``, a store of ``SESSION_ENGINE`` for the session
cookie's key. The store loads its data on first access, which hits the
session backend: in async code use its ``a*`` methods (``await
session.aget("k")``, ``await session.asave()``; Django 5.0+) or, on any
Django, ``database_sync_to_async(session.save)()``.

On HTTP the session is saved, and its cookie set or deleted, when the response
starts, as Django's own session middleware does. A WebSocket has no response
to carry a cookie: save the session yourself after changing it.

Both are typed as scope transformers with one overload per protocol, routed
or not: ``SessionMiddleware`` takes an app that needs a session scope and is an
app that needs a cookie scope, so leaving out ``CookieMiddleware`` (or routing
a consumer that reads ``scope["session"]`` without the stack) is a type error.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Iterable
from http.cookies import SimpleCookie
from importlib import import_module
from typing import TYPE_CHECKING, Literal, cast, overload

from django.conf import settings
from django.http.cookie import parse_cookie
from django.utils.http import http_date
from typing_extensions import Never, TypeVar

from .db import database_sync_to_async
from .exceptions import MiddlewareOrderError
from .middleware import BaseMiddleware
from .types import (
    ASGIApp,
    ASGISendEvent,
    BaseScope,
    CookieHTTPScope,
    CookieWebSocketScope,
    HTTPResponseStartEvent,
    HTTPScope,
    Receive,
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
    from django.contrib.sessions.backends.base import SessionBase

__all__ = [
    "CookieMiddleware",
    "SameSite",
    "SessionMiddleware",
    "SessionMiddlewareStack",
]

_OuterT = TypeVar("_OuterT", bound=BaseScope)
_InnerT = TypeVar("_InnerT", bound=BaseScope)
_K = TypeVar("_K")

#: The ``SameSite`` cookie attribute (any case), or None/False to leave it out.
SameSite = Literal["Lax", "Strict", "None", "lax", "strict", "none", False]

_EPOCH: str = "Thu, 01 Jan 1970 00:00:00 GMT"


def _cookie_header(headers: Iterable[tuple[bytes, bytes]]) -> str:
    # HTTP/2 clients may split cookies over several headers.
    return "; ".join(
        value.decode("latin-1") for name, value in headers if name == b"cookie"
    )


class CookieMiddleware(BaseMiddleware[_OuterT, _InnerT]):
    """Parses the request's ``Cookie`` headers into ``scope["cookies"]``."""

    @overload
    def __init__(
        self: CookieMiddleware[WebSocketScope, CookieWebSocketScope],
        inner: ASGIApp[CookieWebSocketScope],
    ) -> None: ...
    @overload
    def __init__(
        self: CookieMiddleware[
            RoutedWebSocketScope[_K], RoutedCookieWebSocketScope[_K]
        ],
        inner: ASGIApp[RoutedCookieWebSocketScope[_K]],
    ) -> None: ...
    @overload
    def __init__(
        self: CookieMiddleware[HTTPScope, CookieHTTPScope],
        inner: ASGIApp[CookieHTTPScope],
    ) -> None: ...
    @overload
    def __init__(
        self: CookieMiddleware[RoutedHTTPScope[_K], RoutedCookieHTTPScope[_K]],
        inner: ASGIApp[RoutedCookieHTTPScope[_K]],
    ) -> None: ...
    def __init__(self, inner: ASGIApp[Never]) -> None:
        super().__init__(cast("ASGIApp[_InnerT]", inner))

    async def build_scope(self, scope: _OuterT) -> _InnerT:
        """A copy of ``scope`` with ``cookies`` (name -> value)."""
        headers = cast("Iterable[tuple[bytes, bytes]]", scope.get("headers", ()))
        return cast(
            "_InnerT", {**scope, "cookies": parse_cookie(_cookie_header(headers))}
        )

    @staticmethod
    def set_cookie(
        message: HTTPResponseStartEvent,
        key: str,
        value: str = "",
        max_age: int | datetime.timedelta | None = None,
        expires: str | datetime.datetime | None = None,
        path: str = "/",
        domain: str | None = None,
        secure: bool = False,
        httponly: bool = False,
        samesite: SameSite | None = "lax",
    ) -> None:
        """Add a ``Set-Cookie`` header to an ``http.response.start`` message.

        ``expires`` may be a datetime (naive means UTC): it becomes
        ``Max-Age`` from now, as in Django's ``HttpResponse.set_cookie``.

        Raises:
            ValueError: both ``expires`` (a datetime) and ``max_age``, or an
                unknown ``samesite``.
        """
        cookie: SimpleCookie = SimpleCookie()
        cookie[key] = value
        morsel = cookie[key]
        if isinstance(expires, datetime.datetime):
            if max_age is not None:
                raise ValueError("'expires' and 'max_age' can't be used together")
            if expires.tzinfo is None or expires.utcoffset() is None:
                expires = expires.replace(tzinfo=datetime.timezone.utc)
            left = expires - datetime.datetime.now(tz=datetime.timezone.utc)
            # A second more, so that the rounded-down date is not in the past.
            max_age = max(0, int(left.total_seconds()) + 1)
            expires = None
        if expires is not None:
            morsel["expires"] = expires
        if max_age is not None:
            seconds = (
                int(max_age.total_seconds())
                if isinstance(max_age, datetime.timedelta)
                else int(max_age)
            )
            morsel["max-age"] = str(seconds)
            if expires is None:
                morsel["expires"] = http_date(time.time() + seconds)
        if path:
            morsel["path"] = path
        if domain:
            morsel["domain"] = domain
        if secure:
            morsel["secure"] = True
        if httponly:
            morsel["httponly"] = True
        if samesite:
            if samesite.lower() not in ("lax", "strict", "none"):
                raise ValueError(
                    f"samesite must be 'lax', 'strict' or 'none', not {samesite!r}"
                )
            morsel["samesite"] = samesite.capitalize()
        header = (b"set-cookie", morsel.OutputString().encode("latin-1"))
        message["headers"] = [*message.get("headers", ()), header]

    @staticmethod
    def delete_cookie(
        message: HTTPResponseStartEvent,
        key: str,
        path: str = "/",
        domain: str | None = None,
        samesite: SameSite | None = None,
    ) -> None:
        """Add a ``Set-Cookie`` header that makes the browser drop ``key``."""
        # Browsers refuse these prefixes, and SameSite=None, without Secure.
        secure = key.startswith(("__Secure-", "__Host-")) or (
            bool(samesite) and str(samesite).lower() == "none"
        )
        CookieMiddleware.set_cookie(
            message,
            key,
            max_age=0,
            expires=_EPOCH,
            path=path,
            domain=domain,
            secure=secure,
            samesite=samesite,
        )


def _session_store(session_key: str | None) -> SessionBase:
    engine = import_module(settings.SESSION_ENGINE)
    store = cast("type[SessionBase]", engine.SessionStore)
    return store(session_key)


class SessionMiddleware(BaseMiddleware[_OuterT, _InnerT]):
    """Adds ``scope["session"]``; on HTTP, saves it when the response starts.

    Needs ``CookieMiddleware`` outside it (use :func:`SessionMiddlewareStack`).
    Holds no per-connection state: each connection gets its own store.
    """

    @overload
    def __init__(
        self: SessionMiddleware[CookieWebSocketScope, SessionWebSocketScope],
        inner: ASGIApp[SessionWebSocketScope],
    ) -> None: ...
    @overload
    def __init__(
        self: SessionMiddleware[
            RoutedCookieWebSocketScope[_K], RoutedSessionWebSocketScope[_K]
        ],
        inner: ASGIApp[RoutedSessionWebSocketScope[_K]],
    ) -> None: ...
    @overload
    def __init__(
        self: SessionMiddleware[CookieHTTPScope, SessionHTTPScope],
        inner: ASGIApp[SessionHTTPScope],
    ) -> None: ...
    @overload
    def __init__(
        self: SessionMiddleware[RoutedCookieHTTPScope[_K], RoutedSessionHTTPScope[_K]],
        inner: ASGIApp[RoutedSessionHTTPScope[_K]],
    ) -> None: ...
    def __init__(self, inner: ASGIApp[Never]) -> None:
        super().__init__(cast("ASGIApp[_InnerT]", inner))

    async def build_scope(self, scope: _OuterT) -> _InnerT:
        """A copy of ``scope`` with the session of its session cookie.

        Raises:
            MiddlewareOrderError: no ``cookies`` in the scope.
        """
        cookies = scope.get("cookies")
        if not isinstance(cookies, dict):
            raise MiddlewareOrderError(
                "SessionMiddleware found no 'cookies' in the scope: wrap it in "
                "CookieMiddleware, or use SessionMiddlewareStack (which does both)"
            )
        key = cast("dict[str, str]", cookies).get(settings.SESSION_COOKIE_NAME)
        return cast("_InnerT", {**scope, "session": _session_store(key)})

    async def __call__(self, scope: _OuterT, receive: Receive, send: Send) -> None:
        inner_scope = await self.build_scope(scope)
        if scope["type"] == "http":
            send = _saving_send(cast("dict[str, object]", inner_scope), send)
        running = self.inner(inner_scope, receive, send)
        # This frame lives as long as the connection: keep no scope.
        del scope, inner_scope
        await running


def _saving_send(scope: dict[str, object], send: Send) -> _SessionSavingSend:
    return _SessionSavingSend(
        cast("SessionBase", scope["session"]),
        had_cookie=settings.SESSION_COOKIE_NAME
        in cast("dict[str, str]", scope["cookies"]),
        send=send,
    )


class _SessionSavingSend:
    """One HTTP request's ``send``: saves the session as the response starts."""

    __slots__ = ("_had_cookie", "_send", "_session")

    def __init__(self, session: SessionBase, *, had_cookie: bool, send: Send) -> None:
        self._session = session
        self._had_cookie = had_cookie
        self._send = send

    async def __call__(self, event: ASGISendEvent) -> None:
        if event["type"] == "http.response.start":
            start = event.copy()  # the app's own event stays as it was
            await self._save(start)
            event = start
        await self._send(event)

    async def _save(self, message: HTTPResponseStartEvent) -> None:
        session = self._session
        # is_empty() does not load the session, so these cost no I/O.
        accessed, modified, empty = (
            session.accessed,
            session.modified,
            session.is_empty(),
        )
        if self._had_cookie and empty:
            CookieMiddleware.delete_cookie(
                message,
                settings.SESSION_COOKIE_NAME,
                path=settings.SESSION_COOKIE_PATH,
                domain=settings.SESSION_COOKIE_DOMAIN,
                samesite=settings.SESSION_COOKIE_SAMESITE,
            )
            _vary_on_cookie(message)
            return
        if accessed:
            _vary_on_cookie(message)
        if not (modified or settings.SESSION_SAVE_EVERY_REQUEST) or empty:
            return
        if message["status"] >= 500:
            return  # a failing response must not persist a half-made session
        max_age = await database_sync_to_async(_save_session)(session)
        CookieMiddleware.set_cookie(
            message,
            settings.SESSION_COOKIE_NAME,
            session.session_key or "",
            max_age=max_age,
            domain=settings.SESSION_COOKIE_DOMAIN,
            path=settings.SESSION_COOKIE_PATH,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=settings.SESSION_COOKIE_HTTPONLY,
            samesite=settings.SESSION_COOKIE_SAMESITE,
        )


def _save_session(session: SessionBase) -> int | None:
    """Save (in the ORM's thread); the cookie's max age, None for a browser session.

    Raises:
        SessionInterrupted: the session was deleted meanwhile (by a logout
            elsewhere), as in Django.
    """
    from django.contrib.sessions.backends.base import UpdateError
    from django.contrib.sessions.exceptions import SessionInterrupted

    max_age = (
        None if session.get_expire_at_browser_close() else session.get_expiry_age()
    )
    try:
        session.save()
    except UpdateError:
        raise SessionInterrupted(
            "The request's session was deleted before the request completed. "
            "The user may have logged out in a concurrent request, for example."
        ) from None
    return max_age


def _vary_on_cookie(message: HTTPResponseStartEvent) -> None:
    headers = list(message.get("headers", ()))
    for index, (name, value) in enumerate(headers):
        if name.lower() == b"vary":
            fields = [field.strip().lower() for field in value.split(b",")]
            if b"cookie" not in fields and b"*" not in fields:
                headers[index] = (name, value + b", Cookie")
            break
    else:
        headers.append((b"vary", b"Cookie"))
    message["headers"] = headers


@overload
def SessionMiddlewareStack(  # named as Channels' stack
    inner: ASGIApp[SessionWebSocketScope],
) -> ASGIApp[WebSocketScope]: ...
@overload
def SessionMiddlewareStack(
    inner: ASGIApp[RoutedSessionWebSocketScope[_K]],
) -> ASGIApp[RoutedWebSocketScope[_K]]: ...
@overload
def SessionMiddlewareStack(
    inner: ASGIApp[SessionHTTPScope],
) -> ASGIApp[HTTPScope]: ...
@overload
def SessionMiddlewareStack(
    inner: ASGIApp[RoutedSessionHTTPScope[_K]],
) -> ASGIApp[RoutedHTTPScope[_K]]: ...
def SessionMiddlewareStack(inner: ASGIApp[Never]) -> ASGIApp[Never]:  # noqa: N802
    """``CookieMiddleware(SessionMiddleware(inner))``: cookies, then the session."""
    # One protocol's overloads stand for all: the run-time chain is the same.
    app = cast("ASGIApp[SessionWebSocketScope]", inner)
    return CookieMiddleware(SessionMiddleware(app))
