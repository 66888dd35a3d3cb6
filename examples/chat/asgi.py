"""The demo's ASGI application, as a Channels user would write ``asgi.py``.

``get_asgi_application()`` runs first: it sets Django up, so the consumers
(which import models) can be imported after it.
"""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "examples.chat.settings")

from django.core.asgi import get_asgi_application

django_asgi_app = get_asgi_application()

from typedchannels.auth import AuthMiddlewareStack  # noqa: E402
from typedchannels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from typedchannels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from .routing import websocket_urlpatterns  # noqa: E402

# The consumer reads scope["user"]: without AuthMiddlewareStack this line is
# a type error. The origin check refuses pages of other sites (which would
# carry the user's session cookie) before the handshake is accepted.
application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)
