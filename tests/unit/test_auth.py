"""AuthMiddleware, get_user, login and logout, against real users and sessions."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import User
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.contrib.sessions.backends.db import SessionStore
from django.test import override_settings

from tests.support.django_users import logged_in_session_key, users
from tests.support.sessions import session_save
from typedchannels.auth import (
    AuthMiddleware,
    AuthMiddlewareStack,
    get_user,
    login,
    logout,
)
from typedchannels.exceptions import ConfigurationError, MiddlewareOrderError
from typedchannels.generic.websocket import AsyncWebsocketConsumer
from typedchannels.routing import URLRouter, path
from typedchannels.sessions import SessionMiddlewareStack
from typedchannels.testing import WebsocketCommunicator
from typedchannels.types import RoutedAuthWebSocketScope

pytestmark = pytest.mark.usefixtures("db")

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


class WhoAmI(AsyncWebsocketConsumer[RoutedAuthWebSocketScope]):
    """Says who the scope's user is; logs in and out on request."""

    async def connect(self) -> None:
        await self.accept()
        await self.send(text_data=self.name())

    def name(self) -> str:
        user = self.scope["user"]
        return user.get_username() if user.is_authenticated else "anonymous"

    async def receive(
        self, text_data: str | None = None, bytes_data: bytes | None = None
    ) -> None:
        if text_data and text_data.startswith("login:"):
            user = await users().aget(username=text_data.removeprefix("login:"))
            await login(self.scope, user, backend=MODEL_BACKEND)
            await session_save(self.scope["session"])
            await self.send(text_data=self.scope["session"].session_key or "")
        elif text_data == "logout":
            await logout(self.scope)
            await self.send(text_data=self.name())
        else:
            await self.send(text_data=self.name())


app = AuthMiddlewareStack(URLRouter([path("ws/", WhoAmI.as_asgi())]))


@sync_to_async
def make_user(username: str, password: str = "pw") -> User:
    return users().create_user(username=username, password=password)


logged_in_session = sync_to_async(logged_in_session_key)


def cookie(key: str) -> tuple[bytes, bytes]:
    return (b"cookie", f"{settings.SESSION_COOKIE_NAME}={key}".encode())


async def whoami(key: str | None = None, application: object = None) -> str:
    headers = [cookie(key)] if key is not None else []
    comm = WebsocketCommunicator(app, "/ws/", headers=headers)
    assert (await comm.connect()).accepted
    name = await comm.receive_from()
    await comm.disconnect()
    assert isinstance(name, str)
    return name


async def test_no_cookie_is_anonymous() -> None:
    assert await whoami() == "anonymous"


async def test_a_session_logged_in_by_django_is_that_user() -> None:
    alice = await make_user("alice")
    assert await whoami(await logged_in_session(alice)) == "alice"


async def test_a_forged_session_cookie_never_authenticates() -> None:
    await make_user("alice")
    assert await whoami("0123456789abcdefghijklmnopqrstuv") == "anonymous"
    assert await whoami("'; DROP TABLE django_session; --") == "anonymous"


async def test_a_tampered_session_cookie_never_authenticates() -> None:
    alice = await make_user("alice")
    key = await logged_in_session(alice)
    tampered = key[:-1] + ("a" if key[-1] != "a" else "b")
    assert await whoami(tampered) == "anonymous"
    assert await whoami(key.upper()) == "anonymous"


async def test_a_tampered_signed_cookie_session_never_authenticates() -> None:
    alice = await make_user("alice")
    with override_settings(
        SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies"
    ):
        key = await logged_in_session(alice)
        assert await whoami(key) == "alice"
        head, _, signature = key.rpartition(":")
        forged = f"{head}:{signature[::-1]}"
        assert await whoami(forged) == "anonymous"


async def test_a_session_naming_a_user_it_was_not_made_for_is_refused() -> None:
    # A session store an attacker could write to still needs the user's hash.
    alice = await make_user("alice")

    @sync_to_async
    def forged_session() -> str:
        store = SessionStore()
        store.update({SESSION_KEY: str(alice.pk), "_auth_user_backend": MODEL_BACKEND})
        store[HASH_SESSION_KEY] = "0" * 64
        store.save()
        assert store.session_key is not None
        return store.session_key

    key = await forged_session()
    assert await whoami(key) == "anonymous"
    assert not await sync_to_async(SessionStore().exists)(key)  # flushed


