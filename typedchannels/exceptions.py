"""Every exception typedchannels raises, in one tree.

Errors (something is wrong; ``ValueError``/``TypeError`` bases kept where
Channels raised those, so existing ``except`` clauses still work)::

    TypedChannelsError
    ├── ConfigurationError (ImproperlyConfigured-like; also ValueError)
    │   ├── InvalidChannelLayerError ......... CHANNEL_LAYERS / layer options wrong
    │   ├── ConsumerDefinitionError (TypeError) consumer class breaks ASGI 3 rules
    │   ├── MiddlewareOrderError ............. a middleware's scope lacks keys an outer one adds
    │   └── ImportOrderError (AppRegistryNotReady) models imported before get_asgi_application()
    ├── RoutingError (ValueError)
    │   ├── NoRouteFound ..................... no URL pattern matched the path
    │   ├── UnknownProtocol .................. ProtocolTypeRouter has no app for scope["type"]
    │   └── UnknownChannel ................... ChannelNameRouter has no app for the channel
    ├── MessageError (ValueError)
    │   ├── NoHandlerForMessage .............. no consumer method for message["type"]
    │   ├── InvalidMessageType ............... message has no str type, or it names a private method
    │   └── InvalidMessage ................... a client frame or layer message failed decoding/validation
    │       └── InvalidFrame ................. a JSON consumer refused a client frame (has close codes)
    │           ├── InvalidJSON .............. not JSON, or an empty text frame (1007)
    │           ├── MessageValidationError ... JSON that does not fit the declared type (1007)
    │           ├── UnexpectedBinaryFrame .... a binary frame where text is required (1003)
    │           └── FrameTooLarge ............ longer than max_message_size (1009)
    ├── SendFailed ........................... the server refused an event (the client is usually gone)
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

from typing import ClassVar

from django.core.exceptions import AppRegistryNotReady


class TypedChannelsError(Exception):
    """Base of every error typedchannels raises."""


class ConfigurationError(TypedChannelsError, ValueError):
    """Settings or definitions are wrong; raised at startup or import time."""


class InvalidChannelLayerError(ConfigurationError):
    """``CHANNEL_LAYERS`` (or a layer's options) is malformed."""


class ConsumerDefinitionError(ConfigurationError, TypeError):
    """A consumer class breaks an ASGI 3 rule (e.g. ``__init__(self, scope)``)."""


class MiddlewareOrderError(ConfigurationError):
    """A middleware found its scope without the keys an outer middleware adds.

    ``SessionMiddleware`` needs ``CookieMiddleware`` outside it, and
    ``AuthMiddleware`` needs ``SessionMiddleware`` (Channels raises a bare
    ``ValueError`` there; this is one).
    """


class ImportOrderError(ConfigurationError, AppRegistryNotReady):
    """Django models were imported before the app registry was ready.

    The Channels 3 trap: ``asgi.py`` imports consumers (which import models)
    before ``get_asgi_application()`` has set Django up. Still an
    ``AppRegistryNotReady``, with a message that says what to do.
    """


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


class InvalidFrame(InvalidMessage):
    """A JSON consumer refused a client frame; handled by ``on_invalid_message``.

    ``close_code`` is the RFC 6455 code the default handler closes with;
    ``fallback_close_code`` (``4000 + close_code - 1000``) is used when the
    server refuses to send it (daphne only sends 1000 and 3000-4999).
    """

    close_code: ClassVar[int] = 1007
    fallback_close_code: ClassVar[int] = 4007


class InvalidJSON(InvalidFrame):
    """The text frame is not JSON (or is empty)."""


class MessageValidationError(InvalidFrame):
    """The frame is JSON but does not fit the consumer's declared message type."""

    @property
    def path(self) -> str | None:
        """Where in the payload validation failed, as msgspec says it (``$.text``)."""
        _, found, rest = str(self).rpartition(" - at `")
        return rest.rstrip("`") if found else None


class UnexpectedBinaryFrame(InvalidFrame):
    """A binary frame arrived where a JSON text frame is required."""

    close_code = 1003
    fallback_close_code = 4003


class FrameTooLarge(InvalidFrame):
    """The frame is longer than the consumer's ``max_message_size``."""

    close_code = 1009
    fallback_close_code = 4009


class SendFailed(TypedChannelsError):
    """The server refused an event the consumer sent; chained from its error.

    Usually the client has gone: daphne raises on a send to a closed socket,
    and a layer message may be handled before the queued disconnect. A
    consumer logs it and goes on, so its disconnect handler still runs.
    """


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
