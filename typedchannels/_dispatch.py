"""The ``type -> handler`` table of a consumer class, built once per class.

Channels looks a handler up with ``getattr`` on every message. Here each class
collects its handler methods when it is created and caches every ``type``
string it has resolved, so a message costs one dict lookup. Public methods
of user classes are handlers, as in Channels; methods that typedchannels'
own bases define (``send``, ``accept``, ``close``, ...) are not, unless they
are marked with :func:`handler` (``websocket_receive``, ...), so a channel
layer message of type ``"close"`` cannot call ``close()``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Final, TypeVar

from .exceptions import InvalidMessageType, NoHandlerForMessage

_F = TypeVar("_F", bound=Callable[..., object])

_MARK: Final = "_typedchannels_handler"
_FRAMEWORK_PACKAGE: Final = __name__.rpartition(".")[0] + "."

#: A handler method taken from the class, called as ``handler(instance, message)``.
Handler = Callable[[object, Mapping[str, object]], object]


def handler(method: _F) -> _F:
    """Mark a method of a typedchannels base class as a message handler."""
    setattr(method, _MARK, True)
    return method


def get_handler_name(message_type: object) -> str:
    """The method name for a message ``type``: dots become underscores.

    Raises:
        InvalidMessageType: the type is not a str, or names a private method.
    """
    if not isinstance(message_type, str):
        raise InvalidMessageType(
            f"message 'type' must be a str, not {type(message_type).__name__}"
        )
    name = message_type.replace(".", "_")
    if not name or name.startswith("_"):
        raise InvalidMessageType(
            f"message type {message_type!r} maps to a private name {name!r}; "
            "handler names cannot start with an underscore"
        )
    return name


class HandlerTable:
    """Resolves message types to the handler methods of one consumer class."""

    __slots__ = ("_by_name", "_by_type", "_owner")

    def __init__(self, cls: type) -> None:
        self._owner = cls.__qualname__
        self._by_name = _collect_handlers(cls)
        self._by_type: dict[object, Handler] = {}

    def lookup(self, message: Mapping[str, object]) -> Handler:
        """The handler for ``message["type"]``.

        Raises:
            InvalidMessageType: no usable ``type``.
            NoHandlerForMessage: the class has no handler for it.
        """
        message_type = message.get("type")
        try:
            return self._by_type[message_type]
        except (KeyError, TypeError):  # TypeError: an unhashable "type"
            return self._resolve(message_type)

    def _resolve(self, message_type: object) -> Handler:
        name = get_handler_name(message_type)
        found = self._by_name.get(name)
        if found is None:
            raise NoHandlerForMessage(
                f"{self._owner} has no handler for message type {message_type!r} "
                f"(define a method named {name!r})"
            )
        self._by_type[message_type] = found
        return found


def _collect_handlers(cls: type) -> dict[str, Handler]:
    reserved: set[str] = set()
    found: dict[str, Handler] = {}
    for klass in reversed(cls.__mro__):
        framework = klass.__module__.startswith(_FRAMEWORK_PACKAGE)
        for name, value in vars(klass).items():
            if name.startswith("_") or not inspect.isfunction(value):
                continue
            if framework and not getattr(value, _MARK, False):
                reserved.add(name)
                found.pop(name, None)
            elif name not in reserved:
                found[name] = value
    return found
