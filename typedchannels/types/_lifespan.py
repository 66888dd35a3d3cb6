"""ASGI lifespan scope and events, transcribed from the ASGI spec (Lifespan 2.0)."""

from typing import Literal, Union

from typing_extensions import NotRequired, TypeAlias, TypedDict

from ._common import ASGIVersions


class LifespanScope(TypedDict):
    """The scope of the server's lifespan: one per process, startup to shutdown."""

    type: Literal["lifespan"]
    asgi: ASGIVersions
    state: NotRequired[dict[str, object]]


class LifespanStartupEvent(TypedDict):
    """``lifespan.startup`` (receive)."""

    type: Literal["lifespan.startup"]


class LifespanShutdownEvent(TypedDict):
    """``lifespan.shutdown`` (receive)."""

    type: Literal["lifespan.shutdown"]


class LifespanStartupCompleteEvent(TypedDict):
    """``lifespan.startup.complete`` (send)."""

    type: Literal["lifespan.startup.complete"]


class LifespanStartupFailedEvent(TypedDict):
    """``lifespan.startup.failed`` (send)."""

    type: Literal["lifespan.startup.failed"]
    message: NotRequired[str]


class LifespanShutdownCompleteEvent(TypedDict):
    """``lifespan.shutdown.complete`` (send)."""

    type: Literal["lifespan.shutdown.complete"]


class LifespanShutdownFailedEvent(TypedDict):
    """``lifespan.shutdown.failed`` (send)."""

    type: Literal["lifespan.shutdown.failed"]
    message: NotRequired[str]


#: Events a lifespan application receives.
LifespanIncomingEvent: TypeAlias = Union[LifespanStartupEvent, LifespanShutdownEvent]
#: Events a lifespan application sends.
LifespanOutgoingEvent: TypeAlias = Union[
    LifespanStartupCompleteEvent,
    LifespanStartupFailedEvent,
    LifespanShutdownCompleteEvent,
    LifespanShutdownFailedEvent,
]
