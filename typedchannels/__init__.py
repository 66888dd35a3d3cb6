"""Typed Django Channels on ASGI 3."""

from ._import_order import install as _install_import_order_message

_install_import_order_message()
