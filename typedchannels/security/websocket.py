"""Origin checks for WebSocket handshakes: the defence against cross-site
WebSocket hijacking.

A browser sends a page's cookies with every WebSocket handshake, to any
origin, and applies no same-origin policy to the socket. Without an origin
check, a page on another site can open an authenticated socket to yours.
:class:`OriginValidator` refuses handshakes whose ``Origin`` is not allowed by
closing before accepting, which servers send as an HTTP 403.

Matching follows Channels: the last ``Origin`` header counts; a pattern with a
scheme must match scheme, host and port (default ports from the scheme); a
pattern without one matches the host only; ``.example.com`` matches the
domain and its subdomains; ``"*"`` matches anything, a missing ``Origin``
included.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final, Generic
from urllib.parse import SplitResult, urlsplit

from django.conf import settings
from django.utils.http import is_same_domain
from typing_extensions import TypeVar

from ..exceptions import ConfigurationError
from ..types import ASGIApp, Receive, Send, WebSocketScope

__all__ = ["AllowedHostsOriginValidator", "OriginValidator"]

_ScopeT_contra = TypeVar("_ScopeT_contra", bound=WebSocketScope, contravariant=True)

_DEFAULT_PORTS = {"http": 80, "ws": 80, "https": 443, "wss": 443}
#: What AllowedHostsOriginValidator allows when DEBUG and ALLOWED_HOSTS is empty
#: (what Django's runserver allows then).
DEBUG_HOSTS = ("localhost", "127.0.0.1", "[::1]")


def _port(parts: SplitResult) -> int | None:
    try:
        port = parts.port
    except ValueError:  # not a number, or out of range
        return None
    return port if port is not None else _DEFAULT_PORTS.get(parts.scheme)


def origin_of(scope: WebSocketScope) -> SplitResult | None:
    """The parsed ``Origin`` of a handshake (the last one), or None."""
    origin: SplitResult | None = None
    for name, value in scope["headers"]:
        if name == b"origin":
            try:
                origin = urlsplit(value.decode("latin-1").strip().lower())
            except ValueError:  # e.g. an unclosed "[": no host, so refused
                origin = urlsplit("")
    return origin


def origin_allowed(origin: SplitResult | None, patterns: Iterable[str]) -> bool:
    """Whether ``origin`` matches one of ``patterns`` (Channels' rules)."""
    for pattern in patterns:
        if pattern == "*":
            return True
        if origin is None or not origin.hostname:
            continue  # no Origin, or "null": only "*" allows those
        parsed = urlsplit(pattern.lower())
        if not parsed.scheme:
            host = urlsplit("//" + pattern.lower()).hostname or pattern.lower()
            if is_same_domain(origin.hostname, host):
                return True
            continue
        if (
            parsed.scheme == origin.scheme
            and parsed.hostname is not None
            and _port(parsed) == _port(origin)
            and is_same_domain(origin.hostname, parsed.hostname)
        ):
            return True
    return False


class OriginValidator(Generic[_ScopeT_contra]):
    """Refuses WebSocket handshakes from origins not in ``allowed_origins``.

    Keeps the scope type of the app it wraps. Holds only the patterns.
    """

    def __init__(
        self, application: ASGIApp[_ScopeT_contra], allowed_origins: Iterable[str]
    ) -> None:
        """Raises:
        ConfigurationError: ``allowed_origins`` is a single string (a common slip).
        """
        if isinstance(allowed_origins, str):
            raise ConfigurationError(
                "OriginValidator: allowed_origins must be a list of origins, "
                f"not the string {allowed_origins!r}"
            )
        self.application: Final = application
        self.allowed_origins: tuple[str, ...] = tuple(allowed_origins)

    async def __call__(
        self, scope: _ScopeT_contra, receive: Receive, send: Send
    ) -> None:
        """Run the app, or refuse the handshake.

        Raises:
            ConfigurationError: the connection is not a WebSocket.
        """
        if scope["type"] != "websocket":
            raise ConfigurationError(
                "OriginValidator only protects WebSocket connections; "
                f"it got a {scope['type']!r} scope (route only 'websocket' through it)"
            )
        if origin_allowed(origin_of(scope), self.allowed_origins):
            await self.application(scope, receive, send)
            return
        await _refuse(receive, send)


async def _refuse(receive: Receive, send: Send) -> None:
    """Wait for the handshake, then close before accepting (an HTTP 403)."""
    while True:
        event = await receive()
        if event["type"] == "websocket.connect":
            await send({"type": "websocket.close", "code": 1000})
            return
        if event["type"] == "websocket.disconnect":
            return


class AllowedHostsOriginValidator(OriginValidator[_ScopeT_contra]):
    """An :class:`OriginValidator` allowing Django's ``ALLOWED_HOSTS``.

    With ``DEBUG`` and an empty ``ALLOWED_HOSTS``, allows localhost as Django
    does. Reads the settings when constructed.
    """

    def __init__(self, application: ASGIApp[_ScopeT_contra]) -> None:
        hosts = list(settings.ALLOWED_HOSTS)
        if settings.DEBUG and not hosts:
            hosts = list(DEBUG_HOSTS)
        super().__init__(application, hosts)
