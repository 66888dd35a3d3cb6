"""Worker: named channels fed to a ChannelNameRouter app; clean shutdown; runworker."""

from __future__ import annotations

import asyncio
import os
import signal

import pytest
from django.core.management import CommandError, call_command

from typedchannels.consumer import AsyncConsumer
from typedchannels.exceptions import InvalidChannelName
from typedchannels.layers import InMemoryChannelLayer
from typedchannels.management.commands.runworker import Command
from typedchannels.routing import ChannelNameRouter
from typedchannels.types import ChannelScope
from typedchannels.worker import Worker

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.django_settings")

pytestmark = pytest.mark.timeout(30)

seen: asyncio.Queue[tuple[str, str, object]]


class Thumbnailer(AsyncConsumer[ChannelScope]):
    async def thumbnail_make(self, message: dict[str, object]) -> None:
        seen.put_nowait((self.scope["channel"], "thumbnail", message["id"]))


class Mailer(AsyncConsumer[ChannelScope]):
    channel_layer_alias = None

    async def mail_send(self, message: dict[str, object]) -> None:
        seen.put_nowait((self.scope["channel"], "mail", message["to"]))


async def test_worker_feeds_each_channel_to_its_app_and_stops() -> None:
    global seen
    seen = asyncio.Queue()
    layer = InMemoryChannelLayer()
    app = ChannelNameRouter(
        {"thumbnails": Thumbnailer.as_asgi(), "mail": Mailer.as_asgi()}
    )
    worker = Worker(app, ["thumbnails", "mail"], layer)
    running = asyncio.ensure_future(worker.run(handle_signals=False))
    await layer.send("thumbnails", {"type": "thumbnail.make", "id": 1})
    await layer.send("mail", {"type": "mail.send", "to": "a@example.com"})
    await layer.send("thumbnails", {"type": "thumbnail.make", "id": 2})
    got = {await asyncio.wait_for(seen.get(), 5) for _ in range(3)}
    assert got == {
        ("thumbnails", "thumbnail", 1),
        ("thumbnails", "thumbnail", 2),
        ("mail", "mail", "a@example.com"),
    }
    worker.stop()
    await asyncio.wait_for(running, 5)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
async def test_worker_stops_cleanly_on_signals(signum: signal.Signals) -> None:
    worker = Worker(
        ChannelNameRouter({"x": Mailer.as_asgi()}), ["x"], InMemoryChannelLayer()
    )
    running = asyncio.ensure_future(worker.run())
    await asyncio.sleep(0.05)
    os.kill(os.getpid(), signum)
    await asyncio.wait_for(running, 5)
    assert running.exception() is None


def test_worker_rejects_bad_channel_lists() -> None:
    app = ChannelNameRouter({"x": Mailer.as_asgi()})
    layer = InMemoryChannelLayer()
    with pytest.raises(ValueError, match="one or more"):
        Worker(app, [], layer)
    with pytest.raises(ValueError, match="process-specific"):
        Worker(app, ["a!b"], layer)
    with pytest.raises(InvalidChannelName):
        Worker(app, ["bad name"], layer)


def test_runworker_needs_a_configured_layer() -> None:
    with pytest.raises(CommandError, match=r"CHANNEL_LAYERS\['nope'\]"):
        call_command(Command(), "jobs", layer="nope")
