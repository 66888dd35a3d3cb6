"""ASGI WebSocket scope and events, transcribed from the ASGI spec (HTTP & WebSocket 2.5)."""

from collections.abc import Iterable
from typing import Literal, Union

from typing_extensions import NotRequired, TypeAlias, TypedDict

from ._common import ASGIVersions, Headers


class WebSocketScope(TypedDict):
    """The connection scope of one WebSocket."""

    type: Literal["websocket"]
    asgi: ASGIVersions
    http_version: NotRequired[str]
    scheme: NotRequired[str]
    path: str
    raw_path: NotRequired[bytes | None]
    query_string: NotRequired[bytes]
    root_path: NotRequired[str]
    headers: Headers
    client: NotRequired[tuple[str, int] | None]
    server: NotRequired[tuple[str, int | None] | None]
    subprotocols: NotRequired[Iterable[str]]
    state: NotRequired[dict[str, object]]
    extensions: NotRequired[dict[str, dict[object, object]] | None]


class WebSocketConnectEvent(TypedDict):
    """``websocket.connect``: the client asks to open the socket (receive)."""

    type: Literal["websocket.connect"]


class WebSocketReceiveEvent(TypedDict):
    """``websocket.receive``: one frame; exactly one of ``bytes``/``text`` is not None."""

    type: Literal["websocket.receive"]
    bytes: NotRequired[bytes | None]
    text: NotRequired[str | None]


class WebSocketDisconnectEvent(TypedDict):
    """``websocket.disconnect``: the socket closed, with its close code (receive)."""

    type: Literal["websocket.disconnect"]
    code: int
    reason: NotRequired[str | None]


class WebSocketAcceptEvent(TypedDict):
    """``websocket.accept``: accept the handshake (send)."""

    type: Literal["websocket.accept"]
    subprotocol: NotRequired[str | None]
    headers: NotRequired[Headers]


class WebSocketSendEvent(TypedDict):
    """``websocket.send``: one frame; exactly one of ``bytes``/``text`` is not None."""

    type: Literal["websocket.send"]
    bytes: NotRequired[bytes | None]
    text: NotRequired[str | None]


class WebSocketCloseEvent(TypedDict):
    """``websocket.close``: close the socket, or refuse it before accept (send)."""

    type: Literal["websocket.close"]
    code: NotRequired[int]
    reason: NotRequired[str | None]


class WebSocketResponseStartEvent(TypedDict):
    """``websocket.http.response.start`` (denial response extension, send)."""

    type: Literal["websocket.http.response.start"]
    status: int
    headers: NotRequired[Headers]


class WebSocketResponseBodyEvent(TypedDict):
    """``websocket.http.response.body`` (denial response extension, send)."""

    type: Literal["websocket.http.response.body"]
    body: NotRequired[bytes]
    more_body: NotRequired[bool]


#: Events a WebSocket application receives.
WebSocketIncomingEvent: TypeAlias = Union[
    WebSocketConnectEvent, WebSocketReceiveEvent, WebSocketDisconnectEvent
]
#: Events a WebSocket application sends.
WebSocketOutgoingEvent: TypeAlias = Union[
    WebSocketAcceptEvent,
    WebSocketSendEvent,
    WebSocketCloseEvent,
    WebSocketResponseStartEvent,
    WebSocketResponseBodyEvent,
]
