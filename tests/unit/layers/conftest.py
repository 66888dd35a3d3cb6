"""Layer fixtures: one contract suite over memory, Redis and Redis with 3 shards."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Protocol
from urllib.parse import urlsplit, urlunsplit

import pytest
from typing_extensions import TypedDict, Unpack

from tests.support.redis_server import REDIS_URL_ENV, RedisServer, start_servers
from typedchannels.layers import InMemoryChannelLayer
from typedchannels.layers._base import ChannelCapacity
from typedchannels.types import ChannelLayer

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.django_settings")


class LayerOptions(TypedDict, total=False):
    """The options every backend takes."""

    expiry: float
    group_expiry: float
    capacity: int
    channel_capacity: ChannelCapacity


class LayerFactory(Protocol):
    """Builds a layer of the parametrized backend with the given options."""

    def __call__(self, **options: Unpack[LayerOptions]) -> ChannelLayer: ...


def _with_db(url: str, db: int) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{db}"))


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """One Redis: ``TYPEDCHANNELS_REDIS_URL``, or a redis-server started for the session."""
    url = os.environ.get(REDIS_URL_ENV)
    if url:
        yield url
        return
    servers = start_servers(1)
    try:
        yield servers[0].url
    finally:
        for server in servers:
            server.stop()


@pytest.fixture(scope="session")
def redis_shard_urls() -> Iterator[list[str]]:
    """Three Redis servers (or three databases of ``TYPEDCHANNELS_REDIS_URL``)."""
    url = os.environ.get(REDIS_URL_ENV)
    if url:
        yield [_with_db(url, db) for db in (1, 2, 3)]
        return
    servers = start_servers(3)
    try:
        yield [server.url for server in servers]
    finally:
        for server in servers:
            server.stop()


@pytest.fixture
def own_redis() -> Iterator[RedisServer]:
    """A redis-server of this test's own, which the test may stop and restart."""
    (server,) = start_servers(1)
    try:
        yield server
    finally:
        server.stop()


def unique_prefix() -> str:
    """A key prefix no other test shares (fixed length, so none prefixes another)."""
    return "t" + uuid.uuid4().hex[:12] + ":"


@pytest.fixture(params=["memory", "redis", "redis-3-shards"])
async def make_layer(request: pytest.FixtureRequest) -> AsyncIterator[LayerFactory]:
    """A factory for layers of one backend; every layer it made is closed after the test."""
    from typedchannels.layers.redis import RedisChannelLayer

    made: list[ChannelLayer] = []
    backend: str = request.param
    hosts: list[str] = []
    if backend == "redis":
        hosts = [request.getfixturevalue("redis_url")]
    elif backend == "redis-3-shards":
        hosts = request.getfixturevalue("redis_shard_urls")
    prefix = unique_prefix()

    def factory(**options: Unpack[LayerOptions]) -> ChannelLayer:
        layer: ChannelLayer
        if backend == "memory":
            layer = InMemoryChannelLayer(**options)
        else:
            layer = RedisChannelLayer(
                hosts, prefix=prefix, unavailable_timeout=2.0, **options
            )
        made.append(layer)
        return layer

    yield factory
    for layer in made:
        if isinstance(layer, RedisChannelLayer):
            await layer.flush()
        await layer.close()


@pytest.fixture
def layer(make_layer: LayerFactory) -> ChannelLayer:
    """A layer of the parametrized backend with default options."""
    return make_layer()
