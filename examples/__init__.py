"""Runnable, type-checked examples of typedchannels."""
