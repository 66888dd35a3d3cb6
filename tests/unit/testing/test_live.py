"""The live server: the test project over real HTTP and WebSockets (uvicorn)."""

from __future__ import annotations

import asyncio
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from django.conf import settings
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus
from websockets.typing import Origin

from tests.support.django_users import new_logged_in_session_key, users
from typedchannels.testing.live import ChannelsLiveServer, ChannelsLiveServerTestCase


@pytest.fixture(scope="module")
def server() -> Iterator[ChannelsLiveServer]:
    with ChannelsLiveServer() as live:
        yield live


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # a local URL
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_it_listens_on_a_free_local_port(server: ChannelsLiveServer) -> None:
    assert server.url == f"http://127.0.0.1:{server.port}"
    assert server.ws_url == f"ws://127.0.0.1:{server.port}"
    assert server.port > 0


async def test_static_files_are_served(server: ChannelsLiveServer) -> None:
    status, body = await asyncio.to_thread(
        fetch, f"{server.url}/static/typedchannels-test.txt"
    )
    assert status == 200
    assert body == b"static file served by the live server\n"


async def test_django_views_are_served(server: ChannelsLiveServer) -> None:
    status, _ = await asyncio.to_thread(fetch, f"{server.url}/login/?username=x")
    assert status == 403  # the project's view refusing unknown credentials


async def test_a_websocket_from_the_sites_own_origin(
    server: ChannelsLiveServer,
) -> None:
    origin = f"http://127.0.0.1:{server.port}"
    async with connect(f"{server.ws_url}/ws/echo/", origin=Origin(origin)) as ws:
        await ws.send("hello")
        assert await ws.recv() == "hello"


async def test_cross_site_hijacking_gets_a_403_from_the_server(
    server: ChannelsLiveServer,
) -> None:
    with pytest.raises(InvalidStatus) as info:
        async with connect(
            f"{server.ws_url}/ws/whoami/", origin=Origin("https://evil.example.net")
        ):
            pass
    assert info.value.response.status_code == 403


@pytest.mark.usefixtures("db")
async def test_a_logged_in_browser_is_recognised_over_the_wire(
    server: ChannelsLiveServer,
) -> None:
    key = await new_logged_in_session_key("wire")
    cookie = f"{settings.SESSION_COOKIE_NAME}={key}"
    origin = f"http://localhost:{server.port}"
    async with connect(
        f"{server.ws_url}/ws/whoami/",
        origin=Origin(origin),
        additional_headers={"Cookie": cookie},
    ) as ws:
        assert await ws.recv() == "wire"


def test_stopping_frees_the_port() -> None:
    live = ChannelsLiveServer()
    live.start()
    port = live.port
    live.stop()
    live.stop()  # idempotent
    status: int | None = None
    try:
        fetch(f"http://127.0.0.1:{port}/static/typedchannels-test.txt")
    except urllib.error.URLError:
        status = -1
    assert status == -1


class LiveServerTestCase(ChannelsLiveServerTestCase):
    def test_the_class_serves_the_project(self) -> None:
        assert self.live_server_url.startswith("http://127.0.0.1:")
        assert self.live_server_ws_url == "ws" + self.live_server_url.removeprefix(
            "http"
        )
        status, body = fetch(f"{self.live_server_url}/static/typedchannels-test.txt")
        assert status == 200
        assert body.startswith(b"static file")

    def test_committed_data_is_visible_to_the_server(self) -> None:
        users().create_user(username="tc", password="pw")
        status, body = fetch(f"{self.live_server_url}/login/?username=tc&password=pw")
        assert (status, body) == (200, b"ok")
