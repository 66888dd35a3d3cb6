"""The chat room consumer: typed frames in and out, a group per room, presence.

Every frame a browser sends is decoded into a :data:`~.messages.ClientMsg`
before ``receive_json`` sees it; anything else (not JSON, an unknown
``type``, a missing field, an empty or too long line, a binary frame) is
answered by the base class's ``on_invalid_message``: a WARNING line in the
log and a close with 1007 (1003 for binary; on daphne, which cannot send
those codes, 4007/4003). The other members never notice.

Presence needs no shared state, so it works the same on one process or many
processes sharing Redis: a newcomer says ``presence.hello`` to the room, every
member answers ``presence.here`` on the newcomer's own channel, and a leaver
says ``presence.bye``.
"""

from __future__ import annotations

import secrets

from typing_extensions import TypedDict, assert_never

from typedchannels.generic.websocket import AsyncJsonWebsocketConsumer
from typedchannels.layers import group_send_to, require_channel_layer, send_to
from typedchannels.types import ChannelLayer, RoutedAuthWebSocketScope

from .history import recent_lines, store_line
from .messages import (
    ByeEvent,
    ClientMsg,
    HelloEvent,
    HereEvent,
    Join,
    Line,
    LineEvent,
    Posted,
    Presence,
    Problem,
    Renamed,
    Say,
    ServerMsg,
    StartTyping,
    Typing,
    TypingEvent,
    Welcome,
)

#: Room names are URL slugs of at most this many characters (group names
#: must stay under 100).
MAX_ROOM = 80


class RoomKwargs(TypedDict):
    """What the route ``ws/chat/<slug:room>/`` captures."""

    room: str


#: Routed by URLRouter behind AuthMiddlewareStack: url_route, session and user.
ChatScope = RoutedAuthWebSocketScope[RoomKwargs]


def group_for(room: str) -> str:
    """The channel-layer group of a room."""
    return f"chat.{room}"


class ChatConsumer(AsyncJsonWebsocketConsumer[ClientMsg, ServerMsg, ChatScope]):
    """One browser tab in one room."""

    room: str
    group: str
    name: str
    logged_in: bool
    #: Who is in the room, by their consumers' channel names.
    members: dict[str, str]

    def __init__(self, *, keep_history: bool = True) -> None:
        """``keep_history=False`` (``ChatConsumer.as_asgi(keep_history=False)``)
        keeps lines out of the database: rooms start empty."""
        super().__init__()
        self.keep_history = keep_history

    @property
    def layer(self) -> ChannelLayer:
        """The channel layer (the demo cannot work without one)."""
        layer = self.channel_layer
        return require_channel_layer() if layer is None else layer

    async def connect(self) -> None:
        self.room = self.scope["url_route"]["kwargs"]["room"]
        if len(self.room) > MAX_ROOM:
            await self.close()  # before accept: the handshake gets a 403
            return
        self.group = group_for(self.room)
        user = self.scope["user"]
        self.logged_in = user.is_authenticated
        self.name = (
            user.get_username() if self.logged_in else f"guest-{secrets.token_hex(2)}"
        )
        self.members = {self.channel_name: self.name}
        await self.layer.group_add(self.group, self.channel_name)
        await self.accept()
        history = await recent_lines(self.room) if self.keep_history else []
        await self.send_json(Welcome(room=self.room, you=self.name, history=history))
        await group_send_to(
            self.layer,
            self.group,
            ChatConsumer.presence_hello,
            {"type": "presence.hello", "channel": self.channel_name, "name": self.name},
        )

    async def disconnect(self, code: int) -> None:
        if not hasattr(self, "group"):
            return  # refused before joining
        await self.layer.group_discard(self.group, self.channel_name)
        await group_send_to(
            self.layer,
            self.group,
            ChatConsumer.presence_bye,
            {"type": "presence.bye", "channel": self.channel_name},
        )

    async def receive_json(self, content: ClientMsg) -> None:
        match content:
            case Say(text=text):
                await self._post(text)
            case StartTyping(active=active):
                await group_send_to(
                    self.layer,
                    self.group,
                    ChatConsumer.chat_typing,
                    {
                        "type": "chat.typing",
                        "channel": self.channel_name,
                        "name": self.name,
                        "active": active,
                    },
                )
            case Join(name=name):
                await self._rename(name)
            case _:
                assert_never(content)

    async def _post(self, text: str) -> None:
        if self.keep_history:
            line = await store_line(self.room, self.name, text)
        else:
            line = Line(id=0, author=self.name, text=text, sent_at="")
        # group_send_to checks the event against the handler that will get
        # it (a misspelled key or handler is a type error in both checkers).
        await group_send_to(
            self.layer,
            self.group,
            ChatConsumer.chat_line,
            {
                "type": "chat.line",
                "id": line.id,
                "author": line.author,
                "text": line.text,
                "sent_at": line.sent_at,
            },
        )

    async def _rename(self, name: str) -> None:
        if self.logged_in:
            await self.send_json(Problem(detail="signed-in users keep their username"))
            return
        self.name = name
        self.members[self.channel_name] = name
        await self.send_json(Renamed(you=name))
        await group_send_to(
            self.layer,
            self.group,
            ChatConsumer.presence_here,
            {"type": "presence.here", "channel": self.channel_name, "name": name},
        )

    # --- channel layer events (handler name = type with "." -> "_") ---------

    async def chat_line(self, event: LineEvent) -> None:
        """A line for the room: show it."""
        line = Line(
            id=event["id"],
            author=event["author"],
            text=event["text"],
            sent_at=event["sent_at"],
        )
        await self.send_json(Posted(line=line))

    async def chat_typing(self, event: TypingEvent) -> None:
        """Someone's typing state: show it to everyone else."""
        if event["channel"] != self.channel_name:
            await self.send_json(Typing(name=event["name"], active=event["active"]))

    async def presence_hello(self, event: HelloEvent) -> None:
        """A newcomer: remember them and tell them we are here."""
        self.members[event["channel"]] = event["name"]
        if event["channel"] != self.channel_name:
            await send_to(
                self.layer,
                event["channel"],
                ChatConsumer.presence_here,
                {
                    "type": "presence.here",
                    "channel": self.channel_name,
                    "name": self.name,
                },
            )
        await self._send_presence()

    async def presence_here(self, event: HereEvent) -> None:
        """A member answered our hello (or renamed themselves)."""
        self.members[event["channel"]] = event["name"]
        await self._send_presence()

    async def presence_bye(self, event: ByeEvent) -> None:
        """A member left."""
        if self.members.pop(event["channel"], None) is not None:
            await self._send_presence()

    async def _send_presence(self) -> None:
        await self.send_json(Presence(users=sorted(self.members.values())))