async def test_a_garbled_user_id_is_anonymous() -> None:
    @sync_to_async
    def garbled() -> str:
        store = SessionStore()
        store.update({SESSION_KEY: "not-a-number", "_auth_user_backend": MODEL_BACKEND})
        store.save()
        assert store.session_key is not None
        return store.session_key

    assert await whoami(await garbled()) == "anonymous"


async def test_a_changed_password_logs_the_session_out() -> None:
    alice = await make_user("alice")
    key = await logged_in_session(alice)
    assert await whoami(key) == "alice"

    @sync_to_async
    def change_password() -> None:
        alice.set_password("new")
        alice.save()

    await change_password()
    assert await whoami(key) == "anonymous"
    assert not await sync_to_async(SessionStore().exists)(key)


async def test_a_backend_no_longer_configured_vouches_for_no_one() -> None:
    alice = await make_user("alice")
    key = await logged_in_session(alice)
    with override_settings(
        AUTHENTICATION_BACKENDS=["django.contrib.auth.backends.RemoteUserBackend"]
    ):
        assert await whoami(key) == "anonymous"


async def test_a_session_hashed_with_a_fallback_secret_is_kept_and_upgraded() -> None:
    alice = await make_user("alice")
    key = await logged_in_session(alice)
    with override_settings(
        SECRET_KEY="rotated-secret", SECRET_KEY_FALLBACKS=[settings.SECRET_KEY]
    ):
        assert await whoami(key) == "alice"
        stored = await sync_to_async(SessionStore(key).load)()
        assert (
            stored[HASH_SESSION_KEY]
            == await sync_to_async(alice.get_session_auth_hash)()
        )
    with override_settings(SECRET_KEY="rotated-secret"):
        assert await whoami(key) == "alice"  # no fallback needed any more


async def test_connections_never_see_each_others_users() -> None:
    alice, bob = await make_user("alice"), await make_user("bob")
    keys = [await logged_in_session(alice), await logged_in_session(bob), None]
    state_before = dict(vars(app))
    comms = [
        WebsocketCommunicator(app, "/ws/", headers=[cookie(k)] if k else [])
        for k in keys
    ]
    # Interleave the handshakes so the connections overlap.
    for comm in comms:
        await comm.send_input({"type": "websocket.connect"})
    for comm in comms:
        assert (await comm.receive_output())["type"] == "websocket.accept"
    names = [await comm.receive_from() for comm in comms]
    assert names == ["alice", "bob", "anonymous"]
    for comm in reversed(comms):
        await comm.send_to(text_data="again")
    assert [await comm.receive_from() for comm in comms] == names
    for comm in comms:
        assert "user" not in comm.scope
        assert "session" not in comm.scope
        await comm.disconnect()
    assert dict(vars(app)) == state_before  # no per-connection state kept


async def test_many_concurrent_connections_keep_their_own_user() -> None:
    users = [await make_user(f"user{i}") for i in range(5)]
    keys = [await logged_in_session(user) for user in users]
    names = await asyncio.gather(*(whoami(key) for key in keys * 3))
    assert names == [user.username for user in users] * 3


@pytest.fixture
def signals() -> Iterator[list[tuple[str, object, object]]]:
    received: list[tuple[str, object, object]] = []

    def on_login(
        sender: object, request: object, user: object, **kwargs: object
    ) -> None:
        received.append(("in", request, user))

    def on_logout(
        sender: object, request: object, user: object, **kwargs: object
    ) -> None:
        received.append(("out", request, user))

    user_logged_in.connect(on_login, dispatch_uid="test-auth-in")
    user_logged_out.connect(on_logout, dispatch_uid="test-auth-out")
    yield received
    user_logged_in.disconnect(dispatch_uid="test-auth-in")
    user_logged_out.disconnect(dispatch_uid="test-auth-out")


