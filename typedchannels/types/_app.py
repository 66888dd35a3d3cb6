"""The ASGI 3 application interface, generic over the scope it needs."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol, Union

from typing_extensions import TypeAlias, TypeVar

from ._http import HTTPIncomingEvent, HTTPOutgoingEvent
from ._lifespan import LifespanIncomingEvent, LifespanOutgoingEvent
from ._websocket import WebSocketIncomingEvent, WebSocketOutgoingEvent

#: Any event a server hands to an application's ``receive()``.
ASGIReceiveEvent: TypeAlias = Union[
    HTTPIncomingEvent, WebSocketIncomingEvent, LifespanIncomingEvent
]
#: Any event an application may pass to ``send()``.
ASGISendEvent: TypeAlias = Union[
    HTTPOutgoingEvent, WebSocketOutgoingEvent, LifespanOutgoingEvent
]

#: The ``receive`` awaitable callable of ASGI 3.
Receive: TypeAlias = Callable[[], Awaitable[ASGIReceiveEvent]]
#: The ``send`` awaitable callable of ASGI 3.
Send: TypeAlias = Callable[[ASGISendEvent], Awaitable[None]]

ScopeT_contra = TypeVar("ScopeT_contra", contravariant=True)
OuterScopeT_contra = TypeVar("OuterScopeT_contra", contravariant=True)
InnerScopeT_co = TypeVar("InnerScopeT_co", covariant=True)


class ASGIApp(Protocol[ScopeT_contra]):
    """An ASGI 3 application that needs (at least) a scope of type ``ScopeT_contra``.

    Contravariant: an app that needs fewer scope keys fits wherever one that
    needs more does. Parameters are positional-only, so any names match;
    implementations should still take ``scope``, ``receive`` and ``send`` by
    those names too, since daphne passes them as keywords. A
    consumer class is not an app (calling it makes an instance, not an
    awaitable): route ``Consumer.as_asgi()``.
    """

    def __call__(
        self, scope: ScopeT_contra, receive: Receive, send: Send, /
    ) -> Awaitable[None]: ...


class Middleware(Protocol[OuterScopeT_contra, InnerScopeT_co]):
    """Wraps an app that needs an ``Inner`` scope into one that needs an ``Outer`` one.

    A ``BaseMiddleware`` subclass (the class itself) and the ``*Stack``
    functions fit this. Outer is contravariant: a middleware that accepts a
    smaller scope fits where one accepting a larger one is expected. Inner is
    covariant: one that provides more keys fits where fewer are expected.
    """

    def __call__(
        self, inner: ASGIApp[InnerScopeT_co], /
    ) -> ASGIApp[OuterScopeT_contra]: ...
