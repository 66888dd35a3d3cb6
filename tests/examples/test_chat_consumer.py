"""The chat demo's consumer through the test communicators (no server)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from asgiref.sync import sync_to_async
from django.conf import settings
from typing_extensions import TypeVar

from examples.chat.consumers import MAX_ROOM, ChatConsumer
from examples.chat.messages import (
    MAX_TEXT,
    Join,
    Line,
    Posted,
    Presence,
    Problem,
    Renamed,
    Say,
    ServerMsg,
    StartTyping,
    Typing,
    Welcome,
)
from examples.chat.models import Message
from examples.chat.routing import websocket_urlpatterns
from tests.support.django_users import new_logged_in_session_key
from typedchannels.auth import AuthMiddlewareStack
from typedchannels.layers import InMemoryChannelLayer, set_channel_layer
from typedchannels.routing import URLRouter, path
from typedchannels.security.websocket import AllowedHostsOriginValidator
from typedchannels.testing import WebsocketCommunicator
from typedchannels.types import ASGIApp, WebSocketScope

pytestmark = pytest.mark.usefixtures("chat_tables", "layer")

_M = TypeVar("_M")

# The consumer reads scope["user"]: it is routed behind the auth stack, as
# in asgi.py (without it, these lines are type errors).
router = AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
no_history_router = AuthMiddlewareStack(
    URLRouter([path("ws/chat/<slug:room>/", ChatConsumer.as_asgi(keep_history=False))])
)


@pytest.fixture
def layer() -> InMemoryChannelLayer:
    layer = InMemoryChannelLayer()
    set_channel_layer(layer)
    return layer


def new_room() -> str:
    return "room-" + uuid.uuid4().hex[:8]


class Client:
    """One browser tab, speaking the demo's protocol."""

    you: str
    history: list[Line]

    def __init__(
        self,
        room: str,
        app: ASGIApp[WebSocketScope] = router,
        headers: list[tuple[bytes, bytes]] | None = None,
    ) -> None:
        self.comm = WebsocketCommunicator(app, f"/ws/chat/{room}/", headers=headers)

    async def open(self) -> str:
        """Connect and read the welcome; returns the name the server gave us."""
        connected = await self.comm.connect()
        assert connected.accepted
        welcome = await self.next(Welcome)
        self.you, self.history = welcome.you, welcome.history
        return self.you

    async def next(self, kind: type[_M], timeout: float = 1) -> _M:
        """The next frame of type ``kind``, skipping frames of other types."""
        while True:
            message = await self.comm.receive_json_from(timeout, type=ServerMsg)
            if isinstance(message, kind):
                return message

    async def presence(self, *names: str) -> None:
        """Wait until the presence list is exactly ``names``."""
        while (await self.next(Presence)).users != sorted(names):
            pass

    async def close_code(self) -> int | None:
        """The code of the close the server sent next (frames before it skipped)."""
        while True:
            event = await self.comm.receive_output()
            if event["type"] == "websocket.close":
                return event.get("code")

    async def leave(self) -> None:
        await self.comm.disconnect()


@pytest.fixture
async def pair() -> AsyncIterator[tuple[Client, Client]]:
    room = new_room()
    first, second = Client(room), Client(room)
    await first.open()
    await second.open()
    await first.presence(first.you, second.you)
    await second.presence(first.you, second.you)
    yield first, second
    for client in (first, second):
        if not client.comm.future.done():
            await client.leave()


async def test_a_line_reaches_everyone_in_the_room(pair: tuple[Client, Client]) -> None:
    first, second = pair
    await first.comm.send_json_to(Say(text="hello, room"))
    for client in (first, second):
        posted = await client.next(Posted)
        assert (posted.line.author, posted.line.text) == (first.you, "hello, room")
        assert posted.line.id > 0


async def test_rooms_are_separate(pair: tuple[Client, Client]) -> None:
    first, second = pair
    elsewhere = Client(new_room())
    await elsewhere.open()
    await elsewhere.comm.send_json_to(Say(text="not for you"))
    assert (await elsewhere.next(Posted)).line.text == "not for you"
    await first.comm.send_json_to(Say(text="for the room"))
    assert (await second.next(Posted)).line.text == "for the room"
    assert await elsewhere.comm.receive_nothing()
    await elsewhere.leave()


async def test_history_is_stored_and_given_to_newcomers(
    pair: tuple[Client, Client],
) -> None:
    first, second = pair
    for text in ("one", "two", "three"):
        await first.comm.send_json_to(Say(text=text))
        await second.next(Posted)
    room = first.comm.scope["path"].split("/")[3]
    newcomer = Client(room)
    await newcomer.open()
    assert [line.text for line in newcomer.history] == ["one", "two", "three"]
    stored = await sync_to_async(
        lambda: Message.objects.filter(room=room).count(), thread_sensitive=True
    )()
    assert stored == 3
    await newcomer.leave()


