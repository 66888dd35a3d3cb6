"""The codec of the JSON WebSocket consumers (defined in ``websocket.py``).

``class Room(AsyncJsonWebsocketConsumer[ClientMsg, ServerMsg])`` makes
``receive_json`` take a ``ClientMsg`` and ``send_json`` accept a ``ServerMsg``
(typically tagged ``msgspec.Struct`` unions). The decoder for ``ClientMsg``
and the encoder are built once, when the class is created, from its generic
arguments. Without arguments both default to :data:`~typedchannels.types.JSONValue`,
so Channels' untyped JSON consumers port unchanged.

A frame the consumer cannot take (not JSON, not the declared type, binary,
empty, too large) never reaches ``receive_json`` and never raises out of the
consumer: it becomes an :class:`~typedchannels.exceptions.InvalidFrame` handed
to ``on_invalid_message``, whose default logs one WARNING line and closes the
socket with the error's close code.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Final, Generic, get_args, get_origin

import msgspec
from typing_extensions import TypeVar

from ..exceptions import (
    ConsumerDefinitionError,
    FrameTooLarge,
    InvalidFrame,
    InvalidJSON,
    MessageValidationError,
    UnexpectedBinaryFrame,
)
from ..types import JSONValue, WebSocketReceiveEvent

__all__ = ["DEFAULT_MAX_MESSAGE_SIZE", "In", "Out"]

#: The message type a JSON consumer receives (``receive_json``'s parameter).
In = TypeVar("In", default=JSONValue)
#: The message type a JSON consumer sends (``send_json``'s parameter).
Out = TypeVar("Out", default=JSONValue)

_FRAMEWORK: Final = "typedchannels."
#: Default ``max_message_size``: 1 MiB of UTF-8 text.
DEFAULT_MAX_MESSAGE_SIZE: Final = 1 << 20
#: RFC 6455 limits a close reason to 123 bytes of UTF-8.
_MAX_REASON_BYTES: Final = 123

#: The logger refused frames are reported on (one WARNING line each).
logger: Final = logging.getLogger("typedchannels.websocket")


# --- reading the generic arguments -----------------------------------------


def _overridden(cls: type, name: str) -> bool:
    """Whether a user class (not this module) defines ``name``."""
    for klass in cls.__mro__:
        if name in vars(klass):
            return not klass.__module__.startswith(_FRAMEWORK)
    return False


def _message_types(cls: type) -> tuple[object, object]:
    """``cls``'s ``In`` and ``Out``: its generic arguments, through any number
    of (generic) intermediate classes, or the TypeVar defaults."""
    args = _args_for(cls, JsonCodec)
    resolved = [_default_if_unbound(arg) for arg in args or (In, Out)]
    return resolved[0], resolved[1]


def _args_for(cls: type, target: type) -> tuple[object, ...] | None:
    """``target``'s type arguments as ``cls`` binds them."""
    if cls is target:
        return tuple(getattr(target, "__parameters__", ()))
    bases: tuple[object, ...] = vars(cls).get("__orig_bases__", cls.__bases__)
    for base in bases:
        origin = get_origin(base) or base
        if not (isinstance(origin, type) and issubclass(origin, target)):
            continue
        inner = _args_for(origin, target)
        if inner is None:
            continue
        params: tuple[object, ...] = getattr(origin, "__parameters__", ())
        mapping = dict(zip(params, get_args(base), strict=False))
        return tuple(_substitute(arg, mapping) for arg in inner)
    return None


def _substitute(arg: object, mapping: dict[object, object]) -> object:
    if isinstance(arg, TypeVar):
        return mapping.get(arg, arg)
    params: tuple[object, ...] = getattr(arg, "__parameters__", ())
    if params and any(p in mapping for p in params):
        # e.g. list[T] or A | T inside an intermediate generic class
        # From the type: a generic alias forwards attributes to its origin.
        # getattr: the checkers know arg only as an object.
        subscript: Callable[[object, object], object] = getattr(  # noqa: B009
            type(arg), "__getitem__"
        )
        return subscript(arg, tuple(mapping.get(p, p) for p in params))
    return arg


def _default_if_unbound(arg: object) -> object:
    if isinstance(arg, TypeVar):
        default: object = getattr(arg, "__default__", JSONValue)
        has_default = getattr(arg, "has_default", None)
        return default if callable(has_default) and has_default() else JSONValue
    if getattr(arg, "__parameters__", ()):
        # A generic class not yet specialised (e.g. Join | T): its concrete
        # subclasses get their own decoder; this one takes any JSON.
        return JSONValue
    return arg


