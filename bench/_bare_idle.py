"""A bare ASGI app that accepts websockets and idles: the server's own cost.

``bench/load.py`` serves it under the same uvicorn settings to measure what
uvicorn itself holds per connection, so each framework's own share can be
told apart from the server's.
"""

from __future__ import annotations

from typedchannels.types import Receive, Send, WebSocketScope


async def application(scope: WebSocketScope, receive: Receive, send: Send) -> None:
    """Accept, then wait for the disconnect."""
    await receive()
    await send({"type": "websocket.accept"})
    while (await receive())["type"] != "websocket.disconnect":
        pass
