"""The chat demo: the Channels tutorial's chat rooms, rebuilt the typed way.

A small Django project (and its one app, label ``chat``): a room list page, a
room page, and :class:`~examples.chat.consumers.ChatConsumer`, a JSON
websocket consumer whose incoming and outgoing messages are tagged msgspec
Structs (:mod:`examples.chat.messages`). Run it with ``make demo`` (or
``python -m examples.chat``); the tutorial is docs/tutorial.md.
"""