def _decoder_for(cls: type, message_type: object) -> msgspec.json.Decoder[object]:
    """The decoder for ``message_type``; any JSON value for ``JSONValue``.

    Raises:
        ConsumerDefinitionError: msgspec cannot decode that type.
    """
    if message_type is JSONValue or message_type is object:
        return msgspec.json.Decoder()
    try:
        return msgspec.json.Decoder(message_type)
    except TypeError as exc:
        raise ConsumerDefinitionError(
            f"{cls.__qualname__}: msgspec cannot decode its message type "
            f"{message_type!r} ({exc}); use msgspec Structs (tagged unions with "
            "tag_field='type' for several message kinds) or JSON types"
        ) from exc


def _utf8_size(text: str) -> int:
    """``text``'s size in UTF-8 (``isascii()`` is a flag lookup, not a scan)."""
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


class JsonCodec(Generic[In, Out]):
    """What both JSON consumers share: the per-class codec and frame checks.

    It is the first base of the JSON consumers, so ``In``/``Out`` come first
    in their parameters (jedi maps a subclass's arguments by that order).
    """

    #: The largest text frame accepted, in bytes of UTF-8 (as servers count
    #: their own limits); larger ones are refused with 1009. None: no limit.
    max_message_size: int | None = DEFAULT_MAX_MESSAGE_SIZE

    # Set on every class by __init_subclass__. Not ClassVars: those cannot
    # mention In/Out. Plain callables, so they do not bind to the instance.
    _json_decode: Callable[[str], In]
    _json_encode: Callable[[Out], bytes]
    _custom_decode: bool
    _custom_encode: bool

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        in_type, _ = _message_types(cls)
        decoder = _decoder_for(cls, in_type)
        # Encoding needs no type (the checkers hold send_json to Out); one
        # encoder per class leaves room for per-class options.
        encoder = msgspec.json.Encoder()
        # setattr: the attributes are declared per instance (see above).
        setattr(cls, "_json_decode", decoder.decode)  # noqa: B010
        setattr(cls, "_json_encode", encoder.encode)  # noqa: B010
        setattr(cls, "_custom_decode", _overridden(cls, "decode_json"))  # noqa: B010
        setattr(cls, "_custom_encode", _overridden(cls, "encode_json"))  # noqa: B010

    def _frame_text(self, message: WebSocketReceiveEvent) -> str:
        """The frame's text, if it is a text frame this consumer may decode.

        Raises:
            InvalidFrame: binary, empty, or too large.
        """
        text = message.get("text")
        if text is None:
            if message.get("bytes") is not None:
                raise UnexpectedBinaryFrame(
                    "binary frame refused: this consumer takes JSON text frames"
                )
            raise InvalidJSON("frame with neither text nor bytes")
        if not text:
            raise InvalidJSON("empty text frame")
        limit = self.max_message_size
        # At most 4 bytes a character: shorter texts need no counting.
        if limit is not None and len(text) > limit >> 2:
            size = _utf8_size(text)
            if size > limit:
                raise FrameTooLarge(
                    f"text frame of {size} bytes is above max_message_size={limit}"
                )
        return text

    def _decode_frame(self, message: WebSocketReceiveEvent) -> In:
        """The frame decoded with the class's decoder.

        Raises:
            InvalidFrame: the frame is refused, or does not decode.
        """
        text = self._frame_text(message)
        try:
            return self._json_decode(text)
        except msgspec.DecodeError as exc:
            raise invalid_frame(exc) from exc


def log_refused(
    consumer: object, client: object, error: InvalidFrame, code: int
) -> None:
    """The one WARNING line for a refused frame (msgspec's path included)."""
    where = "a client"
    if isinstance(client, tuple) and len(client) == 2:  # pyright: ignore[reportUnknownArgumentType]
        where = f"{client[0]}:{client[1]}"
    logger.warning(
        "%s refused a frame from %s and closed with %d: %s: %s",
        type(consumer).__qualname__,
        where,
        code,
        type(error).__name__,
        error,
    )


def invalid_frame(exc: Exception) -> InvalidFrame:
    """The :class:`InvalidFrame` for a decoding failure (msgspec's or ``json``'s)."""
    if isinstance(exc, InvalidFrame):
        return exc
    if isinstance(exc, msgspec.ValidationError):
        return MessageValidationError(str(exc))
    return InvalidJSON(f"invalid JSON: {exc}")


def close_reason(error: InvalidFrame) -> str:
    """The error's message cut to what a close frame can carry."""
    reason = str(error).encode()[:_MAX_REASON_BYTES]
    return reason.decode(errors="ignore")
