"""The Django user in the scope, and logging in and out from a consumer.

``AuthMiddleware`` (inside ``SessionMiddleware``) adds ``scope["user"]``: the
user the session names, or an ``AnonymousUser``. The user is loaded before
the inner app starts (async code may not touch the ORM), in one hop to the
ORM's thread, and only when the connection has a session cookie. As in Django,
a session whose auth hash no longer matches the user's (the password changed)
is flushed and the connection is anonymous.

Typed as a scope transformer: ``AuthMiddlewareStack(inner)`` takes an app that
needs ``user`` and is an app that needs only the plain scope, so routing a
consumer that reads ``self.scope["user"]`` without the stack, or putting
``AuthMiddleware`` outside ``SessionMiddleware``, is a type error.

Importing this module does not import Django models, so ``asgi.py`` may import
it before ``get_asgi_application()``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast, overload

from django.conf import settings
from django.utils.crypto import constant_time_compare
from typing_extensions import Never, TypeVar

from .db import database_sync_to_async
from .exceptions import ConfigurationError, MiddlewareOrderError
from .middleware import BaseMiddleware
from .sessions import CookieMiddleware, SessionMiddleware
from .types import (
    ASGIApp,
    AuthHTTPScope,
    AuthWebSocketScope,
    BaseScope,
    HTTPScope,
    RoutedAuthHTTPScope,
    RoutedAuthWebSocketScope,
    RoutedHTTPScope,
    RoutedSessionHTTPScope,
    RoutedSessionWebSocketScope,
    RoutedWebSocketScope,
    SessionHTTPScope,
    SessionKeys,
    SessionWebSocketScope,
    UserKeys,
    WebSocketScope,
)

if TYPE_CHECKING:
    from django.contrib.auth.backends import BaseBackend
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.sessions.backends.base import SessionBase
    from django.db.models import Field

__all__ = [
    "AuthMiddleware",
    "AuthMiddlewareStack",
    "get_user",
    "login",
    "logout",
]

_OuterT = TypeVar("_OuterT", bound=BaseScope)
_InnerT = TypeVar("_InnerT", bound=BaseScope)
_K = TypeVar("_K")


def _require_session(scope: object, who: str) -> SessionBase:
    session = cast("dict[str, object]", scope).get("session")
    if session is None:
        raise MiddlewareOrderError(
            f"{who} found no 'session' in the scope: put it inside "
            "SessionMiddleware (AuthMiddlewareStack does cookies, session and user)"
        )
    return cast("SessionBase", session)


def _anonymous() -> AnonymousUser:
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def _session_user_pk(session: SessionBase) -> object:
    """The user pk the session names, as the user model's pk type.

    Raises:
        KeyError: the session names no user.
        ValidationError: the stored pk does not fit the pk field.
    """
    from django.contrib.auth import SESSION_KEY

    pk: object = _user_pk_field().to_python(session[SESSION_KEY])
    return pk


def _user_pk_field() -> Field[object, object]:
    from django.contrib.auth import get_user_model

    # django-stubs' ClassVar[Options[Self]] stays unsolved for pyright here.
    field = cast("Field[object, object]", get_user_model()._meta.pk)  # pyright: ignore[reportUnknownMemberType]
    return field


def _user_from_session(session: SessionBase) -> AbstractBaseUser | None:
    """The session's user if the session still vouches for it (ORM thread)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, load_backend
    from django.core.exceptions import ValidationError

    try:
        user_pk = _session_user_pk(session)
        backend_path: object = session[BACKEND_SESSION_KEY]
    except (KeyError, ValidationError):
        return None
    if backend_path not in settings.AUTHENTICATION_BACKENDS:
        return None  # a backend since removed from settings vouches for no one
    user = load_backend(cast("str", backend_path)).get_user(user_pk)
    if user is None:
        return None
    stored: object = session.get(HASH_SESSION_KEY)
    current = user.get_session_auth_hash()
    if isinstance(stored, str) and stored:
        if constant_time_compare(stored, current):
            return user
        # Made with a key now in SECRET_KEY_FALLBACKS: still valid; upgrade it.
        # (Django also cycles the key; a WebSocket could not send the new cookie.)
        if any(
            constant_time_compare(stored, fallback)
            for fallback in user.get_session_auth_fallback_hash()
        ):
            session[HASH_SESSION_KEY] = current
            session.save()
            return user
    session.flush()  # e.g. the password changed since this session logged in
    return None


async def get_user(scope: SessionKeys) -> AbstractBaseUser | AnonymousUser:
    """The user ``scope["session"]`` is logged in as, or an ``AnonymousUser``.

    A session whose auth hash does not match the user's is flushed.

    Raises:
        MiddlewareOrderError: no ``session`` in the scope.
    """
    session = _require_session(scope, "get_user()")
    if session.session_key is None and not session.accessed:
        return _anonymous()  # no cookie, nothing stored: no need for the ORM
    user = await database_sync_to_async(_user_from_session)(session)
    return _anonymous() if user is None else user


def _backend_path(
    user: AbstractBaseUser, backend: type[BaseBackend] | str | None
) -> str:
    if isinstance(backend, str):
        return backend
    if backend is not None:
        return f"{backend.__module__}.{backend.__qualname__}"
    found: object = getattr(user, "backend", None)  # set by authenticate()
    if isinstance(found, str):
        return found
    backends = list(settings.AUTHENTICATION_BACKENDS)
    if len(backends) == 1:
        return backends[0]
    raise ConfigurationError(
        "login(): several AUTHENTICATION_BACKENDS are configured; pass backend=, "
        "or log in a user returned by authenticate() (it carries .backend)"
    )


