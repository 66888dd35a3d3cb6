"""Run every benchmark module in this package: ``python -m bench [name ...]``.

A benchmark module is one that defines ``main(argv: list[str] | None) -> int``;
each runs with its defaults. Names select modules (``python -m bench json_echo``).
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import cast


def benchmarks() -> dict[str, Callable[[list[str] | None], int]]:
    """The ``main`` of every module in this package that has one, by name."""
    found: dict[str, Callable[[list[str] | None], int]] = {}
    for module_info in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__package__ or 'bench'}.{module_info.name}")
        entry: object = getattr(module, "main", None)
        if callable(entry):
            found[module_info.name] = cast("Callable[[list[str] | None], int]", entry)
    return found


def main(argv: list[str] | None = None) -> int:
    """Run the chosen (default: all) benchmarks; the worst exit status wins."""
    names = sys.argv[1:] if argv is None else argv
    available = benchmarks()
    unknown = [name for name in names if name not in available]
    if unknown:
        print(f"unknown benchmark(s) {unknown}; available: {sorted(available)}")
        return 2
    status = 0
    for name in names or sorted(available):
        print(f"== {name}", flush=True)
        status = max(status, available[name]([]))
    return status


if __name__ == "__main__":
    sys.exit(main())
