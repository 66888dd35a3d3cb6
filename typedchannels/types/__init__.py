"""The typed ASGI vocabulary: scopes, events and interfaces.

Importable without Django settings. One ``TypedDict`` per ASGI scope and event
(``type`` is a ``Literal`` tag, optional keys are ``NotRequired``), unions per
protocol and direction so ``match event["type"]`` narrows, the scope keys
Channels adds, and the ``Protocol``s apps and channel layers implement.
"""

from ._app import ASGIApp as ASGIApp
from ._app import ASGIReceiveEvent as ASGIReceiveEvent
from ._app import ASGISendEvent as ASGISendEvent
from ._app import Middleware as Middleware
from ._app import Receive as Receive
from ._app import Send as Send
from ._channels import AnyScope as AnyScope
from ._channels import AuthHTTPScope as AuthHTTPScope
from ._channels import AuthWebSocketScope as AuthWebSocketScope
from ._channels import ChannelScope as ChannelScope
from ._channels import CookieHTTPScope as CookieHTTPScope
from ._channels import CookieKeys as CookieKeys
from ._channels import CookieWebSocketScope as CookieWebSocketScope
from ._channels import RoutedAuthHTTPScope as RoutedAuthHTTPScope
from ._channels import RoutedAuthWebSocketScope as RoutedAuthWebSocketScope
from ._channels import RoutedCookieHTTPScope as RoutedCookieHTTPScope
from ._channels import RoutedCookieWebSocketScope as RoutedCookieWebSocketScope
from ._channels import RoutedHTTPScope as RoutedHTTPScope
from ._channels import RoutedSessionHTTPScope as RoutedSessionHTTPScope
from ._channels import RoutedSessionWebSocketScope as RoutedSessionWebSocketScope
from ._channels import RoutedWebSocketScope as RoutedWebSocketScope
from ._channels import RouteKeys as RouteKeys
from ._channels import SessionHTTPScope as SessionHTTPScope
from ._channels import SessionKeys as SessionKeys
from ._channels import SessionWebSocketScope as SessionWebSocketScope
from ._channels import URLRoute as URLRoute
from ._channels import UserKeys as UserKeys
from ._common import ASGIVersions as ASGIVersions
from ._common import BaseEvent as BaseEvent
from ._common import BaseScope as BaseScope
from ._common import Headers as Headers
from ._http import HTTPDisconnectEvent as HTTPDisconnectEvent
from ._http import HTTPIncomingEvent as HTTPIncomingEvent
from ._http import HTTPOutgoingEvent as HTTPOutgoingEvent
from ._http import HTTPRequestEvent as HTTPRequestEvent
from ._http import HTTPResponseBodyEvent as HTTPResponseBodyEvent
from ._http import HTTPResponsePathsendEvent as HTTPResponsePathsendEvent
from ._http import HTTPResponseStartEvent as HTTPResponseStartEvent
from ._http import HTTPResponseTrailersEvent as HTTPResponseTrailersEvent
from ._http import HTTPScope as HTTPScope
from ._http import HTTPServerPushEvent as HTTPServerPushEvent
from ._json import JSONValue as JSONValue
from ._layer import ChannelLayer as ChannelLayer
from ._layer import LayerMessage as LayerMessage
from ._layer import WakingChannelLayer as WakingChannelLayer
from ._lifespan import LifespanIncomingEvent as LifespanIncomingEvent
from ._lifespan import LifespanOutgoingEvent as LifespanOutgoingEvent
from ._lifespan import LifespanScope as LifespanScope
from ._lifespan import LifespanShutdownCompleteEvent as LifespanShutdownCompleteEvent
from ._lifespan import LifespanShutdownEvent as LifespanShutdownEvent
from ._lifespan import LifespanShutdownFailedEvent as LifespanShutdownFailedEvent
from ._lifespan import LifespanStartupCompleteEvent as LifespanStartupCompleteEvent
from ._lifespan import LifespanStartupEvent as LifespanStartupEvent
from ._lifespan import LifespanStartupFailedEvent as LifespanStartupFailedEvent
from ._websocket import WebSocketAcceptEvent as WebSocketAcceptEvent
from ._websocket import WebSocketCloseEvent as WebSocketCloseEvent
from ._websocket import WebSocketConnectEvent as WebSocketConnectEvent
from ._websocket import WebSocketDisconnectEvent as WebSocketDisconnectEvent
from ._websocket import WebSocketIncomingEvent as WebSocketIncomingEvent
from ._websocket import WebSocketOutgoingEvent as WebSocketOutgoingEvent
from ._websocket import WebSocketReceiveEvent as WebSocketReceiveEvent
from ._websocket import WebSocketResponseBodyEvent as WebSocketResponseBodyEvent
from ._websocket import WebSocketResponseStartEvent as WebSocketResponseStartEvent
from ._websocket import WebSocketScope as WebSocketScope
from ._websocket import WebSocketSendEvent as WebSocketSendEvent
