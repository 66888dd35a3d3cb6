"""``RedisChannelLayer``: channels_redis 4.x's storage design on ``redis.asyncio``.

Wire format (shared with channels_redis 4.x, so both can run on one Redis):

- a channel is a sorted set ``<prefix><name>`` of messages scored by send
  time; a process-specific channel ``a.b!c`` is stored under ``<prefix>a.b!``
  and its messages carry ``__asgi_channel__`` (a str, or from ``group_send``
  a list of the process's member channels);
- a message is ``random_prefix_length`` random bytes, then msgpack (Fernet
  token of the msgpack when ``symmetric_encryption_keys`` is set);
- a receiver parks each popped message in ``<key>$inflight`` and puts parked
  messages back before popping again, so a message survives a receiver that
  dies between the pop and the hand-over;
- a group is a sorted set ``<prefix>:group:<name>`` of channel names scored by
  join time;
- a key lives on shard ``crc32(name) & 0xFFF`` scaled to the number of hosts,
  where ``name`` is the channel's key name (the part up to and including ``!``
  for process-specific channels) or the group name. Unlike channels_redis,
  ``send`` and ``receive`` hash the same name, so no message is lost to the
  wrong shard (channels_redis issues #94/#221).

Every process-specific channel of one layer instance is served by one reader
task that pops in batches and hands messages to in-process mailboxes.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import hashlib
import itertools
import logging
import math
import random
import time
import uuid
import weakref
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import Final, Protocol, TypeVar, cast

import msgspec
import redis.asyncio
import redis.exceptions

from ...exceptions import ChannelFull, ChannelLayerUnavailable, InvalidChannelLayerError
from ...types import LayerMessage
from .._base import (
    BaseChannelLayer,
    ChannelCapacity,
    non_local_name,
    require_message_dict,
    require_valid_channel_name,
    require_valid_group_name,
)
from .._mailbox import Mailboxes
from ._hosts import HostFactory

__all__ = ["RedisChannelLayer"]

logger: Final = logging.getLogger("typedchannels.layers.redis")

_T = TypeVar("_T")

#: Errors that mean "Redis cannot be reached right now"; everything else is a bug.
_OUTAGE: Final = (
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    OSError,
    asyncio.TimeoutError,
)

_encode: Final = msgspec.msgpack.Encoder().encode
_decode: Final = msgspec.msgpack.Decoder(dict[str, object]).decode

# KEYS[1] channel key. ARGV: payload, capacity, score, expiry, cutoff.
# Returns 1 when the channel was full (nothing added), else 0.
_SEND_LUA: Final = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], 0, ARGV[5])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  return 1
end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[4])
return 0
"""

# KEYS: n channel keys. ARGV: n payloads, n capacities, score, expiry, cutoff.
# Returns the 1-based indexes of the keys that were full.
_GROUP_SEND_LUA: Final = """
local n = #KEYS
local score = ARGV[2 * n + 1]
local expiry = ARGV[2 * n + 2]
local cutoff = ARGV[2 * n + 3]
local full = {}
for i = 1, n do
  redis.call('ZREMRANGEBYSCORE', KEYS[i], 0, cutoff)
  if redis.call('ZCARD', KEYS[i]) < tonumber(ARGV[n + i]) then
    redis.call('ZADD', KEYS[i], score, ARGV[i])
    redis.call('EXPIRE', KEYS[i], expiry)
  else
    full[#full + 1] = i
  end
end
return full
"""

# KEYS[1] channel key, KEYS[2] its $inflight key. ARGV[1] batch size.
# Pops up to ARGV[1] messages and parks them in KEYS[2] (for ARGV[2] seconds,
# so a crashed reader's leftovers expire). Returns a flat [member, score, ...].
_POP_AND_PARK: Final = """
local popped = redis.call('ZPOPMIN', KEYS[1], ARGV[1])
for i = 1, #popped, 2 do
  redis.call('ZADD', KEYS[2], popped[i + 1], popped[i])
end
if #popped > 0 then redis.call('EXPIRE', KEYS[2], ARGV[2]) end
return popped
"""

# First puts parked messages back (a reader that stopped mid-batch).
_POP_LUA: Final = (
    """
local parked = redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES')
for i = 1, #parked, 2 do
  redis.call('ZADD', KEYS[1], parked[i + 1], parked[i])
end
redis.call('DEL', KEYS[2])
"""
    + _POP_AND_PARK
)

