"""The chat demo's consumer as the load benchmark serves it (no history writes).

``uvicorn bench._typed_chat:application``; the same routes and frames as
``examples.chat``, with ``ChatConsumer.as_asgi(keep_history=False)`` so the
benchmark measures the framework, not SQLite (the Channels twin in
``bench/_channels_chat.py`` stores nothing either).
"""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "examples.chat.settings")

from django.core.asgi import get_asgi_application

django_asgi_app = get_asgi_application()

from examples.chat.consumers import ChatConsumer  # noqa: E402
from typedchannels.auth import AuthMiddlewareStack  # noqa: E402
from typedchannels.routing import ProtocolTypeRouter, URLRouter, path  # noqa: E402
from typedchannels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(
                URLRouter(
                    [
                        path(
                            "ws/chat/<slug:room>/",
                            ChatConsumer.as_asgi(keep_history=False),
                        )
                    ]
                )
            )
        ),
    }
)
