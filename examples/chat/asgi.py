"""The demo's ASGI application, as a Channels user would write ``asgi.py``.

``get_asgi_application()`` runs first: it sets Django up, so the consumers
(which import models) can be imported after it.
"""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "examples.chat.settings")

from django.core.asgi import get_asgi_application

django_asgi_app = get_asgi_application()

from typedchannels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from .routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": URLRouter(websocket_urlpatterns),
    }
)
