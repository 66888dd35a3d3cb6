"""Run-time checks of channel-layer messages against their handler's event type.

A handler declares the event it takes, ``async def chat_message(self, event:
ChatMessage)``, with ``ChatMessage`` a TypedDict. The type checker holds the
senders in this codebase to it; a sender in another process (or another
language) is held to it here: a message that does not fit is logged and
dropped instead of failing inside the handler, and it never ends the
consumer. Validators are built once per class and message type, with msgspec.
"""

from __future__ import annotations

import inspect
import logging
import typing
from collections.abc import Callable, Mapping
from typing import Final

import msgspec
from typing_extensions import is_typeddict

from ._dispatch import Handler, HandlerTable
from ._flat_events import flat_fit_test

logger: Final = logging.getLogger("typedchannels.layers")

#: Returns the message as the handler's type (lists become tuples where the
#: TypedDict says so), or raises ``msgspec.ValidationError``.
Validator = Callable[[Mapping[str, object]], Mapping[str, object]]


class LayerEventChecker:
    """Validates layer messages for one consumer class, by message type."""

    __slots__ = ("_handlers", "_owner", "_validators")

    def __init__(self, cls: type, handlers: HandlerTable) -> None:
        self._owner = cls.__qualname__
        self._handlers = handlers
        self._validators: dict[object, Validator | None] = {}

    def check(self, message: Mapping[str, object]) -> Mapping[str, object] | None:
        """The message as its handler's event type, or None if it does not fit.

        A message whose handler declares no TypedDict passes unchanged.

        Raises:
            NoHandlerForMessage, InvalidMessageType: as dispatch does.
        """
        message_type = message.get("type")
        try:
            validator = self._validators[message_type]
        except (KeyError, TypeError):
            validator = self._build(message)
        if validator is None:
            return message
        try:
            return validator(message)
        except msgspec.ValidationError as exc:
            logger.warning(
                "%s dropped a channel layer message of type %r that does not fit "
                "its handler's event type: %s",
                self._owner,
                message_type,
                exc,
            )
            return None

    def _build(self, message: Mapping[str, object]) -> Validator | None:
        handler = self._handlers.lookup(message)  # raises for unknown types
        validator = _validator_for(handler)
        self._validators[message.get("type")] = validator
        return validator


def _validator_for(handler: Handler) -> Validator | None:
    event_type = _event_annotation(handler)
    if event_type is None or not is_typeddict(event_type):
        return None
    try:
        msgspec.inspect.type_info(event_type)
    except (TypeError, ValueError):  # a TypedDict msgspec cannot validate
        return None

    fits = flat_fit_test(event_type)

    def validate(message: Mapping[str, object]) -> Mapping[str, object]:
        if fits is not None and fits(message):
            return message  # what msgspec would return, at a fifth of the cost
        converted: Mapping[str, object] = msgspec.convert(message, type=event_type)
        return converted

    return validate


def _event_annotation(handler: Handler) -> object:
    """The annotation of the handler's event parameter, if it can be resolved."""
    try:
        hints = typing.get_type_hints(handler)
    except Exception:  # names only imported under TYPE_CHECKING, and such
        return None
    parameters = list(inspect.signature(handler).parameters)
    return hints.get(parameters[1]) if len(parameters) > 1 else None
