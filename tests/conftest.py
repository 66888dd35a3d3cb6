"""Suite-wide fixtures: each test starts with no channel layer configured."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from typedchannels.layers import channel_layers


@pytest.fixture(autouse=True)
def _no_channel_layers() -> Iterator[None]:
    channel_layers.reset()
    yield
    channel_layers.reset()
