"""The daphne live server: the test project over real HTTP and WebSockets."""

from __future__ import annotations

import asyncio
import urllib.request
from collections.abc import Iterator

import pytest
from django.test import override_settings
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus
from websockets.typing import Origin

from typedchannels.exceptions import ConfigurationError
from typedchannels.testing.live import DaphneLiveServer


@pytest.fixture(scope="module")
def daphne() -> Iterator[DaphneLiveServer]:
    with DaphneLiveServer() as live:
        yield live


def fetch(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:  # a local URL
        return response.status, response.read()


async def test_static_files_are_served_by_daphne(daphne: DaphneLiveServer) -> None:
    status, body = await asyncio.to_thread(
        fetch, f"{daphne.url}/static/typedchannels-test.txt"
    )
    assert (status, body) == (200, b"static file served by the live server\n")


async def test_a_websocket_through_daphne(daphne: DaphneLiveServer) -> None:
    origin = Origin(f"http://127.0.0.1:{daphne.port}")
    async with connect(f"{daphne.ws_url}/ws/echo/", origin=origin) as ws:
        await ws.send("over daphne")
        assert await ws.recv() == "over daphne"


async def test_daphne_refuses_a_foreign_origin(daphne: DaphneLiveServer) -> None:
    with pytest.raises(InvalidStatus) as refused:
        async with connect(
            f"{daphne.ws_url}/ws/echo/", origin=Origin("https://evil.invalid")
        ):
            pass
    assert refused.value.response.status_code == 403


def test_a_bad_application_path_is_reported() -> None:
    server = DaphneLiveServer("no.such.module.application")
    with pytest.raises(RuntimeError, match="daphne did not start"):
        server.start()
    server.stop()  # idempotent


def test_an_application_is_needed() -> None:
    with (
        override_settings(ASGI_APPLICATION=None),
        pytest.raises(ConfigurationError, match="needs ASGI_APPLICATION"),
    ):
        DaphneLiveServer().start()
