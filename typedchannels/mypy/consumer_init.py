"""``typedchannels-init``: a consumer ``__init__`` that ``as_asgi()`` cannot serve.

``as_asgi(**initkwargs)`` calls ``__init__`` with keywords only, once per
connection. Plain typing reports ``__init__(self, scope)`` only where the
class is routed, and accepts anything at all when ``__init__`` is a
catch-all ``(*args, **kwargs)``: this check reports both at the definition.
"""

from __future__ import annotations

from typing import Final

from mypy.nodes import (
    ARG_POS,
    ARG_STAR,
    ARG_STAR2,
    Decorator,
    FuncDef,
)
from mypy.plugin import ClassDefContext
from mypy.types import CallableType, UnboundType, UnpackType

from . import errorcodes, names
from .marks import record_handler_marks

_HOW: Final = (
    'as_asgi() passes keyword arguments only: declare them, e.g. "def __init__'
    '(self, *, name: str) -> None", and read the scope as self.scope'
)


def on_consumer_class(ctx: ClassDefContext) -> None:
    """The base-class hook of every consumer subclass."""
    if ctx.cls.info.has_base(names.BASE_CONSUMER):
        record_handler_marks(ctx.cls.info)
        check_consumer_init(ctx)


def check_consumer_init(ctx: ClassDefContext) -> None:
    """Report a required positional parameter, ``*args`` or an unchecked ``**kwargs``."""
    info = ctx.cls.info
    func = _init_of(ctx)
    if func is None:
        return
    for argument in func.arguments[1:]:
        name = argument.variable.name
        where = f'"__init__" of consumer "{info.name}"'
        if argument.kind == ARG_POS:
            message = f'{where} takes a required positional parameter "{name}"; {_HOW}'
        elif argument.kind == ARG_STAR:
            message = f'{where} takes "*{name}", which as_asgi() never passes; {_HOW}'
        elif argument.kind == ARG_STAR2 and not _is_unpacked(func):
            message = (
                f'{where} takes "**{name}", so as_asgi() cannot check keyword names; '
                "list the keywords, or type it **kwargs: Unpack[SomeTypedDict]"
            )
        else:
            continue
        ctx.api.fail(message, argument, code=errorcodes.INIT)


def _is_unpacked(func: FuncDef) -> bool:
    """``**kwargs: Unpack[TD]``, whether or not mypy has analysed it yet."""
    if isinstance(func.type, CallableType) and func.type.unpack_kwargs:
        return True
    # The hook can run before the method's signature is analysed (a class
    # deferred to a later pass): then only the annotation's spelling is known.
    raw = func.unanalyzed_type
    if not isinstance(raw, CallableType) or not raw.arg_types:
        return False
    last = raw.arg_types[-1]
    return isinstance(last, UnpackType) or (
        isinstance(last, UnboundType) and last.name.rpartition(".")[2] == "Unpack"
    )


def _init_of(ctx: ClassDefContext) -> FuncDef | None:
    symbol = ctx.cls.info.names.get("__init__")
    node = symbol.node if symbol is not None else None
    if isinstance(node, Decorator):
        return node.func
    # An overloaded __init__ is skipped: as_asgi() checks keywords against
    # the overloads, and the implementation is free to be a catch-all.
    return node if isinstance(node, FuncDef) else None
