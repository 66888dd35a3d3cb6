import msgspec
from typing_extensions import TypedDict

from typedchannels.generic.websocket import AsyncJsonWebsocketConsumer
from typedchannels.routing import URLRouter, path
from typedchannels.types import RoutedWebSocketScope


class Say(msgspec.Struct, tag_field="type", tag="say"):
    text: str


class Said(msgspec.Struct, tag_field="type", tag="said"):
    room: str
    text: str


class RoomKwargs(TypedDict):
    room: str


class Room(AsyncJsonWebsocketConsumer[Say, Said, RoutedWebSocketScope[RoomKwargs]]):
    async def receive_json(self, content: Say) -> None:  # decoded and validated
        room = self.scope["url_route"]["kwargs"]["room"]  # a str, checked
        await self.send_json(Said(room=room, text=content.text))


router = URLRouter([path("ws/<str:room>/", Room.as_asgi())])  # checked routing
