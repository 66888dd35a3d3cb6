"""``typedchannels-handler``: a layer message whose ``type`` the consumer cannot handle.

``self.channel_layer.group_send(group, {"type": "chat.message", ...})`` is
dispatched by string to ``chat_message``. Inside a consumer method, this
check finds that handler on the sending class and checks the literal
payload against the handler's event TypedDict.

Limits: group members are decided at run time, so only the sending class is
checked (``group_send_to(group, Other.handler, ...)`` checks any class);
``send`` is checked only when it targets ``self.channel_name``, since any
other channel may belong to a worker or another consumer class; calls
through ``async_to_sync(...)`` and from outside a consumer are not checked.
"""

from __future__ import annotations

import difflib
from typing import Final

from mypy.checker import TypeChecker
from mypy.messages import format_type
from mypy.nodes import (
    CallExpr,
    Decorator,
    DictExpr,
    Expression,
    FuncDef,
    MemberExpr,
    NameExpr,
    StrExpr,
    TypeInfo,
)
from mypy.plugin import MethodContext
from mypy.subtypes import is_subtype
from mypy.types import (
    CallableType,
    LiteralType,
    Type,
    TypedDictType,
    get_proper_type,
)

from . import errorcodes, names
from ._types import single_arg
from .marks import is_marked_handler

_CHANNEL: Final = 0
_MESSAGE: Final = 1
_TYPE_KEY: Final = "type"


def check_layer_message(ctx: MethodContext) -> Type:
    """Check a literal message's ``type`` and payload against the sender's handler."""
    api = ctx.api
    call = ctx.context
    if not isinstance(api, TypeChecker) or not isinstance(call, CallExpr):
        return ctx.default_return_type
    consumer = _sending_consumer(api)
    channel, message = single_arg(ctx.args, _CHANNEL), single_arg(ctx.args, _MESSAGE)
    if consumer is None or channel is None or message is None:
        return ctx.default_return_type
    if _method_name(call) == "send" and not _is_own_channel(channel):
        return ctx.default_return_type
    message_type = _literal_type_name(api, message)
    if message_type is None:
        return ctx.default_return_type
    event = _handler_event(api, consumer, message_type, message)
    if event is None:
        return ctx.default_return_type
    handler, declared = event
    if isinstance(message, DictExpr):
        _check_dict_payload(api, message, message_type, handler, declared)
    else:
        sent = api.lookup_type(message)
        if not is_subtype(sent, declared):
            api.fail(
                f"Message {format_type(sent, api.options)} does not match the event "
                f'type {format_type(declared, api.options)} of handler "{handler}"',
                message,
                code=errorcodes.HANDLER,
            )
    return ctx.default_return_type


def _sending_consumer(api: TypeChecker) -> TypeInfo | None:
    function = api.scope.current_function()
    if function is None:
        return None
    info = api.scope.enclosing_class(function)
    if info is None or not info.has_base(names.BASE_CONSUMER):
        return None
    return info


def _method_name(call: CallExpr) -> str | None:
    return call.callee.name if isinstance(call.callee, MemberExpr) else None


def _is_own_channel(channel: Expression) -> bool:
    return (
        isinstance(channel, MemberExpr)
        and channel.name == "channel_name"
        and isinstance(channel.expr, NameExpr)
        and channel.expr.name == "self"
    )


def _literal_type_name(api: TypeChecker, message: Expression) -> str | None:
    """The message's ``type``: a str literal in a dict display, or a TypedDict's Literal."""
    if isinstance(message, DictExpr):
        for key, value in message.items:
            if isinstance(key, StrExpr) and key.value == _TYPE_KEY:
                return value.value if isinstance(value, StrExpr) else None
        return None
    sent = get_proper_type(api.lookup_type(message))
    if not isinstance(sent, TypedDictType):
        return None
    literal = get_proper_type(sent.items.get(_TYPE_KEY))
    if isinstance(literal, LiteralType) and isinstance(literal.value, str):
        return literal.value
    return None


def _handler_event(
    api: TypeChecker, consumer: TypeInfo, message_type: str, where: Expression
) -> tuple[str, TypedDictType] | None:
    """Report a missing handler; return the handler's event TypedDict if it has one."""
    name = message_type.replace(".", "_")
    if not name or name.startswith("_"):
        api.fail(
            f'Message type "{message_type}" maps to the private name "{name}", '
            "which is never dispatched",
            where,
            code=errorcodes.HANDLER,
        )
        return None
    symbol = consumer.get(name)
    node = symbol.node if symbol is not None else None
    func = node.func if isinstance(node, Decorator) else node
    if not isinstance(func, FuncDef) or not _is_handler(func):
        candidates = [
            candidate
            for candidate in _handler_names(consumer)
            if not candidate.startswith(("websocket_", "http_"))
        ]
        close = difflib.get_close_matches(name, candidates, n=1)
        hint = f'; did you mean "{close[0].replace("_", ".")}"?' if close else ""
        api.fail(
            f'"{consumer.name}" has no handler for message type "{message_type}" '
            f'(a method named "{name}"){hint}',
            where,
            code=errorcodes.HANDLER,
        )
        return None
    signature = func.type
    if not isinstance(signature, CallableType) or len(signature.arg_types) < 2:
        return None
    declared = get_proper_type(signature.arg_types[1])
    if not isinstance(declared, TypedDictType):
        return None
    return f"{consumer.name}.{name}", declared


def _is_handler(func: FuncDef) -> bool:
    """Methods of typedchannels' own classes are handlers only when marked."""
    if not func.fullname.startswith(names.FRAMEWORK_PREFIX):
        return True
    return is_marked_handler(func.info, func.name)


def _handler_names(consumer: TypeInfo) -> list[str]:
    found: list[str] = []
    for klass in consumer.mro:
        for name, symbol in klass.names.items():
            node = symbol.node
            func = node.func if isinstance(node, Decorator) else node
            if (
                isinstance(func, FuncDef)
                and not name.startswith("_")
                and _is_handler(func)
            ):
                found.append(name)
    return found


def _check_dict_payload(
    api: TypeChecker,
    message: DictExpr,
    message_type: str,
    handler: str,
    declared: TypedDictType,
) -> None:
    where = f'Message "{message_type}" for handler "{handler}"'
    event = format_type(declared, api.options)
    given: set[str] = set()
    for key, value in message.items:
        if key is None:
            return  # a ** spread: the keys are not known here
        if not isinstance(key, StrExpr):
            continue
        given.add(key.value)
        wanted = declared.items.get(key.value)
        if wanted is None:
            api.fail(
                f'{where} has key "{key.value}", which {event} does not declare',
                key,
                code=errorcodes.HANDLER,
            )
            continue
        with api.msg.filter_errors():
            actual = api.expr_checker.accept(value, type_context=wanted)
        if not is_subtype(actual, wanted):
            api.fail(
                f'{where} has "{key.value}" of type {format_type(actual, api.options)}, '
                f"but {event} declares {format_type(wanted, api.options)}",
                value,
                code=errorcodes.HANDLER,
            )
    for missing in sorted(declared.required_keys - given):
        api.fail(
            f'{where} lacks key "{missing}", which {event} requires',
            message,
            code=errorcodes.HANDLER,
        )
