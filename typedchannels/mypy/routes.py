"""``typedchannels-route``: a literal URL pattern against the app's url_route kwargs.

A consumer declares what its pattern captures through its scope type,
``AsyncWebsocketConsumer[RoutedWebSocketScope[RoomKwargs]]``. That link lives
in a string, so plain typing cannot see ``path("room/<int:pk>/", ...)`` give
``pk`` to a consumer that reads ``room_name``. This check parses the pattern
like Django does and compares it with the kwargs TypedDict.

``path``/``re_path`` are two instances of one class, so the hook is on
``_RouteFactory.__call__`` and the callee's full name says which syntax the
pattern uses; an alias of ``path`` bound to another name is not checked.
``__call__`` is overloaded, and mypy runs method hooks inside overload
matching with errors filtered (an error there only rejects the overload), so
this is a *signature* hook: it runs once per overload item before matching,
and reports once per call.
Custom converters (``register_converter``) are unknown here: their groups
count as captured, with no type check.
"""

from __future__ import annotations

from typing import Final

from mypy.messages import format_type
from mypy.nodes import (
    CallExpr,
    Context,
    DictExpr,
    NameExpr,
    RefExpr,
    StrExpr,
)
from mypy.plugin import MethodSigContext
from mypy.subtypes import find_member, is_subtype
from mypy.types import (
    CallableType,
    FunctionLike,
    Instance,
    ProperType,
    Type,
    TypedDictType,
    get_proper_type,
)

from . import errorcodes, names
from ._types import named_instance, single_arg
from .patterns import PatternError, parse_path, parse_re_path

_FACTORIES: Final = {names.PATH: "path", names.RE_PATH: "re_path"}
_PATTERN: Final = 0
_APP: Final = 1
_DEFAULT_KWARGS: Final = 2


class RouteCheck:
    """The signature hook; remembers the last call so each is checked once."""

    def __init__(self) -> None:
        self._last: Context | None = None

    def __call__(self, ctx: MethodSigContext) -> FunctionLike:
        if ctx.context is not self._last:
            self._last = ctx.context
            _check_route(ctx)
        return ctx.default_signature


def _check_route(ctx: MethodSigContext) -> None:
    """Compare a literal pattern's groups and converters with the kwargs TypedDict."""
    call = ctx.context
    if not isinstance(call, CallExpr) or not isinstance(call.callee, RefExpr):
        return
    factory = _FACTORIES.get(call.callee.fullname)
    pattern_expr = single_arg(ctx.args, _PATTERN)
    app_expr = single_arg(ctx.args, _APP)
    if factory is None or not isinstance(pattern_expr, StrExpr) or app_expr is None:
        return
    pattern = pattern_expr.value
    label = f'{factory}() pattern "{pattern}"'
    try:
        captured = _captured_types(ctx, factory, pattern)
    except PatternError as exc:
        ctx.api.fail(f"Invalid {label}: {exc}", pattern_expr, code=errorcodes.ROUTE)
        return
    # Errors in the app expression are reported when the call is checked.
    with ctx.api.msg.filter_errors():
        declared = _declared_kwargs(ctx.api.get_expression_type(app_expr))
    if declared is None:
        return
    defaults = _default_kwarg_names(ctx)
    kwargs_name = f'"{declared.fallback.type.name}"'
    for key, converted in captured.items():
        if key not in declared.items:
            message = f'{label} captures "{key}", which {kwargs_name} does not declare'
            ctx.api.fail(message, pattern_expr, code=errorcodes.ROUTE)
            continue
        wanted = declared.items[key]
        if converted is None or is_subtype(converted[1], wanted):
            continue
        converter, given = converted
        how = f' (converter "{converter}")' if factory == "path" else ""
        message = (
            f'{label} gives "{key}" as {format_type(given, ctx.api.options)}{how}, '
            f"but {kwargs_name} declares {format_type(wanted, ctx.api.options)}"
        )
        ctx.api.fail(message, pattern_expr, code=errorcodes.ROUTE)
    if defaults is None:
        return
    for key in sorted(defaults - declared.items.keys()):
        message = (
            f'{factory}() kwargs give "{key}", which {kwargs_name} does not declare'
        )
        ctx.api.fail(message, pattern_expr, code=errorcodes.ROUTE)
    for key in sorted(declared.required_keys - captured.keys() - defaults):
        message = f'{label} does not capture "{key}", which {kwargs_name} requires'
        ctx.api.fail(message, pattern_expr, code=errorcodes.ROUTE)


def _captured_types(
    ctx: MethodSigContext, factory: str, pattern: str
) -> dict[str, tuple[str, Instance] | None]:
    """Each group and (converter, type), or None where the type is unknown."""
    if factory == "re_path":
        text = named_instance(ctx.api, names.REGEX_GROUP_TYPE)
        return {
            key: None if text is None else ("", text) for key in parse_re_path(pattern)
        }
    captured: dict[str, tuple[str, Instance] | None] = {}
    for key, converter in parse_path(pattern).items():
        fullname = names.CONVERTER_TYPES.get(converter)
        instance = None if fullname is None else named_instance(ctx.api, fullname)
        captured[key] = None if instance is None else (converter, instance)
    return captured


def _declared_kwargs(app: Type) -> TypedDictType | None:
    """The ``url_route["kwargs"]`` TypedDict of the scope the app takes, if any."""
    proper: ProperType | None = get_proper_type(app)
    if isinstance(proper, Instance):
        member = find_member("__call__", proper, proper, is_operator=True)
        proper = get_proper_type(member)
    if not isinstance(proper, CallableType) or not proper.arg_types:
        return None
    scope = get_proper_type(proper.arg_types[0])
    if not isinstance(scope, TypedDictType):
        return None
    url_route = get_proper_type(scope.items.get(names.URL_ROUTE_KEY))
    if not isinstance(url_route, TypedDictType):
        return None
    kwargs = get_proper_type(url_route.items.get(names.KWARGS_KEY))
    return kwargs if isinstance(kwargs, TypedDictType) else None


def _default_kwarg_names(ctx: MethodSigContext) -> set[str] | None:
    """Keys of the ``kwargs=`` argument; None if they cannot be known."""
    expr = single_arg(ctx.args, _DEFAULT_KWARGS)
    if expr is None or (
        isinstance(expr, NameExpr) and expr.fullname == "builtins.None"
    ):
        return set()
    if not isinstance(expr, DictExpr):
        return None
    keys: set[str] = set()
    for key, _ in expr.items:
        if not isinstance(key, StrExpr):
            return None
        keys.add(key.value)
    return keys
