# Minimal stubs for the part of jedi the tests use (jedi ships no types);
# checked against the runtime by `make stubtest`.
from collections.abc import Iterable
from os import PathLike

from jedi.api.classes import Completion

class Project:
    def __init__(
        self,
        path: str | PathLike[str],
        *,
        environment_path: str | None = None,
        load_unsafe_extensions: bool = False,
        sys_path: list[str] | None = None,
        added_sys_path: Iterable[str] = (),
        smart_sys_path: bool = True,
    ) -> None: ...

class Script:
    def __init__(
        self,
        code: str | None = None,
        *,
        path: str | PathLike[str] | None = None,
        environment: object = None,
        project: Project | None = None,
    ) -> None: ...
    def complete(
        self, line: int | None = None, column: int | None = None, *, fuzzy: bool = False
    ) -> list[Completion]: ...
