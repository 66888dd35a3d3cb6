"""Every exception typedchannels raises, in one tree.

Errors (something is wrong; ``ValueError``/``TypeError`` bases kept where
Channels raised those, so existing ``except`` clauses still work)::

    TypedChannelsError
    ├── ConfigurationError (ImproperlyConfigured-like; also ValueError)
    │   ├── InvalidChannelLayerError ......... CHANNEL_LAYERS / layer options wrong
    │   └── ConsumerDefinitionError (TypeError) consumer class breaks ASGI 3 rules
    ├── RoutingError (ValueError)
    │   ├── NoRouteFound ..................... no URL pattern matched the path
    │   ├── UnknownProtocol .................. ProtocolTypeRouter has no app for scope["type"]
    │   └── UnknownChannel ................... ChannelNameRouter has no app for the channel
    ├── MessageError (ValueError)
    │   ├── NoHandlerForMessage .............. no consumer method for message["type"]
    │   ├── InvalidMessageType ............... message has no str type, or it names a private method
    │   └── InvalidMessage ................... a client frame or layer message failed decoding/validation
    └── ChannelLayerError
        ├── ChannelFull ...................... the channel is at capacity
        ├── InvalidChannelName (TypeError, ValueError)
        ├── MessageTooLarge
        └── ChannelLayerUnavailable .......... the backend cannot be reached in time

Control flow (not errors; raised by user code or the runtime to steer a
consumer)::

    ConsumerControl
    ├── StopConsumer ........ end this consumer instance cleanly
    ├── AcceptConnection .... accept the connection from a connect handler
    ├── DenyConnection ...... refuse the connection from a connect handler
    └── RequestAborted ...... the HTTP client went away mid-body
        └── RequestTimeout .. ... because the body took too long
"""

from __future__ import annotations


class TypedChannelsError(Exception):
    """Base of every error typedchannels raises."""


class ConfigurationError(TypedChannelsError, ValueError):
    """Settings or definitions are wrong; raised at startup or import time."""


class InvalidChannelLayerError(ConfigurationError):
    """``CHANNEL_LAYERS`` (or a layer's options) is malformed."""


class ConsumerDefinitionError(ConfigurationError, TypeError):
    """A consumer class breaks an ASGI 3 rule (e.g. ``__init__(self, scope)``)."""


class RoutingError(TypedChannelsError, ValueError):
    """A router could not pick an application."""


class NoRouteFound(RoutingError):
    """No URL pattern matched the connection's path."""


class UnknownProtocol(RoutingError):
    """``ProtocolTypeRouter`` has no application for this ``scope["type"]``."""


class UnknownChannel(RoutingError):
    """``ChannelNameRouter`` has no application for this channel."""


class MessageError(TypedChannelsError, ValueError):
    """A message could not be handled."""


class NoHandlerForMessage(MessageError):
    """The consumer has no handler method for the message's ``type``."""


class InvalidMessageType(MessageError):
    """The message's ``type`` is missing, not a str, or names a private method."""


class InvalidMessage(MessageError):
    """A client frame or layer message failed decoding or validation."""


class ChannelLayerError(TypedChannelsError):
    """A channel layer operation failed."""


class ChannelFull(ChannelLayerError):
    """The channel is at capacity; the message was not sent."""


class InvalidChannelName(ChannelLayerError, TypeError, ValueError):
    """A channel or group name breaks the naming rules."""


class MessageTooLarge(ChannelLayerError):
    """The message is larger than the layer can carry."""


class ChannelLayerUnavailable(ChannelLayerError):
    """The layer's backend could not be reached within the configured time."""


class ConsumerControl(Exception):
    """Base of the exceptions that steer a consumer rather than report errors."""


class StopConsumer(ConsumerControl):
    """Raised by a handler to end this consumer instance cleanly."""


class AcceptConnection(ConsumerControl):
    """Raised in a connect handler to accept the connection."""


class DenyConnection(ConsumerControl):
    """Raised in a connect handler to refuse the connection."""


class RequestAborted(ConsumerControl):
    """The HTTP client disconnected before the request body was complete."""


class RequestTimeout(RequestAborted):
    """The request body did not arrive in time."""
