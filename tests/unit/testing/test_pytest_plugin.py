"""The pytest plugin, run in a pytest of its own (pytester)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

CONFTEST = """
import django

django.setup()
"""

TESTS = """
import asyncio
import urllib.request

from django.conf import settings
from websockets.asyncio.client import connect
from websockets.typing import Origin

from tests.django_project.consumers import Echo
from typedchannels.layers import InMemoryChannelLayer, get_channel_layer


async def test_layer_is_the_default(channel_layer):
    assert get_channel_layer() is channel_layer
    await channel_layer.send("test.one", {"type": "hello"})
    assert (await channel_layer.receive("test.one"))["type"] == "hello"


seen = []


def test_each_test_gets_a_new_layer(channel_layer):
    seen.append(channel_layer)
    assert len(seen) == 1 or seen[0] is not seen[-1]


def test_each_test_gets_a_new_layer_again(channel_layer):
    seen.append(channel_layer)
    assert seen[0] is not seen[-1]


def test_layer_is_gone_after_the_test():
    assert get_channel_layer() is None


def test_override_channel_layers(override_channel_layers):
    override_channel_layers(
        {"default": {"BACKEND": "typedchannels.layers.InMemoryChannelLayer"}}
    )
    assert isinstance(get_channel_layer(), InMemoryChannelLayer)


def test_the_override_ends_with_the_test():
    assert not hasattr(settings, "CHANNEL_LAYERS")
    assert get_channel_layer() is None


async def test_websocket_communicator(websocket_communicator):
    comm = websocket_communicator(Echo.as_asgi(), "/")
    assert (await comm.connect()).accepted
    await comm.send_to(text_data="hi")
    assert await comm.receive_from() == "hi"
    # left connected: the fixture stops the app


async def http_app(scope, receive, send):
    await receive()
    await send({"type": "http.response.start", "status": 204})
    await send({"type": "http.response.body"})


async def test_http_communicator(http_communicator):
    response = await http_communicator(http_app, "GET", "/").get_response()
    assert response["status"] == 204


def test_live_server_url_serves_static_files(live_server_url):
    url = live_server_url + "/static/typedchannels-test.txt"
    with urllib.request.urlopen(url, timeout=5) as response:
        assert response.read().startswith(b"static file")


async def test_live_server_ws_url(live_server_ws_url, channels_live_server):
    origin = Origin(channels_live_server.url)
    async with connect(live_server_ws_url + "/ws/echo/", origin=origin) as ws:
        await ws.send("over the wire")
        assert await ws.recv() == "over the wire"


async def test_daphne_server(channels_daphne_server):
    origin = Origin(channels_daphne_server.url)
    async with connect(channels_daphne_server.ws_url + "/ws/echo/", origin=origin) as ws:
        await ws.send("over daphne")
        assert await ws.recv() == "over daphne"
"""


@pytest.mark.timeout(120)
def test_the_fixtures_in_a_project(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_project=TESTS)
    pytester.makeini(
        "[pytest]\nasyncio_mode = auto\n"
        "asyncio_default_fixture_loop_scope = function\nfilterwarnings = error\n"
    )
    env_path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    monkeypatch.setenv("PYTHONPATH", env_path)
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "tests.django_project.settings")
    result = pytester.runpytest_subprocess(
        "-p", "typedchannels.testing.pytest_plugin", "-p", "no:cacheprovider"
    )
    result.assert_outcomes(passed=11)
