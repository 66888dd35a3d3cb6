"""CookieMiddleware and SessionMiddleware against a real session database."""

from __future__ import annotations

import datetime
import re
from http.cookies import SimpleCookie

import pytest
from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.test import override_settings

from tests.support.sessions import session_flush, session_get, session_set
from typedchannels.exceptions import MiddlewareOrderError
from typedchannels.generic.websocket import AsyncWebsocketConsumer
from typedchannels.sessions import (
    CookieMiddleware,
    SessionMiddleware,
    SessionMiddlewareStack,
)
from typedchannels.testing import HttpCommunicator, WebsocketCommunicator
from typedchannels.types import (
    CookieWebSocketScope,
    HTTPResponseStartEvent,
    Receive,
    RoutedSessionWebSocketScope,
    Send,
    SessionHTTPScope,
)

pytestmark = pytest.mark.usefixtures("db")


def start_event() -> HTTPResponseStartEvent:
    return {"type": "http.response.start", "status": 200, "headers": []}


def set_cookies(headers: list[tuple[bytes, bytes]]) -> dict[str, SimpleCookie]:
    """The response's Set-Cookie headers, parsed, by cookie name."""
    found: dict[str, SimpleCookie] = {}
    for name, value in headers:
        if name == b"set-cookie":
            cookie: SimpleCookie = SimpleCookie()
            cookie.load(value.decode("latin-1"))
            for key in cookie:
                found[key] = cookie
    return found


def cookie_header(event: HTTPResponseStartEvent) -> str:
    (header,) = [v for k, v in event.get("headers", []) if k == b"set-cookie"]
    return header.decode("latin-1")


# --- CookieMiddleware -----------------------------------------------------


class ShowCookies(AsyncWebsocketConsumer[CookieWebSocketScope]):
    async def connect(self) -> None:
        await self.accept()
        cookies = self.scope["cookies"]
        await self.send(
            text_data=",".join(f"{k}={v}" for k, v in sorted(cookies.items()))
        )


async def test_cookies_are_parsed_from_every_cookie_header() -> None:
    app = CookieMiddleware(ShowCookies.as_asgi())
    headers = [(b"cookie", b"a=1; b=two"), (b"cookie", b"c=3")]
    comm = WebsocketCommunicator(app, "/", headers=headers)
    assert (await comm.connect()).accepted
    assert await comm.receive_from() == "a=1,b=two,c=3"
    assert "cookies" not in comm.scope  # the outer scope is left alone
    await comm.disconnect()


async def test_no_cookie_header_means_no_cookies() -> None:
    comm = WebsocketCommunicator(CookieMiddleware(ShowCookies.as_asgi()), "/")
    await comm.connect()
    assert await comm.receive_from() == ""
    await comm.disconnect()


def test_set_cookie_renders_every_attribute() -> None:
    event = start_event()
    CookieMiddleware.set_cookie(
        event,
        "k",
        "v",
        max_age=60,
        path="/p/",
        domain="example.com",
        secure=True,
        httponly=True,
        samesite="strict",
    )
    header = cookie_header(event)
    assert header.startswith("k=v; ")
    for part in ("Max-Age=60", "Path=/p/", "Domain=example.com", "Secure", "HttpOnly"):
        assert part in header
    assert "SameSite=Strict" in header
    assert re.search(r"expires=\w{3}, \d{2} \w{3} \d{4}", header)


def test_set_cookie_keeps_existing_headers() -> None:
    event = start_event()
    event["headers"] = [(b"content-type", b"text/plain")]
    CookieMiddleware.set_cookie(event, "a", "1")
    CookieMiddleware.set_cookie(event, "b", "2")
    names = [k for k, _ in event.get("headers", [])]
    assert names == [b"content-type", b"set-cookie", b"set-cookie"]


def test_set_cookie_with_an_aware_datetime_works_on_django_5() -> None:
    # Channels' version uses django.utils.timezone.utc, removed in Django 5.
    event = start_event()
    expires = datetime.datetime.now(tz=datetime.timezone.utc) + datetime.timedelta(
        hours=1
    )
    CookieMiddleware.set_cookie(event, "k", "v", expires=expires)
    morsel = set_cookies(list(event.get("headers", [])))["k"]["k"]
    assert 3595 <= int(morsel["max-age"]) <= 3601
    assert morsel["expires"]