async def test_without_history_nothing_is_stored() -> None:
    room = new_room()
    client = Client(room, no_history_router)
    await client.open()
    await client.comm.send_json_to(Say(text="ephemeral"))
    assert (await client.next(Posted)).line.text == "ephemeral"
    again = Client(room, no_history_router)
    await again.open()
    assert again.history == []
    stored = await sync_to_async(
        lambda: Message.objects.filter(room=room).exists(), thread_sensitive=True
    )()
    assert not stored
    await client.leave()
    await again.leave()


async def test_typing_goes_to_the_others_only(pair: tuple[Client, Client]) -> None:
    first, second = pair
    await first.comm.send_json_to(StartTyping(active=True))
    assert await second.next(Typing) == Typing(name=first.you, active=True)
    await first.comm.send_json_to(StartTyping(active=False))
    assert await second.next(Typing) == Typing(name=first.you, active=False)
    assert await first.comm.receive_nothing()


async def test_presence_follows_arrivals_renames_and_departures(
    pair: tuple[Client, Client],
) -> None:
    first, second = pair
    await second.comm.send_json_to(Join(name="ada"))
    assert await second.next(Renamed) == Renamed(you="ada")
    await first.presence(first.you, "ada")
    await first.comm.send_json_to(Say(text="hi ada"))
    await second.comm.send_json_to(Say(text="hi"))
    assert (await first.next(Posted)).line.author == first.you
    assert (await first.next(Posted)).line.author == "ada"
    await second.leave()
    await first.presence(first.you)


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        pytest.param("not json", 1007, id="not-json"),
        pytest.param("", 1007, id="empty"),
        pytest.param('{"type": "shout", "text": "hi"}', 1007, id="unknown-type"),
        pytest.param('{"type": "message"}', 1007, id="missing-field"),
        pytest.param('{"type": "message", "text": 42}', 1007, id="wrong-type"),
        pytest.param('{"type": "message", "text": ""}', 1007, id="empty-line"),
        pytest.param(
            '{"type": "message", "text": "' + "x" * (MAX_TEXT + 1) + '"}',
            1007,
            id="line-too-long",
        ),
        pytest.param('{"type": "join", "name": "<script>"}', 1007, id="bad-name"),
        pytest.param(
            '{"type": "typing", "active": true, "extra": 1}', 1007, id="unknown-field"
        ),
    ],
)
async def test_invalid_frames_close_only_their_socket(
    pair: tuple[Client, Client], frame: str, code: int
) -> None:
    first, second = pair
    await first.comm.send_to(text_data=frame)
    assert await first.close_code() == code
    await first.leave()
    await second.presence(second.you)
    await second.comm.send_json_to(Say(text="still here"))
    assert (await second.next(Posted)).line.text == "still here"


async def test_a_binary_frame_closes_with_1003(pair: tuple[Client, Client]) -> None:
    first, second = pair
    await first.comm.send_to(bytes_data=b'{"type": "message", "text": "hi"}')
    assert await first.close_code() == 1003
    await first.leave()
    await second.presence(second.you)


async def test_a_room_name_too_long_is_refused() -> None:
    comm = WebsocketCommunicator(router, f"/ws/chat/{'r' * (MAX_ROOM + 1)}/")
    connected = await comm.connect()
    assert not connected.accepted
    await comm.disconnect()


async def test_a_path_that_is_no_room_is_refused() -> None:
    comm = WebsocketCommunicator(router, "/ws/chat/no spaces/")
    connected = await comm.connect()
    assert not connected.accepted


async def test_a_signed_in_user_chats_under_their_username() -> None:
    key = await new_logged_in_session_key("alice")
    cookie = (b"cookie", f"{settings.SESSION_COOKIE_NAME}={key}".encode())
    room = new_room()
    alice = Client(room, headers=[cookie])
    assert await alice.open() == "alice"
    await alice.comm.send_json_to(Join(name="mallory"))
    problem = await alice.next(Problem)
    assert problem.detail == "signed-in users keep their username"
    await alice.comm.send_json_to(Say(text="hi"))
    assert (await alice.next(Posted)).line.author == "alice"
    await alice.leave()


async def test_anonymous_visitors_get_a_guest_name() -> None:
    guest = Client(new_room())
    assert (await guest.open()).startswith("guest-")
    await guest.leave()


async def test_a_page_on_another_site_is_refused_before_the_handshake() -> None:
    guarded = AllowedHostsOriginValidator(router)
    room = new_room()
    foreign = WebsocketCommunicator(
        guarded, f"/ws/chat/{room}/", headers=[(b"origin", b"https://evil.invalid")]
    )
    refused = await foreign.connect()
    assert not refused.accepted
    await foreign.wait()
    own = Client(room, guarded, headers=[(b"origin", b"http://localhost")])
    assert await own.open()
    await own.leave()
