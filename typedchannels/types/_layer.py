"""The channel layer interface every backend implements."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Protocol, runtime_checkable

from typing_extensions import TypeAlias

#: A message as a channel layer receives it: a dict with a ``type`` str key and
#: values the layer can serialise (msgpack types).
LayerMessage: TypeAlias = dict[str, object]


class ChannelLayer(Protocol):
    """Send and receive messages on named channels, and fan out to groups.

    ``send``/``group_send`` take any mapping, so a dict literal and a typed
    event (a TypedDict with a ``Literal`` ``type``) both fit.
    """

    @property
    def extensions(self) -> Sequence[str]:
        """Optional features: ``"groups"``, ``"flush"``."""
        ...

    async def send(self, channel: str, message: Mapping[str, object]) -> None:
        """Put ``message`` on ``channel``. Raises ``ChannelFull`` at capacity."""
        ...

    async def receive(self, channel: str) -> LayerMessage:
        """Wait for the next message on ``channel``."""
        ...

    async def new_channel(self, prefix: str = "specific.") -> str:
        """Return a new channel name unique to this process, to receive on."""
        ...

    async def group_add(self, group: str, channel: str) -> None:
        """Add ``channel`` to ``group``."""
        ...

    async def group_discard(self, group: str, channel: str) -> None:
        """Remove ``channel`` from ``group`` (no error if absent)."""
        ...

    async def group_send(self, group: str, message: Mapping[str, object]) -> None:
        """Send ``message`` to every channel in ``group``; full channels are skipped."""
        ...

    async def flush(self) -> None:
        """Drop every channel and group (for tests)."""
        ...

    async def close(self) -> None:
        """Release connections and background tasks."""
        ...


@runtime_checkable
class WakingChannelLayer(ChannelLayer, Protocol):
    """A layer that can say when a channel has a message (optional extension).

    Consumers then run their receive loop only while messages arrive, so an
    idle connection holds no task.
    """

    def wake_on_message(
        self, channel: str, callback: Callable[[], object] | None
    ) -> bool:
        """Arrange for ``callback`` to run once when a message arrives on
        ``channel`` while no ``receive()`` waits for one.

        Returns True, registering nothing, if a message is already waiting
        (the caller should receive it); False once ``callback`` is registered.
        ``None`` removes a registered callback (and returns False).
        """
        ...
