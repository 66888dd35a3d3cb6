"""Django settings for the Channels twin of the chat demo (bench only)."""

from __future__ import annotations

SECRET_KEY = "typedchannels-bench-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
USE_TZ = True
ROOT_URLCONF: list[object] = []
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
