"""pytest fixtures for typedchannels projects (entry point ``pytest11``).

- ``channel_layer``: a new, empty ``InMemoryChannelLayer`` as the default
  layer for one test.
- ``override_channel_layers``: call it with a ``CHANNEL_LAYERS`` dict to use
  that setting until the test ends.
- ``websocket_communicator`` / ``http_communicator``: make communicators;
  apps still running when the test ends are stopped (needs pytest-asyncio).
- ``channels_live_server`` (session), ``live_server_url``,
  ``live_server_ws_url``: the project's ``ASGI_APPLICATION`` served by uvicorn
  on 127.0.0.1, static files included.

Database access is left to pytest-django (``db``, ``transactional_db``): the
live server needs committed data, so use ``transactional_db`` with it. Names
do not clash with pytest-django's (its ``live_server`` is a WSGI server).
"""

from __future__ import annotations

from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Iterable,
    Iterator,
    Mapping,
)
from typing import TYPE_CHECKING, Protocol

import pytest
from typing_extensions import TypeVar

from ..layers import DEFAULT_CHANNEL_LAYER, InMemoryChannelLayer, set_channel_layer
from ..types import ASGIApp, RoutedHTTPScope, RoutedWebSocketScope
from ._http import HttpCommunicator
from ._websocket import WebsocketCommunicator

if TYPE_CHECKING:
    # Imported when used: uvicorn is an extra (``typedchannels[server]``).
    from .live import ChannelsLiveServer, DaphneLiveServer

__all__ = [
    "ChannelLayersOverride",
    "HttpCommunicatorFactory",
    "WebsocketCommunicatorFactory",
    "channel_layer",
    "channels_live_server",
    "live_server_url",
    "live_server_ws_url",
    "override_channel_layers",
]

_K = TypeVar("_K", default=dict[str, object])


class ChannelLayersOverride(Protocol):
    """``override_channel_layers(CHANNEL_LAYERS)``: the setting for this test."""

    def __call__(self, layers: Mapping[str, Mapping[str, object]], /) -> None: ...


class WebsocketCommunicatorFactory(Protocol):
    """Makes a :class:`WebsocketCommunicator` that is stopped after the test."""

    def __call__(
        self,
        application: ASGIApp[RoutedWebSocketScope[_K]],
        path: str,
        headers: Iterable[tuple[bytes, bytes]] | None = None,
        subprotocols: Iterable[str] | None = None,
    ) -> WebsocketCommunicator[_K]: ...


class HttpCommunicatorFactory(Protocol):
    """Makes an :class:`HttpCommunicator` that is stopped after the test."""

    def __call__(
        self,
        application: ASGIApp[RoutedHTTPScope[_K]],
        method: str,
        path: str,
        body: bytes = b"",
        headers: Iterable[tuple[bytes, bytes]] | None = None,
    ) -> HttpCommunicator[_K]: ...


@pytest.fixture
def channel_layer() -> Iterator[InMemoryChannelLayer]:
    """A new in-memory layer as the default layer; the previous one after."""
    layer = InMemoryChannelLayer()
    previous = set_channel_layer(layer, DEFAULT_CHANNEL_LAYER)
    try:
        yield layer
    finally:
        set_channel_layer(previous, DEFAULT_CHANNEL_LAYER)


@pytest.fixture
def override_channel_layers() -> Iterator[ChannelLayersOverride]:
    """Set ``CHANNEL_LAYERS`` for this test (the layer registry follows it)."""
    from django.test import override_settings

    overrides: list[override_settings] = []

    def override(layers: Mapping[str, Mapping[str, object]], /) -> None:
        setting = override_settings(
            CHANNEL_LAYERS={alias: dict(config) for alias, config in layers.items()}
        )
        setting.enable()
        overrides.append(setting)

    try:
        yield override
    finally:
        for setting in reversed(overrides):
            setting.disable()


@pytest.fixture(scope="session")
def channels_live_server() -> Iterator[ChannelsLiveServer]:
    """The project's ``ASGI_APPLICATION`` on uvicorn, for the whole session."""
    from .live import ChannelsLiveServer

    with ChannelsLiveServer() as server:
        yield server


@pytest.fixture(scope="session")
def channels_daphne_server() -> Iterator[DaphneLiveServer]:
    """The project's ``ASGI_APPLICATION`` on daphne (a child process), for the session."""
    from .live import DaphneLiveServer

    with DaphneLiveServer() as server:
        yield server


@pytest.fixture
def live_server_url(channels_live_server: ChannelsLiveServer) -> str:
    """``http://127.0.0.1:<port>`` of the live server."""
    return channels_live_server.url


@pytest.fixture
def live_server_ws_url(channels_live_server: ChannelsLiveServer) -> str:
    """``ws://127.0.0.1:<port>`` of the live server."""
    return channels_live_server.ws_url


try:
    import pytest_asyncio
except ImportError:  # pragma: no cover - the communicator fixtures need it
    pass
else:

    async def _stop_all(stops: list[Callable[[], Awaitable[None]]]) -> None:
        for stop in stops:
            await stop()

    @pytest_asyncio.fixture
    async def websocket_communicator() -> AsyncIterator[WebsocketCommunicatorFactory]:
        """Make WebSocket communicators; their apps are stopped after the test."""
        made: list[Callable[[], Awaitable[None]]] = []

        def make(
            application: ASGIApp[RoutedWebSocketScope[_K]],
            path: str,
            headers: Iterable[tuple[bytes, bytes]] | None = None,
            subprotocols: Iterable[str] | None = None,
        ) -> WebsocketCommunicator[_K]:
            communicator = WebsocketCommunicator(
                application, path, headers=headers, subprotocols=subprotocols
            )
            made.append(communicator.stop)
            return communicator

        yield make
        await _stop_all(made)

    @pytest_asyncio.fixture
    async def http_communicator() -> AsyncIterator[HttpCommunicatorFactory]:
        """Make HTTP communicators; their apps are stopped after the test."""
        made: list[Callable[[], Awaitable[None]]] = []

        def make(
            application: ASGIApp[RoutedHTTPScope[_K]],
            method: str,
            path: str,
            body: bytes = b"",
            headers: Iterable[tuple[bytes, bytes]] | None = None,
        ) -> HttpCommunicator[_K]:
            communicator = HttpCommunicator(
                application, method, path, body=body, headers=headers
            )
            made.append(communicator.stop)
            return communicator

        yield make
        await _stop_all(made)
