"""The test project's ASGI application, in the documented order."""

from __future__ import annotations

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.django_project.settings")
# First: sets Django up, so the imports below may import models.
django_asgi_app = get_asgi_application()

from typedchannels.auth import AuthMiddlewareStack  # noqa: E402  # after setup
from typedchannels.routing import ProtocolTypeRouter, URLRouter, path  # noqa: E402
from typedchannels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from .consumers import Echo, WhoAmI  # noqa: E402

websocket_urlpatterns = [
    path("ws/whoami/", WhoAmI.as_asgi()),
    path("ws/echo/", Echo.as_asgi()),
]

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)
