"""Channel layers: the registry consumers get their layer from, and the backends.

Configure with Django's ``CHANNEL_LAYERS`` setting, or without Django by
handing a layer instance to :func:`set_channel_layer`. Backends:
:class:`~typedchannels.layers.memory.InMemoryChannelLayer` and
``typedchannels.layers.redis.RedisChannelLayer`` (needs the ``redis`` extra).
"""

from __future__ import annotations

from ._base import CHANNEL_NAME_PATTERN as CHANNEL_NAME_PATTERN
from ._base import GROUP_NAME_PATTERN as GROUP_NAME_PATTERN
from ._base import MAX_NAME_LENGTH as MAX_NAME_LENGTH
from ._base import BaseChannelLayer as BaseChannelLayer
from ._base import require_valid_channel_name as require_valid_channel_name
from ._base import require_valid_group_name as require_valid_group_name
from ._registry import DEFAULT_CHANNEL_LAYER as DEFAULT_CHANNEL_LAYER
from ._registry import ChannelLayerManager as ChannelLayerManager
from ._registry import channel_layers as channel_layers
from ._registry import get_channel_layer as get_channel_layer
from ._registry import require_channel_layer as require_channel_layer
from ._registry import set_channel_layer as set_channel_layer
from ._typed_send import group_send_to as group_send_to
from ._typed_send import send_to as send_to
from .memory import InMemoryChannelLayer as InMemoryChannelLayer
