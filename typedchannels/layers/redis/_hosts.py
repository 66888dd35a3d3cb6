"""Turning the ``hosts`` option into redis-py asyncio clients, one per shard."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Union, cast

import redis.asyncio
from redis.asyncio.retry import Retry
from redis.asyncio.sentinel import Sentinel
from redis.backoff import NoBackoff
from typing_extensions import TypeAlias

from ...exceptions import InvalidChannelLayerError

#: One host: a ``redis://`` / ``rediss://`` / ``unix://`` URL, a ``(host, port)``
#: pair, or a dict: ``{"address": url, ...client options}``, redis-py client
#: options (``{"host": ..., "port": ..., "password": ...}``), or a Sentinel
#: setup ``{"sentinels": [(host, port), ...], "master_name": ...,
#: "sentinel_kwargs": {...}, ...client options}``.
HostSpec: TypeAlias = Union[
    str, tuple[str, int], Sequence[object], Mapping[str, object]
]


class HostFactory:
    """Builds clients for one shard; each event loop gets its own (sockets are loop-bound)."""

    __slots__ = ("_kind", "_options", "description")

    def __init__(self, spec: object, index: int) -> None:
        where = f"RedisChannelLayer hosts[{index}]"
        self._options: dict[str, object] = {}
        if isinstance(spec, str):
            self._kind = "url"
            self._options["url"] = spec
            self.description = spec
        elif isinstance(spec, Mapping):
            options = dict(cast("Mapping[str, object]", spec))
            if "sentinels" in options:
                self._kind = "sentinel"
                if not isinstance(options.get("master_name"), str):
                    raise InvalidChannelLayerError(
                        f"{where}: a Sentinel host needs a str 'master_name'"
                    )
            elif "address" in options:
                self._kind = "url"
                options["url"] = options.pop("address")
                if not isinstance(options["url"], str):
                    raise InvalidChannelLayerError(f"{where}['address'] must be a URL")
            else:
                self._kind = "kwargs"
            self._options = options
            self.description = repr(
                {k: v for k, v in options.items() if k != "password"}
            )
        elif (
            isinstance(spec, (tuple, list)) and len(cast("Sequence[object]", spec)) == 2
        ):
            host, port = cast("Sequence[object]", spec)
            if not isinstance(host, str) or not isinstance(port, int):
                raise InvalidChannelLayerError(
                    f"{where} must be (host: str, port: int)"
                )
            self._kind = "kwargs"
            self._options = {"host": host, "port": port}
            self.description = f"{host}:{port}"
        else:
            raise InvalidChannelLayerError(
                f"{where} = {spec!r}: use a redis:// URL, a (host, port) pair or a dict"
            )

    def make(
        self, *, socket_timeout: float | None, connect_timeout: float
    ) -> redis.asyncio.Redis:
        """A new client (our own retry loop handles failures, so redis-py's is off)."""
        common: dict[str, object] = {
            "socket_connect_timeout": connect_timeout,
            "socket_timeout": socket_timeout,
            "retry": Retry(NoBackoff(), 0),
            "health_check_interval": 0,
        }
        options = {**common, **self._options}
        # User-supplied client options are only known at run time, so the
        # constructors are called through an untyped-keywords view.
        if self._kind == "url":
            from_url = cast("_ClientFactory", redis.asyncio.Redis.from_url)  # pyright: ignore[reportUnknownMemberType]
            return from_url(**options)
        if self._kind == "sentinel":
            sentinels = list(
                cast("Sequence[tuple[str, int]]", options.pop("sentinels"))
            )
            master_name = cast("str", options.pop("master_name"))
            sentinel_kwargs = options.pop("sentinel_kwargs", None)
            make_sentinel = cast("Callable[..., Sentinel]", Sentinel)
            sentinel = make_sentinel(
                sentinels, sentinel_kwargs=sentinel_kwargs, **options
            )
            master_for = cast("_ClientFactory", sentinel.master_for)  # pyright: ignore[reportUnknownMemberType]
            return master_for(master_name)
        return cast("_ClientFactory", redis.asyncio.Redis)(**options)


_ClientFactory: TypeAlias = "Callable[..., redis.asyncio.Redis]"
