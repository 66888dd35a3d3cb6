"""The chat demo behind uvicorn, daphne and hypercorn, driven by real websocket clients."""

from __future__ import annotations

import subprocess
import sys
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus
from websockets.typing import Origin

from examples.chat.messages import MAX_TEXT, Posted, Renamed, Typing
from tests.e2e.chat_client import ChatClient
from tests.support.servers import ROOT, SERVERS, Server, running_server

APP = "examples.chat.asgi:application"


def chat_env(database: Path, redis_url: str = "") -> dict[str, str]:
    """The demo's settings, its database, and which layer (memory unless Redis)."""
    return {
        "DJANGO_SETTINGS_MODULE": "examples.chat.settings",
        "TYPEDCHANNELS_CHAT_DB": str(database),
        "TYPEDCHANNELS_REDIS_URL": redis_url,
    }


def migrate(env: dict[str, str]) -> None:
    """Create the demo's tables, as ``make demo`` does."""
    subprocess.run(
        [sys.executable, "-m", "django", "migrate", "--verbosity=0"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), **env},
        check=True,
        timeout=60,
    )


@pytest.fixture(scope="module")
def chat_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    database = tmp_path_factory.mktemp("chat") / "chat.sqlite3"
    migrate(chat_env(database))
    return database


@pytest.fixture(scope="module", params=SERVERS)
def chat_server(
    request: pytest.FixtureRequest, chat_database: Path
) -> Iterator[tuple[Server, int]]:
    server: Server = request.param
    with running_server(server, APP, env=chat_env(chat_database)) as port:
        yield server, port


def new_room() -> str:
    return "e2e-" + uuid.uuid4().hex[:8]


def test_pages_are_served(chat_server: tuple[Server, int]) -> None:
    _, port = chat_server
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
        assert response.status == 200
        assert b"typedchannels chat" in response.read()
    url = f"http://127.0.0.1:{port}/chat/lobby/"
    with urllib.request.urlopen(url, timeout=5) as response:
        body = response.read()
        assert b'id="room-name"' in body
        assert b"new WebSocket" in body


async def test_two_clients_see_each_others_lines(
    chat_server: tuple[Server, int],
) -> None:
    _, port = chat_server
    room = new_room()
    async with ChatClient(port, room) as ada, ChatClient(port, room) as bob:
        await ada.presence(ada.you, bob.you)
        await ada.send(type="message", text="hello from ada")
        await bob.send(type="message", text="hello from bob")
        for client in (ada, bob):
            first, second = await client.next(Posted), await client.next(Posted)
            assert {(first.line.author, first.line.text)} | {
                (second.line.author, second.line.text)
            } == {(ada.you, "hello from ada"), (bob.you, "hello from bob")}
        await bob.send(type="typing", active=True)
        assert await ada.next(Typing) == Typing(name=bob.you, active=True)


async def test_presence_updates_on_rename_and_disconnect(
    chat_server: tuple[Server, int],
) -> None:
    _, port = chat_server
    room = new_room()
    async with ChatClient(port, room) as ada:
        async with ChatClient(port, room) as bob:
            await bob.send(type="join", name="bob")
            assert await bob.next(Renamed) == Renamed(you="bob")
            await ada.presence(ada.you, "bob")
        await ada.presence(ada.you)


def expected_code(server: Server, code: int) -> int:
    """The documented close code: daphne can only send 4000 + (code - 1000)."""
    return code + 3000 if server == "daphne" else code


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        pytest.param("not json", 1007, id="not-json"),
        pytest.param('{"type": "shout"}', 1007, id="unknown-type"),
        pytest.param('{"type": "message", "text": 42}', 1007, id="wrong-type"),
        pytest.param(
            '{"type": "message", "text": "' + "x" * (MAX_TEXT + 1) + '"}',
            1007,
            id="line-too-long",
        ),
        pytest.param(b"\x00binary", 1003, id="binary"),
    ],
)
async def test_invalid_frames_get_the_documented_close_code(
    chat_server: tuple[Server, int], frame: str | bytes, code: int
) -> None:
    server, port = chat_server
    room = new_room()
    async with ChatClient(port, room) as bystander:
        async with ChatClient(port, room) as offender:
            await bystander.presence(bystander.you, offender.you)
            await offender.socket.send(frame)
            assert await offender.close_code() == expected_code(server, code)
        await bystander.presence(bystander.you)
        await bystander.send(type="message", text="still served")
        assert (await bystander.next(Posted)).line.text == "still served"
    # ... and so are newcomers.
    async with ChatClient(port, room) as newcomer:
        assert newcomer.you


async def test_unknown_paths_are_refused(chat_server: tuple[Server, int]) -> None:
    _, port = chat_server
    origin = Origin(f"http://127.0.0.1:{port}")
    with pytest.raises(InvalidStatus) as refused:
        async with connect(f"ws://127.0.0.1:{port}/ws/nowhere/", origin=origin):
            pass
    assert refused.value.response.status_code == 403


def test_server_log_has_no_traceback(chat_server: tuple[Server, int]) -> None:
    server, port = chat_server
    log = (ROOT / "test-artifacts" / f"{server}-{port}.log").read_text()
    assert "Traceback" not in log, log
