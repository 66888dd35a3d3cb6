"""``InMemoryChannelLayer``: one process, no server, Channels' semantics, fast.

Each channel is a deque of ``(expires_at, payload)`` plus a deque of waiting
receivers (:class:`~typedchannels.layers._mailbox.Mailboxes`); groups are dicts of member -> join time, in join order. A delivery
is an append and at most one wake-up, so ``group_send`` to G members costs
O(G), not O(G²) as Channels' layer (which rescans every channel) does.

Messages are encoded once with msgpack on send (so the in-memory layer accepts
exactly the messages the Redis layer can carry) and receivers never share
mutable state: each decodes its own copy, except that a group message whose
values are all immutable (str, int, float, bool, bytes, None: the usual
event) is decoded once and each receiver gets a shallow copy of it, sharing
the strings. That saves a decode per member, and the memory of many equal
strings kept by many consumers.

Memory is bounded: a channel's entry is dropped as soon as it is empty and
nobody waits on it, and a sweep at most once per ``expiry`` seconds drops
expired messages of channels nobody reads any more (Channels issue #933) and
expired group members.
"""

from __future__ import annotations

import itertools
import logging
import secrets
import time
from collections.abc import Callable, Mapping
from typing import Final

import msgspec

from ..exceptions import ChannelFull
from ..types import LayerMessage
from ._base import (
    BaseChannelLayer,
    ChannelCapacity,
    require_message_dict,
    require_valid_channel_name,
    require_valid_group_name,
)
from ._mailbox import Mailboxes

__all__ = ["InMemoryChannelLayer"]

logger: Final = logging.getLogger("typedchannels.layers")

_encode: Final = msgspec.msgpack.Encoder().encode
_decode: Final = msgspec.msgpack.Decoder(dict[str, object]).decode
_IMMUTABLE: Final = frozenset({str, int, float, bool, bytes, type(None)})

#: What a mailbox holds: an encoded message, or a flat one to copy.
_Item = bytes | LayerMessage


def _queued_form(message: Mapping[str, object], payload: bytes) -> _Item:
    """What a mailbox keeps of a sent message: a copy sharing its values, or
    ``payload`` when a value is mutable.

    A flat message of strings and numbers round-trips through msgpack to an
    equal one, so receivers may share the sender's values (as Channels'
    layer does) instead of each holding freshly decoded strings: a chat
    member that keeps every sender's name keeps one string, not one per
    member, and a group send decodes nothing.
    """
    if all(type(value) in _IMMUTABLE for value in message.values()):
        return dict(message)
    return payload


def _unpack(item: _Item) -> LayerMessage:
    return _decode(item) if isinstance(item, bytes) else dict(item)