# After the parked batch was delivered: drops it instead of putting it back,
# so acknowledging a batch and fetching the next is one round trip.
_ACK_POP_LUA: Final = "\nredis.call('DEL', KEYS[2])\n" + _POP_AND_PARK

# KEYS[1] group key. ARGV[1] cutoff. Drops expired members, returns the rest.
_GROUP_MEMBERS_LUA: Final = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], 0, ARGV[1])
return redis.call('ZRANGE', KEYS[1], 0, -1)
"""

# ARGV[1] key pattern. Deletes every matching key.
_FLUSH_LUA: Final = """
local keys = redis.call('KEYS', ARGV[1])
for i = 1, #keys, 500 do
  redis.call('DEL', unpack(keys, i, math.min(i + 499, #keys)))
end
return #keys
"""


class _Script:
    """A Lua script run by SHA, loaded again when Redis forgot it (after a restart)."""

    __slots__ = ("sha", "source")

    def __init__(self, source: str) -> None:
        self.source = source
        self.sha = hashlib.sha1(source.encode()).hexdigest()

    async def __call__(
        self,
        client: redis.asyncio.Redis,
        keys: Sequence[str],
        args: Iterable[str | bytes | int | float],
    ) -> object:
        argv = list(args)
        try:
            result: object = await client.evalsha(self.sha, len(keys), *keys, *argv)
        except redis.exceptions.NoScriptError:
            await client.script_load(self.source)
            result = await client.evalsha(self.sha, len(keys), *keys, *argv)
        return result


_send_script: Final = _Script(_SEND_LUA)
_group_send_script: Final = _Script(_GROUP_SEND_LUA)
_pop_script: Final = _Script(_POP_LUA)
_ack_pop_script: Final = _Script(_ACK_POP_LUA)
_members_script: Final = _Script(_GROUP_MEMBERS_LUA)
_flush_script: Final = _Script(_FLUSH_LUA)


def _glob_escape(text: str) -> str:
    return "".join("\\" + c if c in "*?[]\\" else c for c in text)


class _Clients:
    """The per-event-loop clients: one for commands, one for blocking pops, per shard."""

    __slots__ = ("blocking", "commands")

    def __init__(
        self, commands: list[redis.asyncio.Redis], blocking: list[redis.asyncio.Redis]
    ) -> None:
        self.commands = commands
        self.blocking = blocking

    async def aclose(self) -> None:
        for client in (*self.commands, *self.blocking):
            with contextlib.suppress(Exception):
                await client.aclose()
            # A Sentinel host's pool asks its Sentinels for the master over
            # connections of their own, which closing the client leaves open.
            manager: object = getattr(client.connection_pool, "sentinel_manager", None)
            for sentinel in cast(
                "list[redis.asyncio.Redis]", getattr(manager, "sentinels", [])
            ):
                with contextlib.suppress(Exception):
                    await sentinel.aclose()


class RedisChannelLayer(BaseChannelLayer):
    """A channel layer on one or more Redis servers (sharded), wire-compatible with channels_redis 4.x.

    Args:
        hosts: Redis servers, one shard each: ``redis://`` URLs, ``(host,
            port)`` pairs or dicts (see :data:`HostSpec`); default localhost.
        prefix: prefix of every key this layer writes.
        expiry: seconds an unread message is kept.
        group_expiry: seconds a group membership lasts unless renewed.
        capacity: default per-channel capacity.
        channel_capacity: per-channel capacities by glob or regex.
        symmetric_encryption_keys: encrypt messages with Fernet (the first key
            encrypts, all decrypt); needs the ``cryptography`` extra.
        random_prefix_length: random bytes before each message (12 in channels_redis).
        unavailable_timeout: how long an operation retries while Redis is
            unreachable before it raises ``ChannelLayerUnavailable``.
        connect_timeout: seconds to wait for one TCP connection.
        receive_batch: messages a reader takes from Redis per round trip.
        reconnect_backoff: ``(first, max)`` seconds between reconnect attempts.

    Raises:
        InvalidChannelLayerError: an option is invalid.
    """

    #: Seconds a blocking pop waits before the reader loops (and sweeps).
    blocking_timeout: float = 5.0

    def __init__(
        self,
        hosts: Sequence[object] | None = None,
        prefix: str = "asgi",
        expiry: float = 60,
        group_expiry: float = 86400,
        capacity: int = 100,
        channel_capacity: ChannelCapacity | None = None,
        symmetric_encryption_keys: Sequence[str | bytes] | None = None,
        random_prefix_length: int = 12,
        unavailable_timeout: float = 5.0,
        connect_timeout: float = 2.0,
        receive_batch: int = 500,
        reconnect_backoff: tuple[float, float] = (0.05, 2.0),
    ) -> None:
        super().__init__(
            expiry=expiry,
            group_expiry=group_expiry,
            capacity=capacity,
            channel_capacity=channel_capacity,
        )
        if hosts is None:
            hosts = [("localhost", 6379)]
        if isinstance(hosts, (str, bytes)) or not hosts:
            raise InvalidChannelLayerError(
                "RedisChannelLayer hosts must be a non-empty list of hosts"
            )
        self.hosts: list[HostFactory] = [
            HostFactory(spec, i) for i, spec in enumerate(hosts)
        ]
        self.ring_size: int = len(self.hosts)
        if not isinstance(cast("object", prefix), str):
            raise InvalidChannelLayerError("RedisChannelLayer prefix must be a str")
        self.prefix = prefix
        self.random_prefix_length = random_prefix_length
        self.unavailable_timeout = unavailable_timeout
        self.connect_timeout = connect_timeout
        self.receive_batch = receive_batch
        self.reconnect_backoff = reconnect_backoff
        self._expire_seconds = max(1, math.ceil(self.expiry))
        self._fernet = _make_fernet(symmetric_encryption_keys)
        self.client_prefix: str = uuid.uuid4().hex
        self._counter = itertools.count()
        self._clients: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, _Clients
        ] = weakref.WeakKeyDictionary()
        self._local: Mailboxes[LayerMessage] = Mailboxes()
        self._readers: dict[str, asyncio.Task[None]] = {}
        # Inflight keys holding a batch already delivered, by shard index:
        # the reader drops them with its next pop, close() drops them too.
        self._parked: dict[str, int] = {}
        self._pending_pops: set[asyncio.Future[object]] = set()
        self._orphan_pops: dict[str, asyncio.Future[object]] = {}
        self._closing = False
        self._next_sweep = time.monotonic() + float(self.expiry)

    # --- plumbing ---------------------------------------------------------

    def is_closing(self) -> bool:
        """True while :meth:`close` runs (background loops then stop)."""
        return self._closing

    def consistent_hash(self, name: str) -> int:
        """The shard index of a key name (channels_redis's ring formula)."""
        if self.ring_size == 1:
            return 0
        return int((binascii.crc32(name.encode()) & 0xFFF) / (4096 / self.ring_size))

    def _shard_of_channel(self, channel: str) -> tuple[int, str]:
        name = non_local_name(channel)
        return self.consistent_hash(name), self.prefix + name

    def _group_key(self, group: str) -> str:
        return f"{self.prefix}:group:{group}"

    def _loop_clients(self) -> _Clients:
        loop = asyncio.get_running_loop()
        clients = self._clients.get(loop)
        if clients is None:
            commands = [
                h.make(
                    socket_timeout=self.unavailable_timeout,
                    connect_timeout=self.connect_timeout,
                )
                for h in self.hosts
            ]
            blocking = [
                h.make(socket_timeout=None, connect_timeout=self.connect_timeout)
                for h in self.hosts
            ]
            clients = self._clients[loop] = _Clients(commands, blocking)
        return clients

    async def _retrying(
        self, index: int, operation: Callable[[redis.asyncio.Redis], Awaitable[_T]]
    ) -> _T:
        """Run ``operation`` on shard ``index``, retrying through a short outage.

        Raises:
            ChannelLayerUnavailable: Redis stayed unreachable for ``unavailable_timeout``.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.unavailable_timeout
        delay, max_delay = self.reconnect_backoff
        while True:
            client = self._loop_clients().commands[index]
            remaining = deadline - loop.time()
            try:
                return await asyncio.wait_for(operation(client), max(remaining, 0.001))
            except _OUTAGE as exc:
                if loop.time() + delay >= deadline:
                    raise ChannelLayerUnavailable(
                        f"Redis {self.hosts[index].description} unreachable for "
                        f"{self.unavailable_timeout}s: {exc!r}"
                    ) from exc
            await asyncio.sleep(delay)
            delay = min(delay * 2, max_delay)

    def serialize(self, message: Mapping[str, object]) -> bytes:
        """Random prefix + msgpack (+ Fernet), as channels_redis writes it."""
        data = _encode(message)
        if self._fernet is not None:
            data = self._fernet.encrypt(data)
        n = self.random_prefix_length
        return random.getrandbits(8 * n).to_bytes(n, "big") + data if n else data

    def _plain(self, payload: bytes) -> bytes:
        data = payload[self.random_prefix_length :]
        if self._fernet is not None:
            data = self._fernet.decrypt(data)
        return data

    def deserialize(self, payload: bytes) -> LayerMessage:
        """Decode a stored message (strips the prefix, decrypts).

        Raises:
            msgspec.DecodeError: not msgpack for a dict.
            cryptography.fernet.InvalidToken: encrypted with another key.
        """
        return _decode(self._plain(payload))

    # --- channels ---------------------------------------------------------

    async def send(self, channel: str, message: Mapping[str, object]) -> None:
        """Put ``message`` on ``channel``.

        Raises:
            ChannelFull: the channel is at capacity.
            ChannelLayerUnavailable: Redis unreachable for ``unavailable_timeout``.
            InvalidChannelName: ``channel`` breaks the naming rules.
            TypeError: not a message dict, or a value msgpack cannot carry.
        """
        require_valid_channel_name(channel)
        checked = require_message_dict(message)
        if "!" in channel:
            checked = {**checked, "__asgi_channel__": channel}
        index, key = self._shard_of_channel(channel)
        payload = self.serialize(checked)
        now = time.time()
        args = (
            payload,
            self.get_capacity(channel),
            now,
            self._expire_seconds,
            now - self.expiry,
        )
        full = await self._retrying(
            index, lambda client: _send_script(client, [key], args)
        )
        if full == 1:
            raise ChannelFull(f"channel {channel!r} is at capacity")

    async def receive(self, channel: str) -> LayerMessage:
        """Wait for the next message on ``channel``.

        Waits through Redis outages (reconnecting with backoff); cancel it to
        stop waiting.

        Raises:
            InvalidChannelName: ``channel`` breaks the naming rules.
        """
        require_valid_channel_name(channel)
        if "!" in channel:
            self._ensure_reader(non_local_name(channel))
            return await self._local.get(channel)
        return await self._receive_shared(channel)

    def wake_on_message(
        self, channel: str, callback: Callable[[], object] | None
    ) -> bool:
        """Arrange for ``callback`` to run once when a message arrives on
        ``channel`` while no ``receive()`` waits for one.

        Returns True, registering nothing, if a message is already waiting
        (the caller should receive it); False once ``callback`` is registered.
        ``None`` removes a registered callback (and returns False).

        Process-specific channels are read by this process's reader, started
        here if need be; any other channel always answers True (the caller
        receives from Redis as usual).
        """
        if "!" not in channel:
            return callback is not None
        if callback is not None:
            self._ensure_reader(non_local_name(channel))
        return self._local.set_waker(channel, callback)

    async def new_channel(self, prefix: str = "specific.") -> str:
        """A new process-specific channel, ``<prefix>.<client_prefix>!<n>``."""
        base = prefix if prefix.endswith(".") else prefix + "."
        return require_valid_channel_name(
            f"{base}{self.client_prefix}!{next(self._counter):x}"
        )

    # --- the reader of process-specific channels ---------------------------

    def _ensure_reader(self, name: str) -> None:
        task = self._readers.get(name)
        if task is not None and not task.done():
            if task.get_loop() is asyncio.get_running_loop():
                return
            task.cancel()
        self._readers[name] = asyncio.get_running_loop().create_task(
            self._read_forever(name), name=f"typedchannels redis reader {name}"
        )

    async def _read_forever(self, name: str) -> None:
        index = self.consistent_hash(name)
        key = self.prefix + name
        inflight = key + "$inflight"
        first, max_delay = self.reconnect_backoff
        delay = first
        down_since: float | None = None
        # The parked batch was delivered: the next pop drops it (one round
        # trip acknowledges and fetches). Cleared before the call, so a call
        # lost to an outage puts the batch back instead: at least once.
        delivered = False
        while not self.is_closing():
            try:
                clients = self._loop_clients()
                script = _ack_pop_script if delivered else _pop_script
                delivered = False
                self._parked.pop(inflight, None)
                popped = await script(
                    clients.commands[index],
                    [key, inflight],
                    [self.receive_batch, self._expire_seconds],
                )
                members = _members_from_flat(popped, time.time() - self.expiry)
                if not popped:
                    self._maybe_sweep()
                    got = await clients.blocking[index].bzpopmin(
                        key, timeout=self.blocking_timeout
                    )
                    if got is None:
                        continue
                    member, score = _bzpop_result(got)
                    # Delivered with no await in between: nothing to park.
                    if score >= time.time() - self.expiry:
                        self._deliver_local(member)
                else:
                    for member in members:
                        self._deliver_local(member)
                    delivered = True
                    self._parked[inflight] = index
                if down_since is not None:
                    logger.warning(
                        "Redis %s reachable again after %.1fs",
                        self.hosts[index].description,
                        time.monotonic() - down_since,
                    )
                    down_since = None
                delay = first
            except _OUTAGE as exc:
                # redis-py may turn a cancellation into a ConnectionError.
                if self.is_closing():
                    return
                if down_since is None:
                    down_since = time.monotonic()
                    logger.warning(
                        "Redis %s unreachable (%r); receive loop reconnecting",
                        self.hosts[index].description,
                        exc,
                    )
                await asyncio.sleep(delay)
                delay = min(delay * 2, max_delay)

    def _deliver_local(self, member: bytes) -> None:
        try:
            plain = self._plain(member)
            message = _decode(plain)
        except Exception:
            logger.exception("dropping a message that cannot be decoded")
            return
        target = message.pop("__asgi_channel__", None)
        now = time.monotonic()
        expires_at = now + self.expiry
        if isinstance(target, str):
            self._put_local(target, message, expires_at, now)
        elif isinstance(target, list):
            names = [t for t in cast("list[object]", target) if isinstance(t, str)]
            # Each receiver gets its own copy, decoded afresh from the message
            # without the (possibly long) member list.
            bare = _encode(message) if len(names) > 1 else b""
            for i, name in enumerate(names):
                copy = message if i == 0 else _decode(bare)
                self._put_local(name, copy, expires_at, now)
        else:
            logger.warning("dropping a process message without __asgi_channel__")

    def _put_local(
        self, channel: str, message: LayerMessage, expires_at: float, now: float
    ) -> None:
        if not self._local.put(
            channel,
            message,
            expires_at,
            self.get_capacity(channel),
            now,
            drop_oldest=True,
        ):
            logger.warning("channel %r overflowed locally", channel)

    def _maybe_sweep(self) -> None:
        now = time.monotonic()
        if now >= self._next_sweep:
            self._next_sweep = now + float(self.expiry)
            self._local.sweep(now)

    # --- shared (not process-specific) channels ----------------------------

    async def _receive_shared(self, channel: str) -> LayerMessage:
        index, key = self._shard_of_channel(channel)
        inflight = key + "$inflight"
        first, max_delay = self.reconnect_backoff
        delay = first
        while True:
            # The pop runs in its own task: if this receive is cancelled, the
            # pop finishes, parks its message in $inflight, and the next
            # receive of this channel in this process takes it over.
            pop = self._orphan_pops.pop(key, None)
            if pop is None or pop.get_loop() is not asyncio.get_running_loop():
                pop = asyncio.ensure_future(self._pop_one(index, key, inflight))
                self._pending_pops.add(pop)
                pop.add_done_callback(self._pending_pops.discard)
            try:
                member = await asyncio.shield(pop)
            except asyncio.CancelledError:
                if not pop.done():
                    self._orphan_pops[key] = pop
                raise
            except _OUTAGE:
                await asyncio.sleep(delay)
                delay = min(delay * 2, max_delay)
                continue
            delay = first
            if not isinstance(member, bytes):
                continue  # timed out or expired: pop again
            with contextlib.suppress(*_OUTAGE):
                await self._loop_clients().commands[index].zrem(inflight, member)
            try:
                message = self.deserialize(member)
            except Exception:
                logger.exception(
                    "dropping a message on %r that cannot be decoded", channel
                )
                continue
            message.pop("__asgi_channel__", None)
            return message

    async def _pop_one(self, index: int, key: str, inflight: str) -> object:
        clients = self._loop_clients()
        popped = await _pop_script(
            clients.commands[index], [key, inflight], [1, self._expire_seconds]
        )
        if popped:
            members = _members_from_flat(popped, time.time() - self.expiry)
            return members[0] if members else _EXPIRED
        got = await clients.blocking[index].bzpopmin(key, timeout=self.blocking_timeout)
        if got is None:
            return None
        member, score = _bzpop_result(got)
        await clients.commands[index].zadd(inflight, {member: score})
        return member if score >= time.time() - self.expiry else _EXPIRED

    # --- groups -----------------------------------------------------------

    async def group_add(self, group: str, channel: str) -> None:
        """Add ``channel`` to ``group`` (or renew its membership).

        Raises:
            ChannelLayerUnavailable: Redis unreachable for ``unavailable_timeout``.
            InvalidChannelName: a name breaks the naming rules.
        """
        require_valid_group_name(group)
        require_valid_channel_name(channel)
        key = self._group_key(group)
        expire = max(1, math.ceil(self.group_expiry))

        async def add(client: redis.asyncio.Redis) -> None:
            async with client.pipeline(transaction=False) as pipe:
                _ = pipe.zadd(key, {channel: time.time()})
                _ = pipe.expire(key, expire)
                await pipe.execute()

        await self._retrying(self.consistent_hash(group), add)

    async def group_discard(self, group: str, channel: str) -> None:
        """Remove ``channel`` from ``group``; nothing happens if it is not there.

        Raises:
            ChannelLayerUnavailable: Redis unreachable for ``unavailable_timeout``.
            InvalidChannelName: a name breaks the naming rules.
        """
        require_valid_group_name(group)
        require_valid_channel_name(channel)
        key = self._group_key(group)

        async def discard(client: redis.asyncio.Redis) -> object:
            return await client.zrem(key, channel)

        await self._retrying(self.consistent_hash(group), discard)

    async def group_send(self, group: str, message: Mapping[str, object]) -> None:
        """Send ``message`` to every member: one Lua call per shard.

        Each channel key gets one copy (a process's members share one, listed
        in ``__asgi_channel__``). Never raises ``ChannelFull``: keys at
        capacity are skipped, counted and logged.

        Raises:
            ChannelLayerUnavailable: Redis unreachable for ``unavailable_timeout``.
            InvalidChannelName: ``group`` breaks the naming rules.
            TypeError: not a message dict, or a value msgpack cannot carry.
        """
        require_valid_group_name(group)
        checked = require_message_dict(message)
        key = self._group_key(group)
        cutoff = time.time() - self.group_expiry

        async def members_of(client: redis.asyncio.Redis) -> object:
            return await _members_script(client, [key], [cutoff])

        raw = await self._retrying(self.consistent_hash(group), members_of)
        if not isinstance(raw, list) or not raw:
            return
        by_key: dict[str, list[str]] = {}
        for item in cast("list[object]", raw):
            if isinstance(item, bytes):
                channel = item.decode()
                by_key.setdefault(self.prefix + non_local_name(channel), []).append(
                    channel
                )
        by_shard: dict[int, list[str]] = {}
        for channel_key in by_key:
            name = channel_key[len(self.prefix) :]
            by_shard.setdefault(self.consistent_hash(name), []).append(channel_key)
        now = time.time()
        cutoff_messages = now - self.expiry
        sends = [
            self._group_send_shard(
                index, keys, by_key, checked, now, cutoff_messages, group
            )
            for index, keys in by_shard.items()
        ]
        if len(sends) == 1:
            await sends[0]
        else:
            await asyncio.gather(*sends)

    async def _group_send_shard(
        self,
        index: int,
        keys: list[str],
        by_key: dict[str, list[str]],
        message: Mapping[str, object],
        now: float,
        cutoff: float,
        group: str,
    ) -> None:
        payloads: list[bytes] = []
        capacities: list[int] = []
        for channel_key in keys:
            channels = by_key[channel_key]
            payloads.append(self.serialize({**message, "__asgi_channel__": channels}))
            capacities.append(max(self.get_capacity(c) for c in channels))
        args: list[str | bytes | int | float] = [
            *payloads,
            *capacities,
            now,
            self._expire_seconds,
            cutoff,
        ]

        async def run(client: redis.asyncio.Redis) -> object:
            return await _group_send_script(client, keys, args)

        full = await self._retrying(index, run)
        if isinstance(full, list) and full:
            indexes = [i for i in cast("list[object]", full) if isinstance(i, int)]
            skipped = [c for i in indexes for c in by_key[keys[i - 1]]]
            logger.warning(
                "group_send to %r skipped %d member(s) at capacity: %s",
                group,
                len(skipped),
                ", ".join(skipped[:10]) + (" ..." if len(skipped) > 10 else ""),
            )

    # --- lifecycle --------------------------------------------------------

    async def flush(self) -> None:
        """Delete every key under this layer's prefix on every shard.

        Raises:
            ChannelLayerUnavailable: Redis unreachable for ``unavailable_timeout``.
        """
        pattern = _glob_escape(self.prefix) + "*"

        async def flush_one(client: redis.asyncio.Redis) -> object:
            return await _flush_script(client, [], [pattern])

        for index in range(self.ring_size):
            await self._retrying(index, flush_one)
        self._local.clear()

    async def close(self) -> None:
        """Stop the reader tasks and close this event loop's connections."""
        self._closing = True
        loop = asyncio.get_running_loop()
        tasks: list[asyncio.Future[object] | asyncio.Task[None]] = [
            *self._readers.values(),
            *self._pending_pops,
        ]
        self._readers.clear()
        self._orphan_pops.clear()
        for task in tasks:
            task.cancel()
        ours = [task for task in tasks if task.get_loop() is loop]
        if ours:
            # Bounded: a task stuck in a dead connection must not hang close().
            await asyncio.wait(ours, timeout=self.connect_timeout + 1)
        self._closing = False
        clients = self._clients.pop(asyncio.get_running_loop(), None)
        if clients is not None:
            parked, self._parked = self._parked, {}
            with contextlib.suppress(Exception):
                # Bounded, like the wait above: a dead server must not hang close().
                await asyncio.wait_for(
                    asyncio.gather(
                        *(clients.commands[i].delete(k) for k, i in parked.items())
                    ),
                    self.connect_timeout + 1,
                )
            await clients.aclose()


#: What a pop returns when the message it took had already expired.
_EXPIRED: Final = object()


def _members_from_flat(popped: object, oldest: float) -> list[bytes]:
    """The members of a flat ``[member, score, ...]`` reply sent after ``oldest``."""
    if not isinstance(popped, list):
        return []
    flat = cast("list[object]", popped)
    found: list[bytes] = []
    for member, score in zip(flat[0::2], flat[1::2], strict=False):
        if (
            isinstance(member, bytes)
            and isinstance(score, (bytes, int, float))
            and float(score) >= oldest
        ):
            found.append(member)
    return found


def _bzpop_result(got: object) -> tuple[bytes, float]:
    _key, member, score = cast("tuple[object, object, object]", got)
    if not isinstance(member, bytes) or not isinstance(score, (int, float, bytes)):
        raise redis.exceptions.ResponseError(f"unexpected BZPOPMIN reply {got!r}")
    return member, float(score)


def _make_fernet(keys: Sequence[str | bytes] | None) -> _Fernet | None:
    if not keys:
        return None
    if isinstance(keys, (str, bytes)):
        raise InvalidChannelLayerError(
            "symmetric_encryption_keys must be a list of keys, not one key"
        )
    try:
        from cryptography.fernet import Fernet, MultiFernet
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise InvalidChannelLayerError(
            "symmetric_encryption_keys needs the 'cryptography' package "
            "(pip install 'typedchannels[cryptography]')"
        ) from exc
    fernets = [
        Fernet(
            base64.urlsafe_b64encode(
                hashlib.sha256(k.encode() if isinstance(k, str) else k).digest()
            )
        )
        for k in keys
    ]
    return MultiFernet(fernets)


class _Fernet(Protocol):
    """What the layer needs of ``cryptography``'s ``MultiFernet``."""

    def encrypt(self, msg: bytes) -> bytes: ...

    def decrypt(self, msg: bytes | str, ttl: int | None = None) -> bytes: ...
