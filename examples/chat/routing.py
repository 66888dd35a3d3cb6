"""The demo's websocket routes (the HTTP side is Django's, in ``urls.py``)."""

from __future__ import annotations

from typedchannels.routing import path

from .consumers import ChatConsumer

websocket_urlpatterns = [
    path("ws/chat/<slug:room>/", ChatConsumer.as_asgi()),
]
