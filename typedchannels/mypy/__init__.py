"""The typedchannels mypy plugin: ``plugins = typedchannels.mypy`` in your mypy config.

It checks what plain typing cannot, because it lives in strings or in
signatures that silently accept anything: URL patterns against the
consumer's url_route kwargs (``typedchannels-route``), channel layer message
types against the sending consumer's handlers (``typedchannels-handler``),
and consumer ``__init__`` signatures (``typedchannels-init``).
"""

from .main import plugin as plugin
