"""The core serves any ASGI app: it imports and runs with no Django settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROGRAM = """
import asyncio

from typedchannels.generic.websocket import AsyncJsonWebsocketConsumer
from typedchannels.layers import InMemoryChannelLayer, set_channel_layer
from typedchannels.routing import ProtocolTypeRouter, URLRouter, path
from typedchannels.testing import WebsocketCommunicator
from typedchannels.types import HTTPScope, Receive, Send


class Echo(AsyncJsonWebsocketConsumer):
    groups = ("everyone",)

    async def receive_json(self, content):
        await self.send_json({"echo": content, "room": self.scope["url_route"]["kwargs"]["room"]})


async def http(scope: HTTPScope, receive: Receive, send: Send) -> None: ...


async def main() -> None:
    set_channel_layer(InMemoryChannelLayer())
    app = ProtocolTypeRouter(
        {"http": http, "websocket": URLRouter([path("ws/<str:room>/", Echo.as_asgi())])}
    )
    comm = WebsocketCommunicator(app, "/ws/lobby/")
    connected, _ = await comm.connect()
    assert connected
    await comm.send_json_to([1, 2])
    print(await comm.receive_json_from())
    await comm.disconnect()
    from django.conf import settings
    print("settings configured:", settings.configured)


asyncio.run(main())
"""


def test_core_runs_without_django_settings() -> None:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["PYTHONPATH"] = str(ROOT)
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", PROGRAM],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "{'echo': [1, 2], 'room': 'lobby'}",
        "settings configured: False",
    ]
