"""The ASGI events the sync and async websocket consumers both send."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from ..types import WebSocketAcceptEvent, WebSocketCloseEvent, WebSocketSendEvent


def accept_event(
    subprotocol: str | None, headers: Iterable[tuple[bytes, bytes]] | None
) -> WebSocketAcceptEvent:
    event: WebSocketAcceptEvent = {
        "type": "websocket.accept",
        "subprotocol": subprotocol,
    }
    if headers is not None:
        event["headers"] = list(headers)
    return event


def frame_event(text_data: str | None, bytes_data: bytes | None) -> WebSocketSendEvent:
    """One frame; text wins when both are given, as in Channels.

    Raises:
        ValueError: neither was given.
    """
    if text_data is not None:
        return {"type": "websocket.send", "text": text_data}
    if bytes_data is not None:
        return {"type": "websocket.send", "bytes": bytes_data}
    raise ValueError("send() needs text_data or bytes_data")


def close_event(code: int | bool | None, reason: str | None) -> WebSocketCloseEvent:
    """``code=True`` (from ``send(close=True)``) means the default, 1000.

    Raises:
        ValueError: a code no application may close with (RFC 6455: 1000,
            1001-1015 where the server allows them, and 3000-4999).
    """
    event: WebSocketCloseEvent = {"type": "websocket.close"}
    if code is not None and code is not True and code is not False:
        if not (1000 <= code <= 1015 or 3000 <= code <= 4999):
            raise ValueError(
                f"close code {code} is not one an application may send "
                "(1000, 1001-1015, or 3000-4999)"
            )
        event["code"] = code
    if reason:
        event["reason"] = reason
    return event


#: Logged (code wanted, code sent) when a server refuses a close code.
REFUSED_CLOSE: Final = "the server refused close code %d; closed with %d instead"


def fallback_close_code(code: int) -> int | None:
    """The code to close with when the server refuses ``code``, or None.

    Some servers (daphne) can only send 1000 and 3000-4999. A protocol code
    1001-1015 maps into the application range: 1007 -> 4007, 1009 -> 4009.
    """
    if 1000 < code < 1016:
        return 4000 + code - 1000
    return None


def groups_need_layer(owner: str) -> str:
    return (
        f"{owner}.groups is set but no channel layer is configured (or it does "
        "not support groups): configure CHANNEL_LAYERS or set_channel_layer()"
    )
