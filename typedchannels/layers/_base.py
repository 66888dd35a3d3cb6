"""What every channel layer backend shares: naming rules, capacity, expiry.

Names
-----
A channel name matches ``[A-Za-z0-9._-]+`` optionally followed by ``!`` and
``[A-Za-z0-9._-]*`` (a process-specific channel: the part up to ``!`` says
which process receives it). A group name matches ``[A-Za-z0-9._-]+``. Both are
ASCII only and shorter than :data:`MAX_NAME_LENGTH` (100) characters. Channels'
own regexes use ``\\d``/``\\w`` and ``$``, so they also accept Unicode digits and
letters and a trailing newline by accident; typedchannels rejects those.
"""

from __future__ import annotations

import fnmatch
import re
import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Final, Union, cast

from typing_extensions import TypeAlias

from ..exceptions import InvalidChannelLayerError, InvalidChannelName

#: Names must be shorter than this (so at most 99 characters), as in Channels.
MAX_NAME_LENGTH: Final = 100

#: The exact rule for channel names (ASCII only; full match, no newline).
CHANNEL_NAME_PATTERN: Final = re.compile(
    r"[A-Za-z0-9._\-]+(![A-Za-z0-9._\-]*)?", re.ASCII
)
#: The exact rule for group names (ASCII only; full match, no newline).
GROUP_NAME_PATTERN: Final = re.compile(r"[A-Za-z0-9._\-]+", re.ASCII)

#: A ``channel_capacity`` key: a glob string (``"http.request*"``) or a compiled regex.
CapacityPattern: TypeAlias = Union[str, "re.Pattern[str]"]

#: The ``channel_capacity`` option: pattern -> capacity, first match wins.
ChannelCapacity: TypeAlias = Union[
    Mapping[CapacityPattern, int], Iterable[tuple[CapacityPattern, int]]
]


def _check_name(kind: str, name: object, pattern: re.Pattern[str]) -> str:
    if not isinstance(name, str):
        raise InvalidChannelName(
            f"{kind} name must be a str, not {type(name).__name__}"
        )
    if len(name) >= MAX_NAME_LENGTH:
        raise InvalidChannelName(
            f"{kind} name {name[:20]!r}... is {len(name)} characters long; "
            f"names must be shorter than {MAX_NAME_LENGTH}"
        )
    if pattern.fullmatch(name) is None:
        raise InvalidChannelName(
            f"{kind} name {name!r} is invalid: use ASCII letters, digits, '-', '_' "
            "and '.'"
            + (" (and one '!' in a channel name)" if kind == "channel" else "")
        )
    return name


def require_valid_channel_name(name: object) -> str:
    """Return ``name`` if it is a valid channel name.

    Raises:
        InvalidChannelName: not a str, too long, or breaks the naming rule.
    """
    return _check_name("channel", name, CHANNEL_NAME_PATTERN)


def require_valid_group_name(name: object) -> str:
    """Return ``name`` if it is a valid group name.

    Raises:
        InvalidChannelName: not a str, too long, or breaks the naming rule.
    """
    return _check_name("group", name, GROUP_NAME_PATTERN)


def non_local_name(channel: str) -> str:
    """The part of a process-specific channel name up to and including ``!``.

    That part names the process (and the Redis key) that receives the channel;
    other names are returned unchanged.
    """
    bang = channel.find("!")
    return channel if bang < 0 else channel[: bang + 1]


def require_message_dict(message: object) -> Mapping[str, object]:
    """Check that ``message`` is a mapping of str keys with a str ``type``.

    Raises:
        TypeError: not a mapping, a key that is not a str, no str ``type``,
            or a reserved key.
    """
    if not isinstance(message, Mapping):
        raise TypeError(f"message must be a mapping, not {type(message).__name__}")
    msg: Mapping[str, object] = message  # pyright: ignore[reportUnknownVariableType]
    if not isinstance(msg.get("type"), str):
        raise TypeError("message must have a str 'type' key")
    for key in msg:
        if not isinstance(key, str):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise TypeError(f"message keys must be str, not {type(key).__name__}")
    if "__asgi_channel__" in msg:
        raise TypeError("'__asgi_channel__' is reserved for the channel layer")
    return msg


def _compile_capacities(
    channel_capacity: ChannelCapacity | None,
) -> tuple[tuple[re.Pattern[str], int], ...]:
    if channel_capacity is None:
        return ()
    items: Iterable[tuple[object, object]] = (
        list(cast("Mapping[object, object]", channel_capacity).items())
        if isinstance(channel_capacity, Mapping)
        else channel_capacity
    )
    compiled: list[tuple[re.Pattern[str], int]] = []
    for pattern, capacity in items:
        if isinstance(pattern, str):
            regex = re.compile(fnmatch.translate(pattern))
        elif isinstance(pattern, re.Pattern):
            regex = cast("re.Pattern[str]", pattern)
        else:
            raise InvalidChannelLayerError(
                f"channel_capacity keys must be glob strings or compiled regexes, "
                f"not {type(pattern).__name__}"
            )
        compiled.append((regex, _positive(capacity, "channel_capacity value")))
    return tuple(compiled)


def _seconds(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise InvalidChannelLayerError(
            f"{what} must be a positive number of seconds, not {value!r}"
        )
    return value


def _positive(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise InvalidChannelLayerError(f"{what} must be a positive int, not {value!r}")
    return value


class BaseChannelLayer:
    """Options and rules every backend shares (an implementation base, not the interface).

    Args:
        expiry: seconds a message waits unread before it is dropped.
        group_expiry: seconds a channel stays in a group without being re-added.
        capacity: messages a channel holds before ``send`` raises ``ChannelFull``.
        channel_capacity: per-channel capacities, as glob strings (matched
            against the whole name) or compiled regexes (``match``), first wins.

    Raises:
        InvalidChannelLayerError: an option has the wrong type or range.
    """

    extensions: Sequence[str] = ("groups", "flush")

    def __init__(
        self,
        expiry: float = 60,
        group_expiry: float = 86400,
        capacity: int = 100,
        channel_capacity: ChannelCapacity | None = None,
    ) -> None:
        self.expiry: float = _seconds(expiry, "expiry")
        self.group_expiry: float = _seconds(group_expiry, "group_expiry")
        self.capacity: int = _positive(capacity, "capacity")
        self.channel_capacity: tuple[tuple[re.Pattern[str], int], ...] = (
            _compile_capacities(channel_capacity)
        )
        self._capacity_cache: dict[str, int] = {}

    def get_capacity(self, channel: str) -> int:
        """The capacity of ``channel``: the first matching pattern's, or ``capacity``."""
        if not self.channel_capacity:
            return self.capacity  # the common case, on every delivery: no lookup
        cached = self._capacity_cache.get(channel)
        if cached is not None:
            return cached
        found = self.capacity
        for regex, capacity in self.channel_capacity:
            if regex.match(channel):
                found = capacity
                break
        if len(self._capacity_cache) < 10_000 and "!" not in channel:
            self._capacity_cache[channel] = found
        return found

    @staticmethod
    def now() -> float:
        """Wall-clock seconds (Redis scores use it, so processes agree)."""
        return time.time()
