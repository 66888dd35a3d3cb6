"""Pieces shared by every ASGI scope and event."""

from collections.abc import Iterable

from typing_extensions import NotRequired, ReadOnly, TypeAlias, TypedDict

#: Header lists as the ASGI spec gives them: ``(name, value)`` byte pairs,
#: names lower-cased by the server.
Headers: TypeAlias = Iterable[tuple[bytes, bytes]]


class ASGIVersions(TypedDict):
    """The ``scope["asgi"]`` dict: ASGI version, and the protocol spec version."""

    version: str
    spec_version: NotRequired[str]


class BaseScope(TypedDict):
    """What every scope has: a ``type``.

    ``type`` is read-only so that every concrete scope, whose ``type`` is a
    ``Literal``, is assignable to it.
    """

    type: ReadOnly[str]


class BaseEvent(TypedDict):
    """What every event and channel-layer message has: a ``type``."""

    type: ReadOnly[str]
