"""Channel layers: the registry consumers get their layer from.

Configure with Django's ``CHANNEL_LAYERS`` setting, or without Django by
handing a layer instance to :func:`set_channel_layer`.
"""

from __future__ import annotations

from ._registry import DEFAULT_CHANNEL_LAYER as DEFAULT_CHANNEL_LAYER
from ._registry import ChannelLayerManager as ChannelLayerManager
from ._registry import channel_layers as channel_layers
from ._registry import get_channel_layer as get_channel_layer
from ._registry import set_channel_layer as set_channel_layer
