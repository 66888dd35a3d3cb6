"""The chat protocol: what a browser sends, what it gets, and the layer events.

Frames are JSON objects with a ``type`` tag; msgspec decodes and validates
them into these Structs once per frame, and the consumer's ``receive_json``
gets exactly one of :data:`ClientMsg`. Events between consumers (through the
channel layer) are TypedDicts with a ``Literal`` type, as in Channels.
"""

from __future__ import annotations

from typing import Literal, Union

import msgspec
from typing_extensions import Annotated, TypeAlias, TypedDict

#: The longest chat line and display name accepted from a client.
MAX_TEXT: int = 2000
MAX_NAME: int = 40

#: A chat line: 1 to MAX_TEXT characters.
Text: TypeAlias = Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_TEXT)]
#: A display name: letters, digits, spaces, ``.``, ``_`` and ``-``.
Name: TypeAlias = Annotated[
    str, msgspec.Meta(min_length=1, max_length=MAX_NAME, pattern=r"^[\w .-]+$")
]

# --- client -> server -------------------------------------------------------


class Join(msgspec.Struct, tag_field="type", tag="join", forbid_unknown_fields=True):
    """Pick a display name (anonymous users; a logged-in user keeps their username)."""

    name: Name


class Say(msgspec.Struct, tag_field="type", tag="message", forbid_unknown_fields=True):
    """Post a chat line to the room."""

    text: Text


class StartTyping(
    msgspec.Struct, tag_field="type", tag="typing", forbid_unknown_fields=True
):
    """The user started (``active``) or stopped typing."""

    active: bool


ClientMsg: TypeAlias = Union[Join, Say, StartTyping]

# --- server -> client -------------------------------------------------------


class Line(msgspec.Struct):
    """One chat line, as stored."""

    id: int
    author: str
    text: str
    sent_at: str


class Welcome(msgspec.Struct, tag_field="type", tag="welcome"):
    """First frame after connecting: your name and the room's recent history."""

    room: str
    you: str
    history: list[Line]


class Posted(msgspec.Struct, tag_field="type", tag="message"):
    """Someone (maybe you) posted a line."""

    line: Line


class Typing(msgspec.Struct, tag_field="type", tag="typing"):
    """Someone else started or stopped typing."""

    name: str
    active: bool


class Presence(msgspec.Struct, tag_field="type", tag="presence"):
    """Who is in the room now (sorted, with repeats for several tabs)."""

    users: list[str]


class Renamed(msgspec.Struct, tag_field="type", tag="renamed"):
    """Your display name changed (after a ``join``)."""

    you: str


class Problem(msgspec.Struct, tag_field="type", tag="error"):
    """A valid frame that cannot be done (e.g. a name change when logged in)."""

    detail: str


ServerMsg: TypeAlias = Union[Welcome, Posted, Typing, Presence, Renamed, Problem]

# --- consumer -> consumer (channel layer events) ------------------------------


class LineEvent(TypedDict):
    """``chat.line``: a stored line to show to the room."""

    type: Literal["chat.line"]
    id: int
    author: str
    text: str
    sent_at: str


class TypingEvent(TypedDict):
    """``chat.typing``: a member's typing state; ``channel`` is the sender's own."""

    type: Literal["chat.typing"]
    channel: str
    name: str
    active: bool


class HelloEvent(TypedDict):
    """``presence.hello``: a member arrived; everyone answers with ``presence.here``."""

    type: Literal["presence.hello"]
    channel: str
    name: str


class HereEvent(TypedDict):
    """``presence.here``: sent to one new member's channel, or to the room on renaming."""

    type: Literal["presence.here"]
    channel: str
    name: str


class ByeEvent(TypedDict):
    """``presence.bye``: a member left."""

    type: Literal["presence.bye"]
    channel: str
