"""Small helpers over mypy's types, shared by the checks."""

from __future__ import annotations

from mypy.checker import TypeChecker
from mypy.nodes import Expression, TypeInfo
from mypy.plugin import CheckerPluginInterface
from mypy.types import Instance


def named_instance(api: CheckerPluginInterface, fullname: str) -> Instance | None:
    """``fullname`` as a type, or None if its module is not part of the build."""
    if not isinstance(api, TypeChecker):
        return None
    module, _, name = fullname.rpartition(".")
    tree = api.modules.get(module)
    symbol = tree.names.get(name) if tree is not None else None
    if symbol is None or not isinstance(symbol.node, TypeInfo):
        return None
    return Instance(symbol.node, [])


def single_arg(args: list[list[Expression]], index: int) -> Expression | None:
    """The one expression passed for formal parameter ``index``, if exactly one."""
    if index >= len(args) or len(args[index]) != 1:
        return None
    return args[index][0]
