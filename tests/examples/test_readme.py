"""The README's example is examples/readme.py, type-checked and working."""

from __future__ import annotations

from pathlib import Path

from examples.readme import Said, Say, router
from typedchannels.testing import WebsocketCommunicator

ROOT = Path(__file__).resolve().parents[2]


def test_the_readme_shows_the_example_as_it_is() -> None:
    readme = (ROOT / "README.md").read_text()
    example = (ROOT / "examples" / "readme.py").read_text()
    assert f"```python\n{example}```" in readme


async def test_the_example_works() -> None:
    comm = WebsocketCommunicator(router, "/ws/lobby/")
    assert (await comm.connect()).accepted
    await comm.send_json_to(Say(text="hi"))
    assert await comm.receive_json_from(type=Said) == Said(room="lobby", text="hi")
    await comm.send_to(text_data='{"type": "say"}')  # no text: refused, 1007
    assert await comm.receive_output() == {
        "type": "websocket.close",
        "code": 1007,
        "reason": "Object missing required field `text`",
    }
    await comm.disconnect()
