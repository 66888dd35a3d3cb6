"""Consumers: ASGI 3 applications that dispatch events to handler methods.

A consumer class is not itself routed: ``Consumer.as_asgi(**initkwargs)``
returns the ASGI app, which builds one instance per connection. Events from
the server and messages from the channel layer are dispatched by ``type``
(``"websocket.receive"`` -> ``websocket_receive``) to one handler at a time.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import typing
from collections.abc import Awaitable, Callable, Mapping
from typing import ClassVar, Final, Generic, cast, final

from asgiref.sync import async_to_sync, sync_to_async
from typing_extensions import ParamSpec, TypeVar, Unpack, get_origin

from ._dispatch import HandlerTable, get_handler_name
from ._import_order import install as install_import_order_message
from ._layer_events import LayerEventChecker
from ._layer_pump import LayerPump
from .db import aclose_old_connections, call_closing_old_connections, connection_watch
from .exceptions import ConsumerDefinitionError, SendFailed, StopConsumer
from .layers import DEFAULT_CHANNEL_LAYER, get_channel_layer
from .types import ASGISendEvent, BaseScope, ChannelLayer, Receive, Send

# asgi.py imports routing, consumers import this: both come before the models
# whose too-early import the message explains.
install_import_order_message()

__all__ = [
    "AsyncConsumer",
    "BaseConsumer",
    "ConsumerApp",
    "SyncConsumer",
    "get_handler_name",
]

ScopeT = TypeVar("ScopeT", bound=BaseScope, default=BaseScope)
ScopeT_contra = TypeVar(
    "ScopeT_contra", bound=BaseScope, default=BaseScope, contravariant=True
)
_S = TypeVar("_S", bound=BaseScope)
_P = ParamSpec("_P")

logger: Final = logging.getLogger("typedchannels.consumer")
_UNPACK: Final = frozenset({Unpack, getattr(typing, "Unpack", Unpack)})


def send_failed(event: ASGISendEvent, error: Exception) -> SendFailed:
    """The :class:`SendFailed` for a server that refused ``event``."""
    return SendFailed(f"the server refused {event['type']!r}: {error!r}")


def _name(cls: object) -> str:
    return getattr(cls, "__qualname__", repr(cls))


def _check_consumer_class(cls: type) -> None:
    """Fail at class creation for the ASGI 2 patterns that break at run time."""
    if "__call__" in vars(cls):
        raise ConsumerDefinitionError(
            f"{cls.__qualname__} overrides __call__: consumers are ASGI 3 apps whose "
            "__call__(scope, receive, send) is provided; put per-connection setup "
            "in a handler (e.g. websocket_connect or connect) instead"
        )
    init = vars(cls).get("__init__")
    if init is None:
        return
    for parameter in list(inspect.signature(init).parameters.values())[1:]:
        positional = parameter.kind in (
            inspect.Parameter.POSITIONAL_ONLY,
            inspect.Parameter.POSITIONAL_OR_KEYWORD,
        )
        if positional and parameter.default is inspect.Parameter.empty:
            raise ConsumerDefinitionError(
                f"{cls.__qualname__}.__init__ takes a required positional parameter "
                f"{parameter.name!r}: ASGI 3 consumers get the scope in __call__ "
                "(read it as self.scope), and __init__ takes only keyword arguments, "
                f"given once in the route as {cls.__qualname__}.as_asgi(name=value)"
            )
        # A catch-all silently turns off the type check of as_asgi() keywords.
        if parameter.kind is inspect.Parameter.VAR_POSITIONAL or (
            parameter.kind is inspect.Parameter.VAR_KEYWORD
            and not _is_unpack(parameter.annotation)
        ):
            stars = "*" if parameter.kind is inspect.Parameter.VAR_POSITIONAL else "**"
            raise ConsumerDefinitionError(
                f"{cls.__qualname__}.__init__ takes {stars}{parameter.name}: as_asgi() "
                "passes keyword arguments only, and a catch-all hides a misspelled "
                "one from the type checker; list the keywords (def __init__(self, *, "
                "name: str) -> None), or type them **kwargs: Unpack[SomeTypedDict]"
            )


def _is_unpack(annotation: object) -> bool:
    """``Unpack[TD]``, evaluated or as a string (``from __future__ import annotations``)."""
    if isinstance(annotation, str):
        return annotation.startswith(
            ("Unpack[", "typing.Unpack[", "typing_extensions.Unpack[")
        )
    return get_origin(annotation) in _UNPACK


class ConsumerApp(Generic[ScopeT_contra]):
    """The ASGI app ``as_asgi()`` returns: one consumer instance per scope."""

    __slots__ = ("consumer_class", "consumer_initkwargs")

    consumer_class: Callable[..., BaseConsumer[ScopeT_contra]]
    consumer_initkwargs: dict[str, object]

    def __init__(
        self,
        consumer_class: Callable[..., BaseConsumer[ScopeT_contra]],
        consumer_initkwargs: Mapping[str, object],
    ) -> None:
        self.consumer_class = consumer_class
        self.consumer_initkwargs = dict(consumer_initkwargs)

    async def __call__(
        self, scope: ScopeT_contra, receive: Receive, send: Send
    ) -> None:
        consumer = self.consumer_class(**self.consumer_initkwargs)
        await consumer(scope, receive, send)

    def __repr__(self) -> str:
        name = getattr(self.consumer_class, "__qualname__", repr(self.consumer_class))
        return f"<{name}.as_asgi({self.consumer_initkwargs})>"


class BaseConsumer(Generic[ScopeT]):
    """What every consumer shares: lifecycle, dispatch, the channel layer.

    ``ScopeT`` is the scope the consumer reads (``self.scope``); routers check
    at type-check time that the consumer gets it. Subclasses add ``send``:
    :class:`AsyncConsumer` an async one, :class:`SyncConsumer` a blocking one.
    """

    #: Which ``CHANNEL_LAYERS`` alias to use; None for no layer.
    channel_layer_alias: ClassVar[str | None] = DEFAULT_CHANNEL_LAYER

    #: Run handlers in a worker thread (sync consumers).
    _handlers_in_thread: ClassVar[bool] = False
    _handler_table: ClassVar[HandlerTable]
    _layer_event_checker: ClassVar[LayerEventChecker]

    #: Check each channel-layer message against the event TypedDict its
    #: handler declares; one that does not fit is logged and dropped.
    validate_layer_events: ClassVar[bool] = True

    #: Seconds the channel-layer receive loop waits for a message before it
    #: ends (with a layer that can wake it up again, as the built-in ones can).
    layer_idle_seconds: ClassVar[float] = 10.0

    scope: ScopeT
    base_send: Send
    channel_layer: ChannelLayer | None
    #: This consumer's own channel on the layer (set only when there is a layer).
    channel_name: str

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        _check_consumer_class(cls)
        cls._handler_table = HandlerTable(cls)
        cls._layer_event_checker = LayerEventChecker(cls, cls._handler_table)

    # cls is typed as its constructor so that initkwargs are checked against
    # the subclass's __init__ (ParamSpec); typeshed's classmethod wants type[T].
    @classmethod  # pyright: ignore[reportArgumentType]
    def as_asgi(
        cls: Callable[_P, BaseConsumer[_S]], *args: _P.args, **initkwargs: _P.kwargs
    ) -> ConsumerApp[_S]:
        """The ASGI app for this consumer: each connection gets ``cls(**initkwargs)``.

        Raises:
            TypeError: positional arguments, or keywords ``__init__`` does not take.
        """
        if args:
            raise TypeError(
                f"{_name(cls)}.as_asgi() takes keyword arguments only "
                "(they are passed to __init__ for every connection)"
            )
        try:
            inspect.signature(cls).bind(**initkwargs)
        except TypeError as exc:
            raise TypeError(f"{_name(cls)}.as_asgi(): {exc}") from None
        return ConsumerApp(cls, initkwargs)

    @final
    async def __call__(self, scope: ScopeT, receive: Receive, send: Send) -> None:
        """Run this instance as the ASGI app of one connection."""
        self.scope = scope
        self.base_send = send
        alias = self.channel_layer_alias
        layer = None if alias is None else get_channel_layer(alias)
        self.channel_layer = layer
        try:
            if layer is None:
                while True:
                    await self.dispatch(await receive())
            else:
                self.channel_name = await layer.new_channel()
                await self._run_with_layer(receive, layer)
        except StopConsumer:
            # Connections the last handlers opened must not idle until some
            # other consumer's next message.
            if connection_watch.due():
                await aclose_old_connections()

    async def dispatch(self, message: Mapping[str, object]) -> None:
        """Call the handler for ``message["type"]``.

        Raises:
            NoHandlerForMessage: no handler method for the type.
            InvalidMessageType: the message has no usable type.
        """
        handler = self._handler_table.lookup(message)
        try:
            if self._handlers_in_thread:
                await sync_to_async(
                    call_closing_old_connections, thread_sensitive=True
                )(handler, self, message)
            else:
                # Channels hops to a thread before every handler to close stale
                # connections; the watch makes that hop happen only when needed.
                if connection_watch.due():
                    await aclose_old_connections()
                await cast("Awaitable[None]", handler(self, message))
        except SendFailed as exc:
            # The client is usually gone and its disconnect is queued: going on
            # lets the disconnect handler clean up (leave groups, say goodbye).
            logger.warning(
                "%s: %s; the rest of the %r handler was skipped",
                type(self).__qualname__,
                exc,
                message.get("type"),
            )

    async def checked_send(self, event: ASGISendEvent) -> None:
        """``base_send``, raising :class:`SendFailed` for whatever the server raises.

        The consumers' own send methods do the same inline (a wrapper would
        cost a coroutine per event).
        """
        try:
            await self.base_send(event)
        except Exception as exc:
            raise send_failed(event, exc) from exc

    async def _run_with_layer(self, receive: Receive, layer: ChannelLayer) -> None:
        # Client events are handled here, layer messages by the pump's task;
        # its lock keeps it to one handler at a time (see _layer_pump).
        pump = LayerPump(
            layer,
            self.channel_name,
            self.dispatch,
            self._layer_event_checker.check if self.validate_layer_events else None,
            self.layer_idle_seconds,
        )
        pump.start()
        lock = pump.lock
        try:
            while True:
                message = await receive()
                async with lock:
                    await self.dispatch(message)
                del message  # not kept while waiting for the next one
        except asyncio.CancelledError:
            pump.raise_failure()
            raise
        finally:
            await pump.stop()


class AsyncConsumer(BaseConsumer[ScopeT]):
    """A consumer whose handlers are coroutines."""

    async def send(self, message: ASGISendEvent) -> None:
        """Send an ASGI event to the client's server."""
        try:
            await self.base_send(message)
        except Exception as exc:
            raise send_failed(message, exc) from exc


class SyncConsumer(BaseConsumer[ScopeT]):
    """A consumer whose handlers are plain functions, run in a worker thread.

    Handlers run one at a time in asgiref's thread-sensitive executor, so they
    may block and use the Django ORM directly.
    """

    _handlers_in_thread = True

    def send(self, message: ASGISendEvent) -> None:
        """Send an ASGI event to the client's server (blocks until sent)."""
        async_to_sync(self.checked_send)(message)
