"""Each ASGI TypedDict has exactly the keys the ASGI spec gives it.

The table is transcribed from the spec text (HTTP & WebSocket 2.5, Lifespan
2.0, and the extensions), not from asgiref.typing, which marks some
optional keys as required.
"""

from __future__ import annotations

import typing

import pytest
from typing_extensions import get_args, is_typeddict

from typedchannels import types

# name -> (required keys, optional keys)
SPEC: dict[str, tuple[set[str], set[str]]] = {
    "HTTPScope": (
        {"type", "asgi", "http_version", "method", "path", "query_string", "headers"},
        {"scheme", "raw_path", "root_path", "client", "server", "state", "extensions"},
    ),
    "HTTPRequestEvent": ({"type"}, {"body", "more_body"}),
    "HTTPDisconnectEvent": ({"type"}, set()),
    "HTTPResponseStartEvent": ({"type", "status"}, {"headers", "trailers"}),
    "HTTPResponseBodyEvent": ({"type"}, {"body", "more_body"}),
    "HTTPResponseTrailersEvent": ({"type"}, {"headers", "more_trailers"}),
    "HTTPServerPushEvent": ({"type", "path", "headers"}, set()),
    "HTTPResponsePathsendEvent": ({"type", "path"}, set()),
    "WebSocketScope": (
        {"type", "asgi", "path", "headers"},
        {
            "http_version",
            "scheme",
            "raw_path",
            "query_string",
            "root_path",
            "client",
            "server",
            "subprotocols",
            "state",
            "extensions",
        },
    ),
    "WebSocketConnectEvent": ({"type"}, set()),
    "WebSocketAcceptEvent": ({"type"}, {"subprotocol", "headers"}),
    "WebSocketReceiveEvent": ({"type"}, {"bytes", "text"}),
    "WebSocketSendEvent": ({"type"}, {"bytes", "text"}),
    "WebSocketDisconnectEvent": ({"type", "code"}, {"reason"}),
    "WebSocketCloseEvent": ({"type"}, {"code", "reason"}),
    "WebSocketResponseStartEvent": ({"type", "status"}, {"headers"}),
    "WebSocketResponseBodyEvent": ({"type"}, {"body", "more_body"}),
    "LifespanScope": ({"type", "asgi"}, {"state"}),
    "LifespanStartupEvent": ({"type"}, set()),
    "LifespanStartupCompleteEvent": ({"type"}, set()),
    "LifespanStartupFailedEvent": ({"type"}, {"message"}),
    "LifespanShutdownEvent": ({"type"}, set()),
    "LifespanShutdownCompleteEvent": ({"type"}, set()),
    "LifespanShutdownFailedEvent": ({"type"}, {"message"}),
    "ASGIVersions": ({"version"}, {"spec_version"}),
}

# event name -> its "type" tag
TAGS: dict[str, str] = {
    "HTTPRequestEvent": "http.request",
    "HTTPDisconnectEvent": "http.disconnect",
    "HTTPResponseStartEvent": "http.response.start",
    "HTTPResponseBodyEvent": "http.response.body",
    "HTTPResponseTrailersEvent": "http.response.trailers",
    "HTTPServerPushEvent": "http.response.push",
    "HTTPResponsePathsendEvent": "http.response.pathsend",
    "WebSocketConnectEvent": "websocket.connect",
    "WebSocketAcceptEvent": "websocket.accept",
    "WebSocketReceiveEvent": "websocket.receive",
    "WebSocketSendEvent": "websocket.send",
    "WebSocketDisconnectEvent": "websocket.disconnect",
    "WebSocketCloseEvent": "websocket.close",
    "WebSocketResponseStartEvent": "websocket.http.response.start",
    "WebSocketResponseBodyEvent": "websocket.http.response.body",
    "LifespanStartupEvent": "lifespan.startup",
    "LifespanStartupCompleteEvent": "lifespan.startup.complete",
    "LifespanStartupFailedEvent": "lifespan.startup.failed",
    "LifespanShutdownEvent": "lifespan.shutdown",
    "LifespanShutdownCompleteEvent": "lifespan.shutdown.complete",
    "LifespanShutdownFailedEvent": "lifespan.shutdown.failed",
    "HTTPScope": "http",
    "WebSocketScope": "websocket",
    "LifespanScope": "lifespan",
}


@pytest.mark.parametrize("name", sorted(SPEC))
def test_keys_match_the_spec(name: str) -> None:
    cls = getattr(types, name)
    assert is_typeddict(cls)
    required, optional = SPEC[name]
    assert set(cls.__required_keys__) == required
    assert set(cls.__optional_keys__) == optional


@pytest.mark.parametrize("name", sorted(TAGS))
def test_type_is_a_literal_tag(name: str) -> None:
    hints = typing.get_type_hints(getattr(types, name))
    assert get_args(hints["type"]) == (TAGS[name],)


def _members(union: object) -> set[str]:
    return {member.__name__ for member in get_args(union)}


def test_unions_are_split_by_protocol_and_direction() -> None:
    assert _members(types.WebSocketIncomingEvent) == {
        "WebSocketConnectEvent",
        "WebSocketReceiveEvent",
        "WebSocketDisconnectEvent",
    }
    outgoing = _members(types.WebSocketOutgoingEvent)
    assert "WebSocketReceiveEvent" not in outgoing
    assert "WebSocketSendEvent" in outgoing
    assert _members(types.HTTPIncomingEvent) == {
        "HTTPRequestEvent",
        "HTTPDisconnectEvent",
    }
    assert _members(types.LifespanIncomingEvent) == {
        "LifespanStartupEvent",
        "LifespanShutdownEvent",
    }
    every_event = _members(types.ASGIReceiveEvent) | _members(types.ASGISendEvent)
    assert every_event == {name for name in TAGS if name.endswith("Event")}
    assert not _members(types.ASGIReceiveEvent) & _members(types.ASGISendEvent)


def test_channels_scope_keys_stack_up() -> None:
    auth = types.RoutedAuthWebSocketScope
    assert {"cookies", "session", "user", "url_route"} <= auth.__required_keys__
    assert "path_remaining" in auth.__optional_keys__
    assert "user" not in types.SessionHTTPScope.__required_keys__
    assert types.ChannelScope.__required_keys__ == {"type", "channel"}
