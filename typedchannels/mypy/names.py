"""Full names the plugin hooks or looks up: strings only, never imports."""

from __future__ import annotations

from typing import Final

BASE_CONSUMER: Final = "typedchannels.consumer.BaseConsumer"
#: typedchannels' own methods are message handlers only with this decorator.
HANDLER_DECORATOR: Final = "typedchannels._dispatch.handler"
FRAMEWORK_PREFIX: Final = "typedchannels."
#: Where the plugin keeps what it learned about a class (survives mypy's cache).
METADATA_KEY: Final = "typedchannels"
HANDLERS_KEY: Final = "handlers"

ROUTE_FACTORY_CALL: Final = "typedchannels.routing._RouteFactory.__call__"
PATH: Final = "typedchannels.routing.path"
RE_PATH: Final = "typedchannels.routing.re_path"

CHANNEL_LAYER: Final = "typedchannels.types._layer.ChannelLayer"
BASE_CHANNEL_LAYER: Final = "typedchannels.layers._base.BaseChannelLayer"
LAYER_SEND_METHODS: Final = frozenset({"send", "group_send"})

URL_ROUTE_KEY: Final = "url_route"
KWARGS_KEY: Final = "kwargs"

#: What each of Django's built-in path converters gives the consumer.
CONVERTER_TYPES: Final = {
    "int": "builtins.int",
    "str": "builtins.str",
    "slug": "builtins.str",
    "path": "builtins.str",
    "uuid": "uuid.UUID",
}
#: re_path() named groups are always strings.
REGEX_GROUP_TYPE: Final = "builtins.str"
