"""Typed Django Channels on ASGI 3."""
