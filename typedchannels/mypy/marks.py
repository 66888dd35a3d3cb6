"""Which methods of typedchannels' own consumer classes are message handlers.

At run time a method of a typedchannels base class is a handler only if it
is marked with ``@handler``, so a layer message of type ``"close"`` cannot
call ``close()``. Decorators are not kept in mypy's cache, so the marks are
recorded in the class's plugin metadata while the class is analysed.
"""

from __future__ import annotations

from mypy.nodes import Decorator, RefExpr, TypeInfo

from . import names


def record_handler_marks(info: TypeInfo) -> None:
    """Store the names of this class's ``@handler`` methods in its metadata."""
    if not info.fullname.startswith(names.FRAMEWORK_PREFIX):
        return
    marked = sorted(
        name
        for name, symbol in info.names.items()
        if isinstance(symbol.node, Decorator)
        and any(
            isinstance(decorator, RefExpr)
            and decorator.fullname == names.HANDLER_DECORATOR
            for decorator in symbol.node.decorators
        )
    )
    info.metadata[names.METADATA_KEY] = {names.HANDLERS_KEY: marked}


def is_marked_handler(info: TypeInfo, name: str) -> bool:
    """Whether ``info`` (a typedchannels class) marks method ``name`` as a handler."""
    data = info.metadata.get(names.METADATA_KEY, {})
    marked: object = data.get(names.HANDLERS_KEY, [])
    return isinstance(marked, list) and name in marked
