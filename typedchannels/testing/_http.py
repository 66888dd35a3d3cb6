"""A test client for HTTP apps: one request, the whole response."""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast
from urllib.parse import unquote, urlsplit

from typing_extensions import TypedDict, TypeVar

from ..types import ASGIApp, RoutedHTTPScope, URLRoute
from ._application import ApplicationCommunicator, empty_route

_K = TypeVar("_K", default=dict[str, object])


class HttpResponse(TypedDict):
    """A complete response: status, headers and the joined body."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


class HttpCommunicator(ApplicationCommunicator[RoutedHTTPScope[_K]]):
    """Sends one HTTP request to an app and collects the response."""

    def __init__(
        self,
        application: ASGIApp[RoutedHTTPScope[_K]],
        method: str,
        path: str,
        body: bytes = b"",
        headers: Iterable[tuple[bytes, bytes]] | None = None,
    ) -> None:
        parts = urlsplit(path)
        scope: RoutedHTTPScope[_K] = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.4"},
            "http_version": "1.1",
            "method": method.upper(),
            "scheme": "http",
            "path": unquote(parts.path),
            "raw_path": parts.path.encode("latin-1", "replace"),
            "query_string": parts.query.encode("latin-1", "replace"),
            "root_path": "",
            "headers": list(headers or []),
            # A consumer declaring kwargs and tested without a router finds
            # them missing, as it would at run time.
            "url_route": cast("URLRoute[_K]", empty_route()),
        }
        super().__init__(application, scope)
        self.body = body

    async def get_response(self, timeout: float = 1) -> HttpResponse:
        """Send the request and wait for the whole response.

        Raises:
            AssertionError: the app sent events out of order.
        """
        await self.send_input({"type": "http.request", "body": self.body})
        start = await self.receive_output(timeout)
        if start["type"] != "http.response.start":
            raise AssertionError(f"expected http.response.start, got {start!r}")
        response: HttpResponse = {
            "status": start["status"],
            "headers": [(bytes(k), bytes(v)) for k, v in start.get("headers", [])],
            "body": b"",
        }
        chunks: list[bytes] = []
        while True:
            event = await self.receive_output(timeout)
            if event["type"] != "http.response.body":
                raise AssertionError(f"expected http.response.body, got {event!r}")
            chunks.append(event.get("body", b""))
            if not event.get("more_body", False):
                break
        response["body"] = b"".join(chunks)
        return response
