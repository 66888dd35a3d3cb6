"""Redis-only behaviour: channels_redis cross-talk, sharding, restarts, wire details."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import redis.asyncio

from tests.support.foreign_layers import ForeignLayer, channels_redis_layer
from tests.support.redis_server import (
    RedisServer,
    SentinelServer,
    sentinel_master_port,
)
from typedchannels.exceptions import ChannelLayerUnavailable, InvalidChannelLayerError
from typedchannels.layers.redis import RedisChannelLayer
from typedchannels.types import ChannelLayer

from .conftest import unique_prefix

pytestmark = pytest.mark.timeout(60)


async def receive_soon(
    layer: ChannelLayer, channel: str, timeout: float = 5.0
) -> dict[str, object]:
    return await asyncio.wait_for(layer.receive(channel), timeout)


async def closing(*layers: ChannelLayer) -> None:
    for layer in layers:
        await layer.close()


@pytest.fixture(params=[None, ["a secret", "an older secret"]], ids=["plain", "fernet"])
async def pair(
    request: pytest.FixtureRequest, redis_url: str
) -> AsyncIterator[tuple[RedisChannelLayer, ForeignLayer]]:
    """typedchannels and channels_redis on one Redis and prefix (optionally encrypted)."""
    keys: list[str] | None = request.param
    prefix = unique_prefix()
    ours = RedisChannelLayer([redis_url], prefix=prefix, symmetric_encryption_keys=keys)
    theirs = channels_redis_layer(
        hosts=[redis_url], prefix=prefix, symmetric_encryption_keys=keys
    )
    yield ours, theirs
    await ours.flush()
    await closing(ours, theirs)


async def test_cross_talk_direct_channels(
    pair: tuple[RedisChannelLayer, ForeignLayer],
) -> None:
    ours, theirs = pair
    await theirs.send("cross.direct", {"type": "from.them", "n": [1, 2], "b": b"\x01"})
    assert await receive_soon(ours, "cross.direct") == {
        "type": "from.them",
        "n": [1, 2],
        "b": b"\x01",
    }
    await ours.send("cross.direct", {"type": "from.us"})
    assert await receive_soon(theirs, "cross.direct") == {"type": "from.us"}


async def test_cross_talk_process_specific_channels(
    pair: tuple[RedisChannelLayer, ForeignLayer],
) -> None:
    ours, theirs = pair
    mine, yours = await ours.new_channel(), await theirs.new_channel()
    await theirs.send(mine, {"type": "to.ours"})
    await ours.send(yours, {"type": "to.theirs"})
    assert await receive_soon(ours, mine) == {"type": "to.ours"}
    assert await receive_soon(theirs, yours) == {"type": "to.theirs"}


async def test_cross_talk_groups(pair: tuple[RedisChannelLayer, ForeignLayer]) -> None:
    ours, theirs = pair
    mine = [await ours.new_channel() for _ in range(3)]
    yours = [await theirs.new_channel() for _ in range(3)]
    for name in mine:
        await theirs.group_add("mixed", name)
    for name in yours:
        await ours.group_add("mixed", name)
    await theirs.group_send("mixed", {"type": "from.them"})
    await ours.group_send("mixed", {"type": "from.us"})
    for name in mine:
        got = [await receive_soon(ours, name) for _ in range(2)]
        assert sorted(str(m["type"]) for m in got) == ["from.them", "from.us"]
    for name in yours:
        got = [await receive_soon(theirs, name) for _ in range(2)]
        assert sorted(str(m["type"]) for m in got) == ["from.them", "from.us"]
    await ours.group_discard("mixed", yours[0])
    await theirs.group_send("mixed", {"type": "after.discard"})
    assert await receive_soon(theirs, yours[1]) == {"type": "after.discard"}
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(theirs.receive(yours[0]), 0.3)


async def test_sharded_direct_sends_to_new_channels_all_arrive(
    redis_shard_urls: list[str],
) -> None:
    """channels_redis loses about two thirds of these with 3 hosts (issues #94/#221)."""
    prefix = unique_prefix()
    sender = RedisChannelLayer(redis_shard_urls, prefix=prefix)
    receivers = [RedisChannelLayer(redis_shard_urls, prefix=prefix) for _ in range(6)]
    try:
        names = [await layer.new_channel() for layer in receivers for _ in range(5)]
        owners = [layer for layer in receivers for _ in range(5)]
        for name in names:
            await sender.send(name, {"type": "direct", "to": name})
        for name, owner in zip(names, owners, strict=True):
            assert await receive_soon(owner, name) == {"type": "direct", "to": name}
        used = {sender.consistent_hash(name[: name.index("!") + 1]) for name in names}
        assert len(used) > 1, "the receivers' keys should spread over the shards"
    finally:
        await sender.flush()
        await closing(sender, *receivers)


async def test_group_send_logs_members_over_capacity(
    redis_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    layer = RedisChannelLayer([redis_url], prefix=unique_prefix(), capacity=1)
    try:
        await layer.group_add("g", "plain.one")
        await layer.group_add("g", "plain.two")
        await layer.send("plain.one", {"type": "fill"})
        with caplog.at_level(logging.WARNING, "typedchannels.layers.redis"):
            await layer.group_send("g", {"type": "x"})
        assert "skipped 1 member(s) at capacity: plain.one" in caplog.text
        assert await receive_soon(layer, "plain.two") == {"type": "x"}
    finally:
        await layer.flush()
        await layer.close()


async def test_a_parked_inflight_message_is_delivered_again(redis_url: str) -> None:
    prefix = unique_prefix()
    layer = RedisChannelLayer([redis_url], prefix=prefix)
    # redis-py leaves from_url's **kwargs unannotated.
    client = redis.asyncio.Redis.from_url(redis_url)  # pyright: ignore[reportUnknownMemberType]
    try:
        payload = layer.serialize({"type": "parked"})
        await client.zadd(prefix + "plain.crashed$inflight", {payload: 1e12})
        assert await receive_soon(layer, "plain.crashed") == {"type": "parked"}
        assert await client.exists(prefix + "plain.crashed$inflight") == 0
    finally:
        await client.aclose()
        await layer.flush()
        await layer.close()


async def test_redis_restart_during_traffic(own_redis: RedisServer) -> None:
    layer = RedisChannelLayer(
        [own_redis.url],
        prefix=unique_prefix(),
        unavailable_timeout=0.5,
        reconnect_backoff=(0.02, 0.2),
    )
    try:
        name = await layer.new_channel()
        received: asyncio.Queue[object] = asyncio.Queue()

        async def consume() -> None:
            while True:
                received.put_nowait((await layer.receive(name))["n"])

        async def next_ones(count: int) -> list[object]:
            return [await asyncio.wait_for(received.get(), 10) for _ in range(count)]

        consumer = asyncio.ensure_future(consume())
        for n in range(5):
            await layer.send(name, {"type": "n", "n": n})
        assert await next_ones(5) == list(range(5))

        own_redis.stop()
        loop = asyncio.get_running_loop()
        started = loop.time()
        with pytest.raises(ChannelLayerUnavailable):
            await layer.send(name, {"type": "n", "n": -1})
        assert loop.time() - started < 3, "send must give up in bounded time"
        with pytest.raises(ChannelLayerUnavailable):
            await layer.group_send("any", {"type": "x"})

        own_redis.start()
        for n in range(5, 10):
            await layer.send(name, {"type": "n", "n": n})
        assert await next_ones(5) == list(range(5, 10))
        assert not consumer.done()
        consumer.cancel()
    finally:
        await layer.close()


async def test_plain_receive_survives_a_restart(own_redis: RedisServer) -> None:
    layer = RedisChannelLayer(
        [own_redis.url], prefix=unique_prefix(), reconnect_backoff=(0.02, 0.2)
    )
    try:
        waiting = asyncio.ensure_future(layer.receive("plain.restart"))
        await asyncio.sleep(0.1)
        own_redis.stop()
        await asyncio.sleep(0.2)
        own_redis.start()
        await layer.send("plain.restart", {"type": "back"})
        assert await asyncio.wait_for(waiting, 10) == {"type": "back"}
    finally:
        await layer.close()


@pytest.mark.parametrize(
    "hosts",
    [
        ["redis://localhost:6379/0"],
        [("localhost", 6379)],
        [{"address": "redis://localhost:6379/1", "password": "x"}],
        [{"host": "localhost", "port": 6379, "db": 2}],
        [{"sentinels": [("localhost", 26379)], "master_name": "mymaster"}],
    ],
)
def test_host_forms_are_accepted(hosts: list[object]) -> None:
    layer = RedisChannelLayer(hosts)
    assert layer.ring_size == 1


@pytest.mark.parametrize(
    ("hosts", "message"),
    [
        ([], "non-empty"),
        ("redis://localhost", "non-empty"),
        ([42], r"hosts\[0\]"),
        ([("localhost", "6379")], r"hosts\[0\]"),
        ([{"sentinels": [("h", 1)]}], "master_name"),
    ],
)
def test_bad_hosts_name_the_option(hosts: object, message: str) -> None:
    with pytest.raises(InvalidChannelLayerError, match=message):
        RedisChannelLayer(hosts)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


def test_shard_of_a_process_specific_channel_ignores_the_suffix() -> None:
    layer = RedisChannelLayer(["redis://a", "redis://b", "redis://c"])
    names = [f"specific.{layer.client_prefix}!{n}" for n in range(50)]
    assert len({layer.consistent_hash(n[: n.index("!") + 1]) for n in names}) == 1


def test_bad_options_raise_invalid_channel_layer_error() -> None:
    with pytest.raises(InvalidChannelLayerError, match="capacity"):
        RedisChannelLayer(capacity=0)
    with pytest.raises(InvalidChannelLayerError, match="expiry"):
        RedisChannelLayer(expiry=-1)
    with pytest.raises(InvalidChannelLayerError, match="list of keys"):
        RedisChannelLayer(symmetric_encryption_keys="one key")


async def test_hosts_found_through_a_real_sentinel(
    own_redis: RedisServer, tmp_path: Path
) -> None:
    sentinel = SentinelServer(own_redis.binary, own_redis, tmp_path).start("tcmaster")
    try:
        layer = RedisChannelLayer(
            [{"sentinels": [("127.0.0.1", sentinel.port)], "master_name": "tcmaster"}],
            prefix=unique_prefix(),
        )
        channel = await layer.new_channel()
        await layer.group_add("watched", channel)
        await layer.group_send("watched", {"type": "via.sentinel", "n": 1})
        await layer.send("plain.queue", {"type": "direct"})
        assert await receive_soon(layer, channel) == {"type": "via.sentinel", "n": 1}
        assert await receive_soon(layer, "plain.queue") == {"type": "direct"}
        # The data is on the master the Sentinel named.
        direct = redis.asyncio.Redis(port=own_redis.port)
        assert await direct.exists(layer.prefix + "plain.queue") == 0  # consumed
        assert await direct.exists(layer.prefix + ":group:watched") == 1
        await direct.aclose()
        await layer.flush()
        await layer.close()
    finally:
        sentinel.stop()


@pytest.mark.timeout(90)
async def test_a_sentinel_failover_to_the_replica(
    own_redis: RedisServer, tmp_path: Path
) -> None:
    replica = RedisServer(
        own_redis.binary, extra_args=["--replicaof", "127.0.0.1", str(own_redis.port)]
    ).start()
    sentinel = SentinelServer(own_redis.binary, own_redis, tmp_path).start(
        "tcfailover", down_after_ms=500
    )
    layer = RedisChannelLayer(
        [{"sentinels": [("127.0.0.1", sentinel.port)], "master_name": "tcfailover"}],
        prefix=unique_prefix(),
        unavailable_timeout=20,
    )
    try:
        await layer.send("before.failover", {"type": "one"})
        assert await receive_soon(layer, "before.failover") == {"type": "one"}
        own_redis.stop()  # the master dies; the sentinel promotes the replica
        for _ in range(300):
            if sentinel_master_port(sentinel.port, "tcfailover") == replica.port:
                break
            await asyncio.sleep(0.05)
        else:
            pytest.fail("the sentinel did not promote the replica in 15 s")
        # The layer finds the new master through the sentinel.
        await layer.send("after.failover", {"type": "two"})
        assert await receive_soon(layer, "after.failover", 20) == {"type": "two"}
    finally:
        await layer.close()
        sentinel.stop()
        replica.stop()
