"""The JSON chat example runs as its docs say."""

from __future__ import annotations

from examples.json_chat import ChatRoom, Error, Joined, Said, demo
from typedchannels.testing import WebsocketCommunicator


async def test_chat_example_answers_and_reports_bad_frames() -> None:
    assert await demo() == [
        Joined(name="ada"),
        Said(name="ada", text="hello"),
        Error(detail="Expected `str`, got `int` - at `$.text`"),
    ]


async def test_default_room_closes_on_bad_frames() -> None:
    comm = WebsocketCommunicator(ChatRoom.as_asgi(), "/ws/chat/")
    await comm.connect()
    await comm.send_to(text_data='{"type": "chat.shout"}')
    close = await comm.receive_output()
    assert close["type"] == "websocket.close"
    assert close.get("code") == 1007
    await comm.disconnect(1007)
