"""BaseMiddleware: a scope transformer that never changes the outer scope."""

from __future__ import annotations

import pytest

from tests.support.frames import mappings_held_by_tasks
from typedchannels.generic.websocket import AsyncWebsocketConsumer
from typedchannels.middleware import BaseMiddleware
from typedchannels.routing import ScopedURLRouter, path
from typedchannels.sessions import SessionMiddlewareStack
from typedchannels.testing import WebsocketCommunicator
from typedchannels.types import BaseScope, RoutedWebSocketScope, WebSocketScope


class TenantScope(WebSocketScope):
    tenant: str


class RoutedTenantScope(TenantScope, RoutedWebSocketScope):
    pass


class TenantMiddleware(BaseMiddleware[WebSocketScope, TenantScope]):
    async def build_scope(self, scope: WebSocketScope) -> TenantScope:
        host = dict(scope["headers"]).get(b"host", b"default").decode()
        return {**scope, "tenant": host.split(".")[0]}


class ShowTenant(AsyncWebsocketConsumer[RoutedTenantScope]):
    async def connect(self) -> None:
        await self.accept()
        await self.send(text_data=self.scope["tenant"])


async def test_middleware_adds_keys_for_the_inner_app() -> None:
    inner = ScopedURLRouter[TenantScope]([path("ws/", ShowTenant.as_asgi())])
    app = TenantMiddleware(inner)
    comm = WebsocketCommunicator(app, "/ws/", headers=[(b"host", b"acme.example.com")])
    await comm.connect()
    assert await comm.receive_from() == "acme"
    assert "tenant" not in comm.scope
    await comm.disconnect()


async def test_build_scope_is_required() -> None:
    class Unfinished(BaseMiddleware[BaseScope, BaseScope]):
        pass

    app = Unfinished(ShowTenant.as_asgi())  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]  # the consumer needs a tenant scope
    comm = WebsocketCommunicator(app, "/")
    await comm.send_input({"type": "websocket.connect"})
    with pytest.raises(NotImplementedError, match="Unfinished must define build_scope"):
        await comm.wait()


async def test_a_connection_keeps_only_its_first_and_last_scope() -> None:
    # Every middleware copies the scope; the copies in between must not stay
    # alive in the middleware frames for as long as the connection lasts.
    reached: list[BaseScope] = []

    class Hold(AsyncWebsocketConsumer[RoutedTenantScope]):
        async def connect(self) -> None:
            reached.append(self.scope)
            await self.accept()

    app = SessionMiddlewareStack(
        TenantMiddleware(ScopedURLRouter[TenantScope]([path("ws/", Hold.as_asgi())]))
    )
    comm = WebsocketCommunicator(app, "/ws/")
    await comm.connect()
    scopes = {id(value) for value in mappings_held_by_tasks() if "path" in value}
    assert reached
    assert scopes <= {id(comm.scope), id(reached[0])}
    assert id(reached[0]) in scopes  # the walk does see the frames
    await comm.disconnect()
