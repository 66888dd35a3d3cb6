"""Django settings for the test suite's own Django project."""

from __future__ import annotations

SECRET_KEY = "typedchannels-tests-not-secret"
DEBUG = True
USE_TZ = True
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
INSTALLED_APPS = [
    "examples.chat.apps.ChatConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
]
DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"},
}
ROOT_URLCONF: list[object] = []
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
