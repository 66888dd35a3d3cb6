"""The chat demo's frames from a bare ASGI callable: the floor for ``bench/load.py``.

No framework, no channel layer, no middleware: rooms are a dict of the
connections' ``send`` callables, and a broadcast awaits each member's send in
turn. It sends what the demo's consumer sends, frame for frame, so the load
client cannot tell them apart: a welcome, then presence lists as members come
and go (each member's list after a hello, the newcomer's list growing with
every answer), and every posted line to every member of the room.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Final, cast

import msgspec

from examples.chat.messages import ClientMsg, Line, Posted, Presence, Say, Welcome
from typedchannels.types import Receive, Send, WebSocketScope, WebSocketSendEvent

_encode: Final = msgspec.json.Encoder().encode
_decode: Final = msgspec.json.Decoder(ClientMsg).decode

#: room -> {send: name}, in join order.
_rooms: dict[str, dict[Send, str]] = {}


async def _send_text(send: Send, frame: msgspec.Struct) -> None:
    await send({"type": "websocket.send", "text": _encode(frame).decode()})


async def _broadcast(sends: Iterable[Send], frame: msgspec.Struct) -> None:
    """Send one encoding of ``frame`` to each; a member that is gone is skipped."""
    event: WebSocketSendEvent = {
        "type": "websocket.send",
        "text": _encode(frame).decode(),
    }
    for member_send in list(sends):
        try:
            await member_send(event)
        except Exception:  # its own task will see the disconnect
            continue


def _presence(names: Iterable[str]) -> Presence:
    return Presence(users=sorted(names))


async def application(scope: WebSocketScope, receive: Receive, send: Send) -> None:
    """One connection: join its room, relay its lines, leave."""
    room = scope["path"].strip("/").rpartition("/")[2]
    await receive()  # websocket.connect
    await send({"type": "websocket.accept"})
    name = f"guest-{secrets.token_hex(2)}"
    members = _rooms.setdefault(room, {})
    await _send_text(send, Welcome(room=room, you=name, history=[]))
    others = list(members.items())
    members[send] = name
    await _broadcast((other for other, _ in others), _presence(members.values()))
    known = [name]
    await _send_text(send, _presence(known))  # the newcomer's own hello
    for _, other_name in others:  # and one list per answer
        known.append(other_name)
        await _send_text(send, _presence(known))
    try:
        while True:
            event = await receive()
            if event["type"] == "websocket.disconnect":
                return
            message = _decode(cast("str", event.get("text") or ""))
            if isinstance(message, Say):
                line = Line(id=0, author=name, text=message.text, sent_at="")
                await _broadcast(members, Posted(line=line))
    finally:
        del members[send]
        await _broadcast(members, _presence(members.values()))
