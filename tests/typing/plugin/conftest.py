"""Run the plugin's yml cases with this directory's mypy.ini and this venv's mypy.

pytest-mypy-plugins takes its base config from ``--mypy-ini-file`` and runs
the ``mypy`` it finds on PATH; both are set here so a plain ``pytest`` (as
``make test`` runs it) checks the cases the same way everywhere. The cases
share the plugin's incremental cache (pytest-mypy-plugins' default), so only
the first case pays for analysing Django's stubs.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

_HERE = Path(__file__).parent


def pytest_configure(config: pytest.Config) -> None:
    if not getattr(config.option, "mypy_ini_file", None):
        config.option.mypy_ini_file = str(_HERE / "mypy.ini")
    bin_dir = str(Path(sys.executable).parent)
    os.environ["PATH"] = os.pathsep.join([bin_dir, os.environ.get("PATH", "")])
