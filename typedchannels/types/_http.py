"""ASGI HTTP scope and events, transcribed from the ASGI spec (HTTP & WebSocket 2.5)."""

from typing import Literal, Union

from typing_extensions import NotRequired, TypeAlias, TypedDict

from ._common import ASGIVersions, Headers


class HTTPScope(TypedDict):
    """The connection scope of one HTTP request."""

    type: Literal["http"]
    asgi: ASGIVersions
    http_version: str
    method: str
    scheme: NotRequired[str]
    path: str
    raw_path: NotRequired[bytes | None]
    query_string: bytes
    root_path: NotRequired[str]
    headers: Headers
    client: NotRequired[tuple[str, int] | None]
    server: NotRequired[tuple[str, int | None] | None]
    state: NotRequired[dict[str, object]]
    extensions: NotRequired[dict[str, dict[object, object]] | None]


class HTTPRequestEvent(TypedDict):
    """``http.request``: a chunk of the request body (receive)."""

    type: Literal["http.request"]
    body: NotRequired[bytes]
    more_body: NotRequired[bool]


class HTTPDisconnectEvent(TypedDict):
    """``http.disconnect``: the client went away, or the response is done (receive)."""

    type: Literal["http.disconnect"]


class HTTPResponseStartEvent(TypedDict):
    """``http.response.start``: status and headers (send)."""

    type: Literal["http.response.start"]
    status: int
    headers: NotRequired[Headers]
    trailers: NotRequired[bool]


class HTTPResponseBodyEvent(TypedDict):
    """``http.response.body``: a chunk of the response body (send)."""

    type: Literal["http.response.body"]
    body: NotRequired[bytes]
    more_body: NotRequired[bool]


class HTTPResponseTrailersEvent(TypedDict):
    """``http.response.trailers`` (HTTP trailers extension, send)."""

    type: Literal["http.response.trailers"]
    headers: NotRequired[Headers]
    more_trailers: NotRequired[bool]


class HTTPServerPushEvent(TypedDict):
    """``http.response.push`` (server push extension, send)."""

    type: Literal["http.response.push"]
    path: str
    headers: Headers


class HTTPResponsePathsendEvent(TypedDict):
    """``http.response.pathsend`` (path send extension, send)."""

    type: Literal["http.response.pathsend"]
    path: str


#: Events an HTTP application receives.
HTTPIncomingEvent: TypeAlias = Union[HTTPRequestEvent, HTTPDisconnectEvent]
#: Events an HTTP application sends.
HTTPOutgoingEvent: TypeAlias = Union[
    HTTPResponseStartEvent,
    HTTPResponseBodyEvent,
    HTTPResponseTrailersEvent,
    HTTPServerPushEvent,
    HTTPResponsePathsendEvent,
]
