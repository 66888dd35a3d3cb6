"""Editors (jedi) offer the declared Struct's fields for JSON consumer messages."""

from __future__ import annotations

from pathlib import Path

import jedi
import pytest

CODE = """
import msgspec
from typedchannels.generic.websocket import AsyncJsonWebsocketConsumer

class Join(msgspec.Struct, tag_field="type", tag="join"):
    room: str
    password: str

class Said(msgspec.Struct, tag_field="type", tag="said"):
    spoken: str

class Room(AsyncJsonWebsocketConsumer[Join, Said]):
    async def receive_json(self, content: Join) -> None:
        content.

async def elsewhere() -> None:
    message = await Room.decode_json("{}")
    message.
"""


def completions_at_dots() -> list[set[str]]:
    script = jedi.Script(CODE, path=Path(__file__).with_name("completion_probe.py"))
    found: list[set[str]] = []
    for number, line in enumerate(CODE.splitlines(), start=1):
        if line.endswith("."):
            names = {c.name for c in script.complete(number, len(line))}
            found.append({name for name in names if not name.startswith("_")})
    return found


@pytest.mark.timeout(60)
def test_jedi_offers_the_incoming_structs_fields() -> None:
    in_receive_json, from_decode_json = completions_at_dots()
    assert {"room", "password"} <= in_receive_json
    # In comes first in the bases, so jedi maps In (not Out) to Join.
    assert {"room", "password"} <= from_decode_json
    assert "spoken" not in from_decode_json
