"""Every public name is importable, and visible to jedi (editor completion)."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import jedi
import pytest

import typedchannels
import typedchannels.types

ROOT = Path(__file__).resolve().parents[2]
PUBLIC_MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(typedchannels.__path__, "typedchannels.")
    if not any(part.startswith("_") for part in info.name.split("."))
    and not info.name.startswith(("typedchannels.mypy", "typedchannels.management"))
)


def complete(code: str) -> set[str]:
    script = jedi.Script(
        code, path=str(ROOT / "completion_probe.py"), project=jedi.Project(ROOT)
    )
    lines = code.splitlines()
    return {c.name.strip('"') for c in script.complete(len(lines), len(lines[-1]))}


@pytest.mark.parametrize("module_name", PUBLIC_MODULES)
def test_all_names_exist(module_name: str) -> None:
    module = importlib.import_module(module_name)
    names: list[str] = getattr(module, "__all__", [])
    for name in names:
        assert hasattr(module, name), f"{module_name}.__all__ names missing {name!r}"


def test_types_package_exports_are_visible_to_jedi() -> None:
    # (pytest rewrites our modules' asserts, as it does every pytest11 plugin
    # distribution's, adding "@py_builtins" and "@pytest_ar".)
    exported = {
        name for name in vars(typedchannels.types) if not name.startswith(("_", "@"))
    }
    exported -= {"annotations"}
    seen = complete("import typedchannels.types\ntypedchannels.types.")
    assert exported <= seen, exported - seen


@pytest.mark.parametrize(
    "module_name",
    [
        "typedchannels.routing",
        "typedchannels.consumer",
        "typedchannels.generic.websocket",
    ],
)
def test_module_all_is_visible_to_jedi(module_name: str) -> None:
    names: list[str] = importlib.import_module(module_name).__all__
    seen = complete(f"import {module_name} as m\nm.")
    assert set(names) <= seen


def test_editor_completes_scope_keys_from_the_consumer_scope_type() -> None:
    seen = complete(
        "from typedchannels.generic.websocket import AsyncWebsocketConsumer\n"
        "from typedchannels.types import RoutedAuthWebSocketScope\n"
        "class C(AsyncWebsocketConsumer[RoutedAuthWebSocketScope]):\n"
        "    async def connect(self) -> None:\n"
        '        self.scope["'
    )
    assert {"url_route", "user", "session", "cookies", "path", "headers"} <= seen


def test_editor_completes_event_keys() -> None:
    seen = complete(
        "from typedchannels.types import WebSocketReceiveEvent\n"
        "def f(event: WebSocketReceiveEvent) -> None:\n"
        '    event["'
    )
    assert {"type", "bytes", "text"} <= seen
