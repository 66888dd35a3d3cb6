"""The hello example behind real ASGI servers, driven by a real websocket client."""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from tests.support.servers import ROOT, SERVERS, Server, running_server


@pytest.fixture(scope="module", params=SERVERS)
def hello_port(request: pytest.FixtureRequest) -> Iterator[tuple[Server, int]]:
    server: Server = request.param
    with running_server(server, "examples.hello:application") as port:
        yield server, port


def test_page_is_served(hello_port: tuple[Server, int]) -> None:
    _, port = hello_port
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
        assert response.status == 200
        assert b"typedchannels echo" in response.read()


async def test_websocket_echo_with_route_kwargs(hello_port: tuple[Server, int]) -> None:
    _, port = hello_port
    async with connect(f"ws://127.0.0.1:{port}/ws/echo/shout/") as socket:
        await socket.send("hello")
        assert await socket.recv() == "HELLO"
    async with connect(f"ws://127.0.0.1:{port}/ws/echo/quiet/") as socket:
        await socket.send("hello")
        assert await socket.recv() == "hello"


async def test_unrouted_websocket_is_refused_with_403(
    hello_port: tuple[Server, int],
) -> None:
    _, port = hello_port
    with pytest.raises(InvalidStatus) as refused:
        async with connect(f"ws://127.0.0.1:{port}/ws/nowhere/"):
            pass
    assert refused.value.response.status_code == 403


def test_lifespan_startup_did_not_fail(hello_port: tuple[Server, int]) -> None:
    server, port = hello_port
    log = (ROOT / "test-artifacts" / f"{server}-{port}.log").read_text()
    assert "Traceback" not in log
    assert "lifespan" not in log.lower() or "unsupported" not in log.lower()
