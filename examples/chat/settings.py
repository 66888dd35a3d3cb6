"""Settings of the chat demo: SQLite, and the in-memory channel layer.

``TYPEDCHANNELS_REDIS_URL`` (e.g. ``redis://127.0.0.1:6379/0``) switches to
the Redis layer, so several server processes share the rooms.
``TYPEDCHANNELS_CHAT_DB`` moves the SQLite file (tests use a temporary one).
Not for production as it stands: the secret key is public and DEBUG is on.
"""

from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "typedchannels-chat-demo-not-secret")
DEBUG = os.environ.get("TYPEDCHANNELS_CHAT_DEBUG", "1") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "examples.chat.apps.ChatConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "examples.chat.urls"
ASGI_APPLICATION = "examples.chat.asgi.application"

TEMPLATES: list[dict[str, object]] = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("TYPEDCHANNELS_CHAT_DB") or BASE_DIR / "db.sqlite3",
    }
}

_REDIS_URL = os.environ.get("TYPEDCHANNELS_REDIS_URL", "")
CHANNEL_LAYERS: dict[str, dict[str, object]] = {
    "default": (
        {
            "BACKEND": "typedchannels.layers.redis.RedisChannelLayer",
            "CONFIG": {"hosts": [_REDIS_URL]},
        }
        if _REDIS_URL
        else {"BACKEND": "typedchannels.layers.InMemoryChannelLayer"}
    )
}

LOGIN_URL = "/admin/login/"
USE_TZ = True
TIME_ZONE = "UTC"
STATIC_URL = "static/"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
