"""The plugin's own error codes, so each check can be enabled or silenced alone."""

from __future__ import annotations

from typing import Final

from mypy.errorcodes import ErrorCode

_CATEGORY: Final = "typedchannels"

#: A consumer ``__init__`` that ``as_asgi()`` cannot call, or cannot check.
INIT: Final[ErrorCode] = ErrorCode(
    "typedchannels-init",
    "Check that a consumer's __init__ takes keyword arguments only",
    _CATEGORY,
)
#: A channel layer message whose ``type`` has no handler, or the wrong payload.
HANDLER: Final[ErrorCode] = ErrorCode(
    "typedchannels-handler",
    "Check that a literal layer message has a handler on the sending consumer",
    _CATEGORY,
)
#: A URL pattern whose groups do not match the consumer's url_route kwargs type.
ROUTE: Final[ErrorCode] = ErrorCode(
    "typedchannels-route",
    "Check a literal path()/re_path() pattern against the app's url_route kwargs",
    _CATEGORY,
)