def _log_in(session: SessionBase, user: AbstractBaseUser, backend_path: str) -> None:
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        user_logged_in,
    )
    from django.core.exceptions import ValidationError

    auth_hash = user.get_session_auth_hash()
    if SESSION_KEY in session:
        try:
            same_user = _session_user_pk(session) == user.pk
        except ValidationError:
            same_user = False
        stored = session.get(HASH_SESSION_KEY, "")
        if not same_user or not constant_time_compare(str(stored), auth_hash):
            # Another user's (or a stale) session: start from an empty one.
            session.flush()
    else:
        session.cycle_key()  # against session fixation
    session[SESSION_KEY] = _user_pk_field().value_to_string(user)
    session[BACKEND_SESSION_KEY] = backend_path
    session[HASH_SESSION_KEY] = auth_hash
    user_logged_in.send(sender=type(user), request=None, user=user)


async def login(
    scope: UserKeys,
    user: AbstractBaseUser,
    backend: type[BaseBackend] | str | None = None,
) -> None:
    """Log ``user`` in: store it in the session and set ``scope["user"]``.

    Sends ``user_logged_in`` (with ``request=None``). Does not save the
    session: ``await scope["session"].asave()`` (Django 5.0+) or ``await
    database_sync_to_async(scope["session"].save)()``. On a WebSocket the
    client keeps its old cookie, so a new session key must reach it another
    way.

    Raises:
        MiddlewareOrderError: no ``session`` in the scope.
        ConfigurationError: several backends configured and none given.
    """
    session = _require_session(scope, "login()")
    backend_path = _backend_path(user, backend)
    await database_sync_to_async(_log_in)(session, user, backend_path)
    scope["user"] = user


def _log_out(session: SessionBase, user: object) -> None:
    from django.contrib.auth import user_logged_out

    if not getattr(user, "is_authenticated", True):
        user = None
    user_logged_out.send(sender=type(user), request=None, user=user)
    session.flush()


async def logout(scope: UserKeys) -> None:
    """Flush the session and make ``scope["user"]`` anonymous.

    Sends ``user_logged_out`` (with ``request=None``).

    Raises:
        MiddlewareOrderError: no ``session`` in the scope.
    """
    session = _require_session(scope, "logout()")
    user: object = cast("dict[str, object]", scope).get("user")
    await database_sync_to_async(_log_out)(session, user)
    scope["user"] = _anonymous()


class AuthMiddleware(BaseMiddleware[_OuterT, _InnerT]):
    """Adds ``scope["user"]``, loaded from the session before the inner app runs.

    Needs ``SessionMiddleware`` outside it (use :func:`AuthMiddlewareStack`).
    Holds no per-connection state.
    """

    @overload
    def __init__(
        self: AuthMiddleware[SessionWebSocketScope, AuthWebSocketScope],
        inner: ASGIApp[AuthWebSocketScope],
    ) -> None: ...
    @overload
    def __init__(
        self: AuthMiddleware[
            RoutedSessionWebSocketScope[_K], RoutedAuthWebSocketScope[_K]
        ],
        inner: ASGIApp[RoutedAuthWebSocketScope[_K]],
    ) -> None: ...
    @overload
    def __init__(
        self: AuthMiddleware[SessionHTTPScope, AuthHTTPScope],
        inner: ASGIApp[AuthHTTPScope],
    ) -> None: ...
    @overload
    def __init__(
        self: AuthMiddleware[RoutedSessionHTTPScope[_K], RoutedAuthHTTPScope[_K]],
        inner: ASGIApp[RoutedAuthHTTPScope[_K]],
    ) -> None: ...
    def __init__(self, inner: ASGIApp[Never]) -> None:
        super().__init__(cast("ASGIApp[_InnerT]", inner))

    async def build_scope(self, scope: _OuterT) -> _InnerT:
        """A copy of ``scope`` with ``user``.

        Raises:
            MiddlewareOrderError: no ``session`` in the scope.
        """
        _require_session(scope, "AuthMiddleware")
        user = await get_user(cast("SessionKeys", scope))
        return cast("_InnerT", {**scope, "user": user})


@overload
def AuthMiddlewareStack(  # named as Channels' stack
    inner: ASGIApp[AuthWebSocketScope],
) -> ASGIApp[WebSocketScope]: ...
@overload
def AuthMiddlewareStack(
    inner: ASGIApp[RoutedAuthWebSocketScope[_K]],
) -> ASGIApp[RoutedWebSocketScope[_K]]: ...
@overload
def AuthMiddlewareStack(
    inner: ASGIApp[AuthHTTPScope],
) -> ASGIApp[HTTPScope]: ...
@overload
def AuthMiddlewareStack(
    inner: ASGIApp[RoutedAuthHTTPScope[_K]],
) -> ASGIApp[RoutedHTTPScope[_K]]: ...
def AuthMiddlewareStack(inner: ASGIApp[Never]) -> ASGIApp[Never]:  # noqa: N802
    """``CookieMiddleware(SessionMiddleware(AuthMiddleware(inner)))``."""
    # One protocol's overloads stand for all: the run-time chain is the same.
    app = cast("ASGIApp[AuthWebSocketScope]", inner)
    return CookieMiddleware(SessionMiddleware(AuthMiddleware(app)))
