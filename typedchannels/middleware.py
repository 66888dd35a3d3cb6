"""Middleware: an ASGI app that wraps another and changes its scope.

Typed as a scope transformer: ``BaseMiddleware[Outer, Inner]`` takes an app
that needs an ``Inner`` scope and is itself an app that needs only an
``Outer`` one. A middleware that adds ``user`` is
``BaseMiddleware[WebSocketScope, AuthWebSocketScope]``, so a consumer that
reads ``self.scope["user"]`` type-checks behind it and fails to type-check
without it.
"""

from __future__ import annotations

from typing import Generic

from typing_extensions import TypeVar

from .types import ASGIApp, BaseScope, Receive, Send

__all__ = ["BaseMiddleware"]

OuterScopeT = TypeVar("OuterScopeT", bound=BaseScope)
InnerScopeT = TypeVar("InnerScopeT", bound=BaseScope)


class BaseMiddleware(Generic[OuterScopeT, InnerScopeT]):
    """Builds the inner app's scope from the outer one, then calls the inner app.

    Subclasses implement :meth:`build_scope`, returning a new dict: a scope
    belongs to one connection, and the outer one must stay as it was.
    """

    def __init__(self, inner: ASGIApp[InnerScopeT]) -> None:
        self.inner = inner

    async def __call__(self, scope: OuterScopeT, receive: Receive, send: Send) -> None:
        running = self.inner(await self.build_scope(scope), receive, send)
        # This frame lives as long as the connection: keep no outer scope.
        del scope
        await running

    async def build_scope(self, scope: OuterScopeT) -> InnerScopeT:
        """The scope the inner app gets: a copy of ``scope`` with keys added."""
        raise NotImplementedError(
            f"{type(self).__qualname__} must define build_scope()"
        )
