"""The Redis channel layer (needs the ``redis`` extra): sharded, resilient, channels_redis-compatible."""

from __future__ import annotations

from ._core import RedisChannelLayer as RedisChannelLayer
from ._hosts import HostSpec as HostSpec