def test_set_cookie_with_a_datetime_in_another_zone() -> None:
    event = start_event()
    plus_two = datetime.timezone(datetime.timedelta(hours=2))
    expires = datetime.datetime.now(tz=plus_two) + datetime.timedelta(minutes=10)
    CookieMiddleware.set_cookie(event, "k", "v", expires=expires)
    morsel = set_cookies(list(event.get("headers", [])))["k"]["k"]
    assert 595 <= int(morsel["max-age"]) <= 601


def test_set_cookie_with_a_naive_datetime_takes_it_as_utc() -> None:
    event = start_event()
    naive = datetime.datetime.now(tz=datetime.timezone.utc).replace(
        tzinfo=None
    ) + datetime.timedelta(seconds=100)
    CookieMiddleware.set_cookie(event, "k", "v", expires=naive)
    morsel = set_cookies(list(event.get("headers", [])))["k"]["k"]
    assert 95 <= int(morsel["max-age"]) <= 101


def test_set_cookie_with_a_past_datetime_expires_now() -> None:
    event = start_event()
    past = datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc)
    CookieMiddleware.set_cookie(event, "k", "v", expires=past)
    assert "Max-Age=0" in cookie_header(event)


def test_set_cookie_with_a_timedelta_max_age() -> None:
    event = start_event()
    CookieMiddleware.set_cookie(event, "k", max_age=datetime.timedelta(minutes=2))
    assert "Max-Age=120" in cookie_header(event)


def test_set_cookie_refuses_expires_datetime_with_max_age() -> None:
    expires = datetime.datetime.now(tz=datetime.timezone.utc)
    with pytest.raises(ValueError, match="can't be used together"):
        CookieMiddleware.set_cookie(start_event(), "k", expires=expires, max_age=1)


def test_set_cookie_refuses_an_unknown_samesite() -> None:
    with pytest.raises(ValueError, match="samesite"):
        CookieMiddleware.set_cookie(start_event(), "k", samesite="sometimes")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]  # checked at run time too


def test_delete_cookie_expires_it_in_the_past() -> None:
    event = start_event()
    CookieMiddleware.delete_cookie(event, "k", path="/p/")
    header = cookie_header(event)
    assert "Max-Age=0" in header
    assert "01 Jan 1970" in header
    assert "Path=/p/" in header
    assert "Secure" not in header


def test_delete_cookie_with_a_secure_prefix_is_secure() -> None:
    event = start_event()
    CookieMiddleware.delete_cookie(event, "__Host-k")
    assert "Secure" in cookie_header(event)


# --- SessionMiddleware ----------------------------------------------------


class ShowSession(AsyncWebsocketConsumer[RoutedSessionWebSocketScope]):
    async def connect(self) -> None:
        await self.accept()
        session = self.scope["session"]
        await self.send(text_data=str(await session_get(session, "colour", "none")))


@sync_to_async
def stored_session(**data: object) -> str:
    store = SessionStore()
    store.update(data)
    store.save()
    assert store.session_key is not None
    return store.session_key


def session_cookie(key: str) -> tuple[bytes, bytes]:
    return (b"cookie", f"{settings.SESSION_COOKIE_NAME}={key}".encode())


async def test_the_session_of_the_cookie_is_in_the_scope() -> None:
    key = await stored_session(colour="green")
    comm = WebsocketCommunicator(
        SessionMiddlewareStack(ShowSession.as_asgi()),
        "/",
        headers=[session_cookie(key)],
    )
    await comm.connect()
    assert await comm.receive_from() == "green"
    await comm.disconnect()


async def test_the_session_loads_lazily() -> None:
    seen: list[bool] = []

    async def app(
        scope: RoutedSessionWebSocketScope, receive: Receive, send: Send
    ) -> None:
        seen.append(scope["session"].accessed)
        await send({"type": "websocket.close"})

    key = await stored_session(colour="green")
    comm = WebsocketCommunicator(
        SessionMiddlewareStack(app), "/", headers=[session_cookie(key)]
    )
    await comm.connect()
    assert seen == [False]


async def test_without_a_cookie_the_session_is_new_and_empty() -> None:
    comm = WebsocketCommunicator(SessionMiddlewareStack(ShowSession.as_asgi()), "/")
    await comm.connect()
    assert await comm.receive_from() == "none"
    await comm.disconnect()