class InMemoryChannelLayer(BaseChannelLayer):
    """A channel layer inside one process (tests, development, single-process sites).

    Args:
        expiry: seconds an unread message is kept.
        group_expiry: seconds a group membership lasts unless renewed.
        capacity: default per-channel capacity (``send`` raises ``ChannelFull``).
        channel_capacity: per-channel capacities by glob or regex.

    Raises:
        InvalidChannelLayerError: an option is invalid.
    """

    def __init__(
        self,
        expiry: float = 60,
        group_expiry: float = 86400,
        capacity: int = 100,
        channel_capacity: ChannelCapacity | None = None,
    ) -> None:
        super().__init__(
            expiry=expiry,
            group_expiry=group_expiry,
            capacity=capacity,
            channel_capacity=channel_capacity,
        )
        self._channels: Mailboxes[_Item] = Mailboxes()
        self._groups: dict[str, dict[str, float]] = {}
        self._client = "inmemory" + secrets.token_hex(4)
        self._counter = itertools.count()
        self._sweep_every = min(float(self.expiry), float(self.group_expiry))
        self._next_sweep = time.monotonic() + self._sweep_every

    # --- channels ---------------------------------------------------------

    async def send(self, channel: str, message: Mapping[str, object]) -> None:
        """Queue ``message`` on ``channel``.

        Raises:
            ChannelFull: the channel holds ``capacity`` unexpired messages.
            InvalidChannelName: ``channel`` breaks the naming rules.
            TypeError: not a message dict, or a value msgpack cannot carry.
        """
        require_valid_channel_name(channel)
        payload = _encode(require_message_dict(message))
        now = time.monotonic()
        if now >= self._next_sweep:
            self._sweep(now)
        if not self._put(channel, _queued_form(message, payload), now):
            raise ChannelFull(f"channel {channel!r} is at capacity")

    def _put(self, channel: str, payload: _Item, now: float) -> bool:
        return self._channels.put(
            channel, payload, now + self.expiry, self.get_capacity(channel), now
        )

    async def receive(self, channel: str) -> LayerMessage:
        """Wait for the next unexpired message on ``channel``.

        Raises:
            InvalidChannelName: ``channel`` breaks the naming rules.
        """
        if channel not in self._channels:
            require_valid_channel_name(channel)
        return _unpack(await self._channels.get(channel))

    def wake_on_message(
        self, channel: str, callback: Callable[[], object] | None
    ) -> bool:
        """Arrange for ``callback`` to run once when a message arrives on
        ``channel`` while no ``receive()`` waits for one.

        Returns True, registering nothing, if a message is already waiting
        (the caller should receive it); False once ``callback`` is registered.
        ``None`` removes a registered callback (and returns False).
        """
        return self._channels.set_waker(channel, callback)

    async def new_channel(self, prefix: str = "specific.") -> str:
        """A new process-specific channel name, ``<prefix>inmemoryXXXX!<n>``."""
        base = prefix if prefix.endswith(".") else prefix + "."
        name = f"{base}{self._client}!{next(self._counter)}"
        return require_valid_channel_name(name)

    # --- groups -----------------------------------------------------------

    async def group_add(self, group: str, channel: str) -> None:
        """Add ``channel`` to ``group`` (or renew its membership).

        Raises:
            InvalidChannelName: a name breaks the naming rules.
        """
        require_valid_group_name(group)
        require_valid_channel_name(channel)
        now = time.monotonic()
        if now >= self._next_sweep:
            self._sweep(now)
        members = self._groups.get(group)
        if members is None:
            members = self._groups[group] = {}
        else:
            # Keep members in join order, so expiry trims from the front.
            members.pop(channel, None)
        members[channel] = now

    async def group_discard(self, group: str, channel: str) -> None:
        """Remove ``channel`` from ``group``; nothing happens if it is not there.

        Raises:
            InvalidChannelName: a name breaks the naming rules.
        """
        require_valid_group_name(group)
        require_valid_channel_name(channel)
        members = self._groups.get(group)
        if members is not None:
            members.pop(channel, None)
            if not members:
                del self._groups[group]

    async def group_send(self, group: str, message: Mapping[str, object]) -> None:
        """Send ``message`` to every member; members at capacity are skipped.

        Never raises ``ChannelFull``: skipped members are counted and logged.

        Raises:
            InvalidChannelName: ``group`` breaks the naming rules.
            TypeError: not a message dict, or a value msgpack cannot carry.
        """
        require_valid_group_name(group)
        payload = _encode(require_message_dict(message))
        now = time.monotonic()
        if now >= self._next_sweep:
            self._sweep(now)
        members = self._groups.get(group)
        if not members:
            return
        self._trim_group(group, members, now)
        item = _queued_form(message, payload)
        full = 0
        put = self._put
        for channel in list(members):
            if not put(channel, item, now):
                full += 1
        if full:
            logger.warning(
                "group_send to %r skipped %d member(s) at capacity", group, full
            )

    def _trim_group(self, group: str, members: dict[str, float], now: float) -> None:
        cutoff = now - self.group_expiry
        while members:
            first = next(iter(members))
            if members[first] >= cutoff:
                return
            del members[first]
        del self._groups[group]

    # --- housekeeping -----------------------------------------------------

    def _sweep(self, now: float) -> None:
        """Drop expired messages, empty unwatched channels and expired members."""
        self._next_sweep = now + self._sweep_every
        self._channels.sweep(now)
        for group, members in list(self._groups.items()):
            self._trim_group(group, members, now)

    async def flush(self) -> None:
        """Drop every message and group (receivers keep waiting)."""
        self._channels.clear()
        self._groups.clear()

    async def close(self) -> None:
        """Nothing to release: the layer holds no connections or tasks."""
