"""The plugin never imports Django or the typedchannels runtime.

mypy imports plugins into its own process: importing Django there would be
slow and could need settings, and importing the runtime would tie a check to
the installed version's behaviour instead of the code being checked.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import typedchannels.mypy

PLUGIN_DIR = Path(typedchannels.mypy.__file__).parent
RUNTIME = ("consumer", "routing", "types", "generic", "layers", "testing", "middleware")


def imported_modules(source: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(source.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
    return found


def test_plugin_modules_import_only_mypy_and_the_standard_library() -> None:
    for source in PLUGIN_DIR.glob("*.py"):
        for module in imported_modules(source):
            top = module.partition(".")[0]
            assert top == "mypy" or top in sys.stdlib_module_names, (
                source.name,
                module,
            )


def test_loading_the_plugin_loads_no_runtime_module() -> None:
    code = (
        "import sys, typedchannels.mypy as p; p.plugin('2.4.1'); "
        "print(' '.join(sorted(sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    loaded = set(result.stdout.split())
    runtime = {f"typedchannels.{name}" for name in RUNTIME}
    assert not loaded & runtime
    assert not {m for m in loaded if m == "django" or m.startswith("django.")}
