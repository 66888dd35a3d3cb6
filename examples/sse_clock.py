"""Server-sent events from an HTTP consumer: a countdown streamed as typed events.

Route it with ``path("countdown/", Countdown.as_asgi())``; a browser reads it
with ``new EventSource("/countdown/?from=3")``. Run ``python -m examples.sse_clock``
to see the bytes it sends.
"""

from __future__ import annotations

import asyncio
from urllib.parse import parse_qs

import msgspec

from typedchannels.generic.http import AsyncHttpConsumer, ServerSentEvent
from typedchannels.testing import HttpCommunicator


class Tick(msgspec.Struct):
    remaining: int


class Countdown(AsyncHttpConsumer):
    #: Seconds between events (tests set it to 0).
    interval: float = 1.0

    async def handle(self, body: bytes) -> None:
        query = parse_qs(self.scope["query_string"].decode())
        start = int(query.get("from", ["3"])[0])
        await self.start_event_stream()
        for remaining in range(start, 0, -1):
            tick = msgspec.json.encode(Tick(remaining)).decode()
            await self.send_sse(
                ServerSentEvent(data=tick, event="tick", id=str(remaining))
            )
            await asyncio.sleep(self.interval)
        await self.send_sse(ServerSentEvent(data="liftoff", event="done"), last=True)


async def demo() -> bytes:
    """The whole stream for ``?from=2``, without a server."""

    class Fast(Countdown):
        interval = 0.0

    response = await HttpCommunicator(
        Fast.as_asgi(), "GET", "/countdown/?from=2"
    ).get_response()
    return response["body"]


if __name__ == "__main__":
    print(asyncio.run(demo()).decode())
