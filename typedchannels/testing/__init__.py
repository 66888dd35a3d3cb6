"""Drive ASGI apps in tests without a server (as ``channels.testing``)."""

from ._application import ApplicationCommunicator as ApplicationCommunicator
from ._http import HttpCommunicator as HttpCommunicator
from ._http import HttpResponse as HttpResponse
from ._websocket import ConnectResult as ConnectResult
from ._websocket import WebsocketCommunicator as WebsocketCommunicator
