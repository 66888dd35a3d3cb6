"""Any frame leads to exactly one of receive_json or on_invalid_message."""

from __future__ import annotations

import asyncio
from typing import Union

import msgspec
from hypothesis import given, settings
from hypothesis import strategies as st

from typedchannels.exceptions import InvalidFrame
from typedchannels.generic.websocket import AsyncJsonWebsocketConsumer
from typedchannels.types import (
    ASGISendEvent,
    RoutedWebSocketScope,
    WebSocketReceiveEvent,
)


class Join(msgspec.Struct, tag_field="type", tag="join", forbid_unknown_fields=True):
    room: str


class Say(msgspec.Struct, tag_field="type", tag="say"):
    text: str
    n: int = 0


class Recorder(AsyncJsonWebsocketConsumer[Union[Join, Say], Say]):
    max_message_size = 64

    def __init__(self) -> None:
        self.outcomes: list[object] = []

    async def receive_json(self, content: Join | Say) -> None:
        self.outcomes.append(content)

    async def on_invalid_message(self, error: InvalidFrame) -> None:
        self.outcomes.append(error)
        await super().on_invalid_message(error)


SCOPE: RoutedWebSocketScope = {
    "type": "websocket",
    "asgi": {"version": "3.0"},
    "path": "/",
    "headers": [],
    "url_route": {"args": (), "kwargs": {}},
}

json_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["type", "room", "text", "n", "x"]), inner, max_size=4
        )
    ),
    max_leaves=6,
)


def tagged(kind: str, value: object) -> WebSocketReceiveEvent:
    """A frame with a known or unknown tag and a field of any JSON type."""
    payload = {"type": kind, "room": value, "text": value}
    return {"type": "websocket.receive", "text": msgspec.json.encode(payload).decode()}


frames = st.one_of(
    st.text(max_size=80).map(lambda text: {"type": "websocket.receive", "text": text}),
    st.binary(max_size=80).map(
        lambda data: {"type": "websocket.receive", "bytes": data}
    ),
    json_like.map(
        lambda value: {
            "type": "websocket.receive",
            "text": msgspec.json.encode(value).decode(),
        }
    ),
    st.builds(tagged, st.sampled_from(["join", "say", "other"]), json_like),
)


async def feed(frame: WebSocketReceiveEvent) -> Recorder:
    consumer = Recorder()
    sent: list[ASGISendEvent] = []

    async def send(event: ASGISendEvent) -> None:
        sent.append(event)

    consumer.scope = SCOPE
    consumer.base_send = send
    await consumer.dispatch(frame)
    return consumer


@settings(max_examples=300, deadline=None)
@given(frames)
def test_every_frame_is_decoded_or_refused_never_raised(
    frame: WebSocketReceiveEvent,
) -> None:
    consumer = asyncio.run(feed(frame))
    [outcome] = consumer.outcomes
    if isinstance(outcome, InvalidFrame):
        assert outcome.close_code in (1003, 1007, 1009)
    else:
        assert isinstance(outcome, (Join, Say))
        assert (
            msgspec.json.decode(frame.get("text") or "", type=Union[Join, Say])
            == outcome
        )
