"""LifespanHandler: hooks run in order; failures are reported, not swallowed."""

from __future__ import annotations

import logging

import pytest

from typedchannels.lifespan import LifespanHandler
from typedchannels.routing import ProtocolTypeRouter
from typedchannels.testing import ApplicationCommunicator
from typedchannels.types import HTTPScope, LifespanScope, Receive, Send


def scope(state: dict[str, object] | None = None) -> LifespanScope:
    result: LifespanScope = {"type": "lifespan", "asgi": {"version": "3.0"}}
    if state is not None:
        result["state"] = state
    return result


async def test_hooks_run_in_order_and_share_state() -> None:
    calls: list[str] = []

    async def open_pool(state: dict[str, object]) -> None:
        calls.append("open")
        state["pool"] = "ready"

    async def warm(state: dict[str, object]) -> None:
        calls.append(f"warm {state['pool']}")

    async def close_pool(state: dict[str, object]) -> None:
        calls.append("close")

    state: dict[str, object] = {}
    comm = ApplicationCommunicator(
        LifespanHandler([open_pool, warm], [close_pool]), scope(state)
    )
    await comm.send_input({"type": "lifespan.startup"})
    assert await comm.receive_output() == {"type": "lifespan.startup.complete"}
    assert state == {"pool": "ready"}
    await comm.send_input({"type": "lifespan.shutdown"})
    assert await comm.receive_output() == {"type": "lifespan.shutdown.complete"}
    await comm.wait()
    assert calls == ["open", "warm ready", "close"]


async def test_failed_startup_is_reported(caplog: pytest.LogCaptureFixture) -> None:
    async def fail(state: dict[str, object]) -> None:
        raise RuntimeError("no database")

    comm = ApplicationCommunicator(LifespanHandler([fail]), scope())
    with caplog.at_level(logging.ERROR, logger="typedchannels.lifespan"):
        await comm.send_input({"type": "lifespan.startup"})
        output = await comm.receive_output()
    assert output == {
        "type": "lifespan.startup.failed",
        "message": "RuntimeError('no database')",
    }
    assert "startup hook failed" in caplog.text
    await comm.wait()


async def test_failed_shutdown_is_reported() -> None:
    async def fail(state: dict[str, object]) -> None:
        raise RuntimeError("stuck")

    comm = ApplicationCommunicator(LifespanHandler(on_shutdown=[fail]), scope())
    await comm.send_input({"type": "lifespan.startup"})
    await comm.receive_output()
    await comm.send_input({"type": "lifespan.shutdown"})
    assert await comm.receive_output() == {
        "type": "lifespan.shutdown.failed",
        "message": "RuntimeError('stuck')",
    }


async def http_app(scope: HTTPScope, receive: Receive, send: Send) -> None: ...


async def test_router_uses_the_given_lifespan_app() -> None:
    ran: list[bool] = []

    async def hook(state: dict[str, object]) -> None:
        ran.append(True)

    router = ProtocolTypeRouter({"http": http_app, "lifespan": LifespanHandler([hook])})
    comm = ApplicationCommunicator(router, scope())
    await comm.send_input({"type": "lifespan.startup"})
    assert await comm.receive_output() == {"type": "lifespan.startup.complete"}
    assert ran == [True]
    await comm.stop()