async def test_session_middleware_needs_cookie_middleware_outside() -> None:
    app = SessionMiddleware(ShowSession.as_asgi())
    comm = WebsocketCommunicator(app, "/")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]  # the run-time twin of the type error
    await comm.send_input({"type": "websocket.connect"})
    with pytest.raises(
        MiddlewareOrderError, match="wrap it in CookieMiddleware"
    ) as info:
        await comm.wait()
    assert isinstance(info.value, ValueError)  # as Channels' error


async def change_session(scope: SessionHTTPScope, receive: Receive, send: Send) -> None:
    """An HTTP app that sets, reads or flushes the session by its path."""
    await receive()
    session = scope["session"]
    status = 200
    if scope["path"] == "/set/":
        await session_set(session, "colour", "blue")
    elif scope["path"] == "/read/":
        await session_get(session, "colour")
    elif scope["path"] == "/flush/":
        await session_flush(session)
    elif scope["path"] == "/fail/":
        await session_set(session, "colour", "red")
        status = 500
    await send({"type": "http.response.start", "status": status, "headers": []})
    await send({"type": "http.response.body", "body": b"done"})


async def request(
    path: str, *headers: tuple[bytes, bytes]
) -> list[tuple[bytes, bytes]]:
    comm = HttpCommunicator(
        SessionMiddlewareStack(change_session), "GET", path, headers=headers
    )
    response = await comm.get_response()
    return response["headers"]


async def test_a_changed_session_is_saved_with_a_cookie_from_the_settings() -> None:
    with override_settings(
        SESSION_COOKIE_NAME="sid",
        SESSION_COOKIE_PATH="/app/",
        SESSION_COOKIE_DOMAIN="example.com",
        SESSION_COOKIE_SECURE=True,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_AGE=600,
    ):
        headers = await request("/set/")
    morsel = set_cookies(headers)["sid"]["sid"]
    assert morsel["path"] == "/app/"
    assert morsel["domain"] == "example.com"
    assert morsel["secure"] is True
    assert morsel["httponly"] is True
    assert morsel["samesite"] == "Strict"
    assert morsel["max-age"] == "600"
    assert (b"vary", b"Cookie") in headers
    stored = await sync_to_async(SessionStore(morsel.value).load)()
    assert stored == {"colour": "blue"}


async def test_an_unchanged_session_sets_no_cookie() -> None:
    key = await stored_session(colour="green")
    headers = await request("/read/", session_cookie(key))
    assert set_cookies(headers) == {}
    assert (b"vary", b"Cookie") in headers  # it was read: caches must know
    headers = await request("/other/", session_cookie(key))
    assert headers == []


async def test_save_every_request_saves_an_unchanged_session() -> None:
    key = await stored_session(colour="green")
    with override_settings(SESSION_SAVE_EVERY_REQUEST=True):
        headers = await request("/read/", session_cookie(key))
    assert set_cookies(headers)[settings.SESSION_COOKIE_NAME]


async def test_a_flushed_session_deletes_the_cookie() -> None:
    key = await stored_session(colour="green")
    headers = await request("/flush/", session_cookie(key))
    morsel = set_cookies(headers)[settings.SESSION_COOKIE_NAME][
        settings.SESSION_COOKIE_NAME
    ]
    assert morsel.value == ""
    assert morsel["max-age"] == "0"
    assert not await sync_to_async(SessionStore().exists)(key)


async def test_a_server_error_does_not_save_the_session() -> None:
    headers = await request("/fail/")
    assert set_cookies(headers) == {}


async def test_a_browser_session_cookie_has_no_expiry() -> None:
    with override_settings(SESSION_EXPIRE_AT_BROWSER_CLOSE=True):
        headers = await request("/set/")
    morsel = set_cookies(headers)[settings.SESSION_COOKIE_NAME][
        settings.SESSION_COOKIE_NAME
    ]
    assert morsel["max-age"] == ""
    assert morsel["expires"] == ""


async def test_the_apps_own_start_event_is_not_changed() -> None:
    sent: list[HTTPResponseStartEvent] = []

    async def app(scope: SessionHTTPScope, receive: Receive, send: Send) -> None:
        await session_set(scope["session"], "k", "v")
        start: HTTPResponseStartEvent = {"type": "http.response.start", "status": 200}
        sent.append(start)
        await send(start)
        await send({"type": "http.response.body"})

    comm = HttpCommunicator(SessionMiddlewareStack(app), "GET", "/")
    response = await comm.get_response()
    assert set_cookies(response["headers"])
    assert sent == [{"type": "http.response.start", "status": 200}]
