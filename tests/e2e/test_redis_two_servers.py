"""Two server processes sharing one real Redis: the chat crosses between them."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from examples.chat.messages import Posted, Typing
from tests.e2e.chat_client import ChatClient
from tests.e2e.test_servers_chat import APP, chat_env, migrate
from tests.support.redis_server import REDIS_URL_ENV, start_servers
from tests.support.servers import running_server


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    url = os.environ.get(REDIS_URL_ENV)
    if url:
        yield url
        return
    (server,) = start_servers(1)
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture(scope="module")
def two_ports(
    tmp_path_factory: pytest.TempPathFactory, redis_url: str
) -> Iterator[tuple[int, int]]:
    """uvicorn and daphne, each its own process, on one database and one Redis."""
    database: Path = tmp_path_factory.mktemp("redis-chat") / "chat.sqlite3"
    env = chat_env(database, redis_url)
    migrate(env)
    with contextlib.ExitStack() as stack:
        first = stack.enter_context(running_server("uvicorn", APP, env=env))
        second = stack.enter_context(running_server("daphne", APP, env=env))
        yield first, second


async def test_a_line_crosses_between_server_processes(
    two_ports: tuple[int, int],
) -> None:
    first, second = two_ports
    room = "redis-" + uuid.uuid4().hex[:8]
    async with ChatClient(first, room) as ada, ChatClient(second, room) as bob:
        # Presence itself crosses: each process learns of the other's member.
        await ada.presence(ada.you, bob.you)
        await bob.presence(ada.you, bob.you)
        await ada.send(type="message", text="from the uvicorn process")
        posted = await bob.next(Posted)
        assert (posted.line.author, posted.line.text) == (
            ada.you,
            "from the uvicorn process",
        )
        await bob.send(type="typing", active=True)
        assert await ada.next(Typing) == Typing(name=bob.you, active=True)
        await bob.send(type="message", text="from the daphne process")
        assert (await ada.next(Posted)).line.text == "from the daphne process"
    async with ChatClient(first, room) as carol:
        await carol.presence(carol.you)


async def test_presence_crosses_on_disconnect(two_ports: tuple[int, int]) -> None:
    first, second = two_ports
    room = "redis-" + uuid.uuid4().hex[:8]
    async with ChatClient(first, room) as ada:
        async with ChatClient(second, room) as bob:
            await ada.presence(ada.you, bob.you)
        await ada.presence(ada.you)
