"""Statically checked sends: name the receiving handler, and the payload is checked against it.

``await group_send_to(layer, "room", ChatConsumer.chat_message, {"type":
"chat.message", "text": "hi"})`` makes a misspelled handler an attribute error
and a payload that does not fit the handler's event type a type error, in
mypy and pyright. At run time the message ``type`` must map to the handler's
name, so the string and the handler cannot disagree either.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from typing_extensions import Concatenate, ParamSpec

from .._dispatch import get_handler_name
from ..exceptions import InvalidMessageType
from ..types import ChannelLayer

_P = ParamSpec("_P")

# ``Any`` is the consumer instance (``self``) of the unbound handler: any
# consumer class's handler fits, and nothing is read from it.
Handler = Callable[Concatenate[Any, _P], Awaitable[None]]


def _message_for(
    handler: Callable[..., object],
    args: tuple[object, ...],
    kwargs: Mapping[str, object],
) -> Mapping[str, object]:
    values = [*args, *kwargs.values()]
    if len(values) != 1 or not isinstance(values[0], Mapping):
        raise TypeError("pass exactly one event (a dict) for the handler")
    message: Mapping[str, object] = values[0]  # pyright: ignore[reportUnknownVariableType]
    name = getattr(handler, "__name__", "")
    if get_handler_name(message.get("type")) != name:
        raise InvalidMessageType(
            f"message type {message.get('type')!r} is not handled by {name!r}"
        )
    return message


async def group_send_to(
    layer: ChannelLayer,
    group: str,
    handler: Handler[_P],
    /,
    *args: _P.args,
    **kwargs: _P.kwargs,
) -> None:
    """``layer.group_send(group, event)``, with ``event`` checked against ``handler``'s parameter.

    Raises:
        InvalidMessageType: the event's ``type`` does not name ``handler``.
        TypeError: not exactly one event.
    """
    await layer.group_send(group, _message_for(handler, args, kwargs))


async def send_to(
    layer: ChannelLayer,
    channel: str,
    handler: Handler[_P],
    /,
    *args: _P.args,
    **kwargs: _P.kwargs,
) -> None:
    """``layer.send(channel, event)``, with ``event`` checked against ``handler``'s parameter.

    Raises:
        ChannelFull: the channel is at capacity.
        InvalidMessageType: the event's ``type`` does not name ``handler``.
        TypeError: not exactly one event.
    """
    await layer.send(channel, _message_for(handler, args, kwargs))
