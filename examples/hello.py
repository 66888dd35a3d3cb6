"""The smallest typedchannels site: a page and an echo WebSocket, on uvicorn.

Run it with ``make demo`` (or ``python -m examples.hello``) and open
http://127.0.0.1:8000/. No Django settings needed: the ``http`` slot takes
any typed ASGI app (with Django it is ``get_asgi_application()``).
"""

from __future__ import annotations

import os

from typedchannels.generic.websocket import AsyncWebsocketConsumer
from typedchannels.routing import ProtocolTypeRouter, URLRouter, path
from typedchannels.types import HTTPScope, Receive, RoutedWebSocketScope, Send

PAGE = b"""<!doctype html>
<meta charset="utf-8"><title>typedchannels echo</title>
<h1>typedchannels echo</h1>
<form id="f"><input id="text" autocomplete="off" autofocus><button>Send</button></form>
<ul id="log"></ul>
<script>
const socket = new WebSocket(`ws://${location.host}/ws/echo/shout/`);
const log = (line) => {
  const item = document.createElement("li");
  item.textContent = line;
  document.getElementById("log").append(item);
};
socket.onmessage = (event) => log(event.data);
document.getElementById("f").onsubmit = (event) => {
  event.preventDefault();
  socket.send(document.getElementById("text").value);
};
</script>
"""


class EchoConsumer(AsyncWebsocketConsumer[RoutedWebSocketScope]):
    """Echoes each text frame, upper-cased when the route says ``shout``."""

    async def receive(
        self, text_data: str | None = None, bytes_data: bytes | None = None
    ) -> None:
        if text_data is None:
            await self.close(code=1003)
            return
        mode = self.scope["url_route"]["kwargs"].get("mode")
        await self.send(text_data=text_data.upper() if mode == "shout" else text_data)


async def page(scope: HTTPScope, receive: Receive, send: Send) -> None:
    """Serves the page for ``/`` and a 404 for anything else."""
    found = scope["path"] == "/"
    await send(
        {
            "type": "http.response.start",
            "status": 200 if found else 404,
            "headers": [(b"content-type", b"text/html; charset=utf-8")],
        }
    )
    await send({"type": "http.response.body", "body": PAGE if found else b"Not Found"})


application = ProtocolTypeRouter(
    {
        "http": page,
        "websocket": URLRouter([path("ws/echo/<str:mode>/", EchoConsumer.as_asgi())]),
    }
)


def main() -> None:
    """Serve on 127.0.0.1 with uvicorn (port from ``PORT``, default 8000)."""
    import uvicorn

    uvicorn.run(application, host="127.0.0.1", port=int(os.environ.get("PORT", "8000")))


if __name__ == "__main__":
    main()
