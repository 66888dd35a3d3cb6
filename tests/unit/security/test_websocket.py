"""Origin validation, and the cross-site WebSocket hijacking it prevents."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import override_settings

from tests.django_project.asgi import application
from tests.support.django_users import new_logged_in_session_key
from typedchannels.exceptions import ConfigurationError
from typedchannels.generic.websocket import AsyncWebsocketConsumer
from typedchannels.security.websocket import (
    AllowedHostsOriginValidator,
    OriginValidator,
    origin_allowed,
)
from typedchannels.testing import HttpCommunicator, WebsocketCommunicator
from typedchannels.types import (
    ASGIApp,
    Receive,
    RoutedWebSocketScope,
    Send,
    WebSocketScope,
)


class Accept(AsyncWebsocketConsumer):
    async def connect(self) -> None:
        await self.accept()


@pytest.mark.parametrize(
    ("origin", "pattern", "allowed"),
    [
        ("http://example.com", "http://example.com", True),
        ("http://example.com", "https://example.com", False),  # scheme
        ("https://example.com", "https://example.com:443", True),  # default port
        ("http://example.com:8080", "http://example.com", False),  # port
        ("http://example.com:8080", "http://example.com:8080", True),
        ("http://example.com:8080", "example.com", True),  # no scheme: host only
        ("https://EXAMPLE.com", "example.COM", True),  # case
        ("http://sub.example.com", "example.com", False),
        ("http://sub.example.com", ".example.com", True),  # subdomains
        ("http://example.com", ".example.com", True),  # and the domain itself
        ("http://evilexample.com", ".example.com", False),
        ("http://example.com.evil.net", "example.com", False),
        ("http://a.b.example.com", "http://.example.com", True),
        ("http://[::1]:8000", "[::1]", True),
        ("null", "example.com", False),  # sandboxed pages and file:// send "null"
        ("null", "*", True),
        ("http://anything.net", "*", True),
        ("http://example.com:notaport", "http://example.com", False),
    ],
)
def test_matching_rules(origin: str, pattern: str, allowed: bool) -> None:
    assert origin_allowed(urlsplit(origin), [pattern]) is allowed


def test_no_origin_is_allowed_only_by_the_wildcard() -> None:
    assert not origin_allowed(None, ["example.com", ".example.com"])
    assert origin_allowed(None, ["*"])


def origin(value: str) -> tuple[bytes, bytes]:
    return (b"origin", value.encode())


async def connect(
    app: ASGIApp[RoutedWebSocketScope], *headers: tuple[bytes, bytes]
) -> bool:
    comm = WebsocketCommunicator(app, "/", headers=list(headers))
    result = await comm.connect()
    if result.accepted:
        await comm.disconnect()
    else:
        assert result.close_code == 1000  # closed before accept: an HTTP 403
    return result.accepted


async def test_an_allowed_origin_reaches_the_app() -> None:
    app = OriginValidator(Accept.as_asgi(), ["https://example.com"])
    assert await connect(app, origin("https://example.com"))


async def test_another_origin_is_refused_before_accept() -> None:
    app = OriginValidator(Accept.as_asgi(), ["https://example.com"])
    assert not await connect(app, origin("https://evil.example.net"))
    assert not await connect(app)  # no Origin at all


async def test_the_last_origin_header_counts() -> None:
    app = OriginValidator(Accept.as_asgi(), ["https://example.com"])
    assert not await connect(
        app, origin("https://example.com"), origin("https://evil.net")
    )
    assert await connect(app, origin("https://evil.net"), origin("https://example.com"))


async def test_a_garbled_origin_is_refused() -> None:
    app = OriginValidator(Accept.as_asgi(), ["example.com"])
    assert not await connect(app, origin("http://[example.com"))


async def test_a_refused_handshake_never_starts_the_app() -> None:
    started: list[str] = []

    async def inner(scope: WebSocketScope, receive: Receive, send: Send) -> None:
        started.append(scope["path"])

    app = OriginValidator(inner, ["https://example.com"])
    assert not await connect(app, origin("https://evil.net"))
    assert started == []


async def test_a_client_gone_before_the_handshake_ends_the_denial() -> None:
    app = OriginValidator(Accept.as_asgi(), [])
    comm = WebsocketCommunicator(app, "/")
    await comm.send_input({"type": "websocket.disconnect", "code": 1001})
    await comm.wait()
    assert await comm.receive_nothing()


async def test_http_is_not_for_an_origin_validator() -> None:
    app = OriginValidator(Accept.as_asgi(), ["*"])
    comm = HttpCommunicator(app, "GET", "/")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]  # the run-time twin of the type error
    with pytest.raises(ConfigurationError, match="only protects WebSocket"):
        await comm.get_response()


def test_a_single_string_is_not_a_list_of_origins() -> None:
    with pytest.raises(ConfigurationError, match="must be a list"):
        OriginValidator(Accept.as_asgi(), "https://example.com")


async def test_allowed_hosts_are_the_allowed_origins() -> None:
    with override_settings(ALLOWED_HOSTS=[".example.com"]):
        app = AllowedHostsOriginValidator(Accept.as_asgi())
    assert app.allowed_origins == (".example.com",)
    assert await connect(app, origin("https://www.example.com"))
    assert not await connect(app, origin("http://localhost:8000"))


def test_debug_with_no_allowed_hosts_allows_localhost() -> None:
    with override_settings(ALLOWED_HOSTS=[], DEBUG=True):
        app = AllowedHostsOriginValidator(Accept.as_asgi())
    assert app.allowed_origins == ("localhost", "127.0.0.1", "[::1]")
    with override_settings(ALLOWED_HOSTS=[], DEBUG=False):
        app = AllowedHostsOriginValidator(Accept.as_asgi())
    assert app.allowed_origins == ()


def test_the_validator_holds_no_connection_state() -> None:
    app = OriginValidator(Accept.as_asgi(), ["*"])
    assert set(vars(app)) == {"application", "allowed_origins"}


# --- Cross-site WebSocket hijacking, on the test project's application ------


@pytest.mark.usefixtures("db")
async def test_a_page_on_another_site_cannot_use_the_victims_cookie() -> None:
    """The browser attaches the victim's session cookie to a handshake that a
    page on evil.example.net starts; only the Origin header tells them apart."""

    key = await new_logged_in_session_key("victim")
    cookie = (b"cookie", f"{settings.SESSION_COOKIE_NAME}={key}".encode())

    hijack = WebsocketCommunicator(
        application, "/ws/whoami/", headers=[cookie, origin("https://evil.example.net")]
    )
    refused = await hijack.connect()
    assert not refused.accepted
    assert await hijack.receive_nothing()  # nothing about the victim leaked

    own_page = WebsocketCommunicator(
        application, "/ws/whoami/", headers=[cookie, origin("http://testserver")]
    )
    assert (await own_page.connect()).accepted
    assert await own_page.receive_from() == "victim"
    await own_page.disconnect()