async def test_login_stores_the_user_in_the_session_and_sends_the_signal(
    signals: list[tuple[str, object, object]],
) -> None:
    alice = await make_user("alice")
    comm = WebsocketCommunicator(app, "/ws/")
    await comm.connect()
    assert await comm.receive_from() == "anonymous"
    await comm.send_to(text_data="login:alice")
    new_key = await comm.receive_from()
    await comm.send_to(text_data="whoami")
    assert await comm.receive_from() == "alice"
    await comm.disconnect()
    assert [(kind, request) for kind, request, _ in signals] == [("in", None)]
    assert signals[0][2] == alice
    assert isinstance(new_key, str)
    assert await whoami(new_key) == "alice"  # the saved session logs in later


async def test_login_over_another_users_session_starts_a_clean_one() -> None:
    alice, bob = await make_user("alice"), await make_user("bob")
    key = await logged_in_session(alice)
    comm = WebsocketCommunicator(app, "/ws/", headers=[cookie(key)])
    await comm.connect()
    assert await comm.receive_from() == "alice"
    await comm.send_to(text_data=f"login:{bob.username}")
    bob_key = await comm.receive_from()
    assert bob_key != key
    await comm.disconnect()
    assert await whoami(key) == "anonymous"
    assert isinstance(bob_key, str)
    assert await whoami(bob_key) == "bob"


async def test_logout_flushes_the_session_and_sends_the_signal(
    signals: list[tuple[str, object, object]],
) -> None:
    alice = await make_user("alice")
    key = await logged_in_session(alice)
    comm = WebsocketCommunicator(app, "/ws/", headers=[cookie(key)])
    await comm.connect()
    assert await comm.receive_from() == "alice"
    await comm.send_to(text_data="logout")
    assert await comm.receive_from() == "anonymous"
    await comm.disconnect()
    assert [s for s in signals if s[0] == "out"] == [("out", None, alice)]
    assert await whoami(key) == "anonymous"


async def test_logout_when_anonymous_sends_no_user(
    signals: list[tuple[str, object, object]],
) -> None:
    comm = WebsocketCommunicator(app, "/ws/")
    await comm.connect()
    await comm.receive_from()
    await comm.send_to(text_data="logout")
    assert await comm.receive_from() == "anonymous"
    await comm.disconnect()
    assert signals == [("out", None, None)]


async def test_login_with_several_backends_needs_one_named() -> None:
    alice = await make_user("alice")
    scope_session = SessionStore()
    scope: dict[str, object] = {"cookies": {}, "session": scope_session, "user": alice}
    with override_settings(
        AUTHENTICATION_BACKENDS=[
            MODEL_BACKEND,
            "django.contrib.auth.backends.RemoteUserBackend",
        ]
    ):
        with pytest.raises(ConfigurationError, match="pass backend="):
            await login(scope, alice)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]  # a bare dict stands for the scope
        alice.backend = MODEL_BACKEND  # what authenticate() sets
        await login(scope, alice)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]  # as above
    assert scope_session[SESSION_KEY] == str(alice.pk)
    assert scope["user"] is alice


async def test_get_user_needs_a_session() -> None:
    with pytest.raises(MiddlewareOrderError, match="SessionMiddleware"):
        await get_user({"cookies": {}})  # type: ignore[typeddict-item]  # pyright: ignore[reportArgumentType]  # the run-time twin


async def test_auth_middleware_without_sessions_is_refused_at_run_time() -> None:
    wrong = AuthMiddleware(WhoAmI.as_asgi())
    comm = WebsocketCommunicator(wrong, "/ws/")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]  # the run-time twin of the type error
    await comm.send_input({"type": "websocket.connect"})
    with pytest.raises(MiddlewareOrderError, match="AuthMiddleware found no 'session'"):
        await comm.wait()


async def test_auth_middleware_outside_the_session_stack_is_refused() -> None:
    wrong = AuthMiddleware(SessionMiddlewareStack(WhoAmI.as_asgi()))  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType, reportCallIssue, reportUnknownArgumentType]  # the run-time twin
    comm = WebsocketCommunicator(wrong, "/ws/")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]  # as above
    await comm.send_input({"type": "websocket.connect"})
    with pytest.raises(MiddlewareOrderError, match="found no 'session'"):
        await comm.wait()


async def test_anonymous_connections_need_no_database() -> None:
    @sync_to_async
    def count_queries() -> int:
        from django.db import connection

        return len(connection.queries)

    with override_settings(DEBUG=True):
        before = await count_queries()
        assert await whoami() == "anonymous"
        assert await count_queries() == before
