"""The chat demo's consumer written on Channels 4.3, frame for frame (bench only).

``uvicorn bench._channels_chat:application``. Same routes, frames, groups and
presence protocol as ``examples.chat.consumers.ChatConsumer`` with
``keep_history=False``, on Channels' ``AsyncJsonWebsocketConsumer`` and its
``InMemoryChannelLayer``, as a Channels user would write it. Channels ships
no types, so the consumer is assembled from typed functions over a Protocol
of what they use, and the checkers see the Channels classes as ``object``.
"""

from __future__ import annotations

import importlib
import os
import secrets
from collections.abc import Awaitable, Callable, Mapping
from typing import Protocol, cast

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench._channels_settings")

from django.core.asgi import get_asgi_application

django_asgi_app = get_asgi_application()


class _Layer(Protocol):
    async def group_add(self, group: str, channel: str) -> None: ...
    async def group_discard(self, group: str, channel: str) -> None: ...
    async def group_send(self, group: str, message: Mapping[str, object]) -> None: ...
    async def send(self, channel: str, message: Mapping[str, object]) -> None: ...


class _Consumer(Protocol):
    """What the handlers use of a Channels ``AsyncJsonWebsocketConsumer``."""

    scope: dict[str, object]
    channel_layer: _Layer
    channel_name: str
    room: str
    group: str
    name: str
    members: dict[str, str]

    async def accept(self) -> None: ...
    async def close(self) -> None: ...
    async def send_json(self, content: object, close: bool = False) -> None: ...


async def connect(self: _Consumer) -> None:
    route = cast("dict[str, dict[str, str]]", self.scope["url_route"])
    self.room = route["kwargs"]["room"]
    if len(self.room) > 80:
        await self.close()
        return
    self.group = f"chat.{self.room}"
    self.name = f"guest-{secrets.token_hex(2)}"
    self.members = {self.channel_name: self.name}
    await self.channel_layer.group_add(self.group, self.channel_name)
    await self.accept()
    await self.send_json(
        {"type": "welcome", "room": self.room, "you": self.name, "history": []}
    )
    await self.channel_layer.group_send(
        self.group,
        {"type": "presence.hello", "channel": self.channel_name, "name": self.name},
    )


async def disconnect(self: _Consumer, code: int) -> None:
    if not hasattr(self, "group"):
        return
    await self.channel_layer.group_discard(self.group, self.channel_name)
    await self.channel_layer.group_send(
        self.group, {"type": "presence.bye", "channel": self.channel_name}
    )


_NAME_CHARS = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_ .-"
)


async def receive_json(self: _Consumer, content: object, **kwargs: object) -> None:
    # What msgspec does for the typed consumer, by hand: Channels passes
    # whatever json.loads returned.
    if not isinstance(content, dict):
        await self.close()
        return
    message = cast("dict[str, object]", content)
    kind = message.get("type")
    if kind == "message":
        text = message.get("text")
        if not isinstance(text, str) or not 1 <= len(text) <= 2000:
            await self.close()
            return
        await self.channel_layer.group_send(
            self.group,
            {
                "type": "chat.line",
                "id": 0,
                "author": self.name,
                "text": text,
                "sent_at": "",
            },
        )
    elif kind == "typing":
        active = message.get("active")
        if not isinstance(active, bool):
            await self.close()
            return
        await self.channel_layer.group_send(
            self.group,
            {
                "type": "chat.typing",
                "channel": self.channel_name,
                "name": self.name,
                "active": active,
            },
        )
    elif kind == "join":
        name = message.get("name")
        if (
            not isinstance(name, str)
            or not 1 <= len(name) <= 40
            or set(name) - _NAME_CHARS
        ):
            await self.close()
            return
        self.name = name
        self.members[self.channel_name] = name
        await self.send_json({"type": "renamed", "you": name})
        await self.channel_layer.group_send(
            self.group,
            {"type": "presence.here", "channel": self.channel_name, "name": name},
        )
    else:
        await self.close()


async def chat_line(self: _Consumer, event: dict[str, object]) -> None:
    line = {key: event[key] for key in ("id", "author", "text", "sent_at")}
    await self.send_json({"type": "message", "line": line})


async def chat_typing(self: _Consumer, event: dict[str, object]) -> None:
    if event["channel"] != self.channel_name:
        await self.send_json(
            {"type": "typing", "name": event["name"], "active": event["active"]}
        )


async def _send_presence(self: _Consumer) -> None:
    await self.send_json({"type": "presence", "users": sorted(self.members.values())})


async def presence_hello(self: _Consumer, event: dict[str, object]) -> None:
    channel, name = str(event["channel"]), str(event["name"])
    self.members[channel] = name
    if channel != self.channel_name:
        await self.channel_layer.send(
            channel,
            {"type": "presence.here", "channel": self.channel_name, "name": self.name},
        )
    await _send_presence(self)


async def presence_here(self: _Consumer, event: dict[str, object]) -> None:
    self.members[str(event["channel"])] = str(event["name"])
    await _send_presence(self)


async def presence_bye(self: _Consumer, event: dict[str, object]) -> None:
    if self.members.pop(str(event["channel"]), None) is not None:
        await _send_presence(self)


def _build() -> object:
    generic = importlib.import_module("channels.generic.websocket")
    routing = importlib.import_module("channels.routing")
    urls = importlib.import_module("django.urls")
    base: object = getattr(generic, "AsyncJsonWebsocketConsumer")  # noqa: B009
    if not isinstance(base, type):
        raise TypeError("channels.generic.websocket.AsyncJsonWebsocketConsumer")
    handlers = {
        "connect": connect,
        "disconnect": disconnect,
        "receive_json": receive_json,
        "chat_line": chat_line,
        "chat_typing": chat_typing,
        "presence_hello": presence_hello,
        "presence_here": presence_here,
        "presence_bye": presence_bye,
    }
    consumer = type("ChannelsChatConsumer", (base,), handlers)
    as_asgi = cast("Callable[[], object]", getattr(consumer, "as_asgi"))  # noqa: B009
    make_path = cast("Callable[[str, object], object]", getattr(urls, "re_path"))  # noqa: B009
    url_router = cast("Callable[[list[object]], object]", getattr(routing, "URLRouter"))  # noqa: B009
    protocol_router = cast(
        "Callable[[dict[str, object]], object]",
        getattr(routing, "ProtocolTypeRouter"),  # noqa: B009
    )
    auth = importlib.import_module("channels.auth")
    security = importlib.import_module("channels.security.websocket")
    wrap = cast("Callable[[object], object]", getattr(auth, "AuthMiddlewareStack"))  # noqa: B009
    origin = cast(
        "Callable[[object], object]",
        getattr(security, "AllowedHostsOriginValidator"),  # noqa: B009
    )
    route = make_path(r"^ws/chat/(?P<room>[-a-zA-Z0-9_]+)/$", as_asgi())
    # The same stack as the typed demo: origin check, then the auth stack.
    websocket = origin(wrap(url_router([route])))
    return protocol_router({"http": django_asgi_app, "websocket": websocket})


application = cast("Callable[..., Awaitable[None]]", _build())
