"""``manage.py runworker CHANNEL [CHANNEL ...]``: run a :class:`~typedchannels.worker.Worker`."""

from __future__ import annotations

import asyncio
import logging
from argparse import ArgumentParser
from typing import Final, cast

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

from ...layers import DEFAULT_CHANNEL_LAYER, get_channel_layer
from ...types import ASGIApp, ChannelScope
from ...worker import Worker

logger: Final = logging.getLogger("typedchannels.worker")


class Command(BaseCommand):
    help = "Feed messages from named channel-layer channels to the ASGI application."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("channels", nargs="+", help="channel names to listen on")
        parser.add_argument(
            "--layer",
            default=DEFAULT_CHANNEL_LAYER,
            help="CHANNEL_LAYERS alias to use (default: %(default)s)",
        )
        parser.add_argument(
            "--application",
            default=None,
            help="dotted path of the ASGI app (default: settings.ASGI_APPLICATION)",
        )

    def handle(self, *args: object, **options: object) -> None:
        alias = cast("str", options["layer"])
        layer = get_channel_layer(alias)
        if layer is None:
            raise CommandError(
                f"runworker needs a channel layer: CHANNEL_LAYERS[{alias!r}] is not set"
            )
        path = options["application"] or getattr(settings, "ASGI_APPLICATION", None)
        if not isinstance(path, str):
            raise CommandError("set ASGI_APPLICATION or pass --application")
        try:
            application = cast("ASGIApp[ChannelScope]", import_string(path))
        except ImportError as exc:
            raise CommandError(
                f"cannot import ASGI application {path!r}: {exc}"
            ) from exc
        channels = cast("list[str]", options["channels"])
        logger.info("running worker for channels %s", channels)
        worker = Worker(application, channels, layer)
        asyncio.run(worker.run())
