"""Settings of the test project: SQLite by default, PostgreSQL when
``TYPEDCHANNELS_POSTGRES_URL`` is set (``postgresql://user@host:port/name``)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

BASE_DIR = Path(__file__).resolve().parent
POSTGRES_URL_ENV = "TYPEDCHANNELS_POSTGRES_URL"

SECRET_KEY = "typedchannels-tests-not-secret"
DEBUG = True
USE_TZ = True
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1", ".example.com"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.staticfiles",
    "typedchannels",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
ROOT_URLCONF = "tests.django_project.urls"
ASGI_APPLICATION = "tests.django_project.asgi.application"
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Fast hashing: the tests log users in, they do not test hashers.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _databases() -> dict[str, dict[str, object]]:
    url = os.environ.get(POSTGRES_URL_ENV)
    if url:
        parts = urlsplit(url)
        name = parts.path.lstrip("/") or "postgres"
        return {
            "default": {
                "ENGINE": "django.db.backends.postgresql",
                "NAME": name,
                "USER": unquote(parts.username or ""),
                "PASSWORD": unquote(parts.password or ""),
                "HOST": parts.hostname or "127.0.0.1",
                "PORT": str(parts.port or 5432),
                # One test database per process, so runs may overlap.
                "TEST": {"NAME": f"test_typedchannels_{os.getpid()}"},
            }
        }
    # A file, not ":memory:": closing a connection then really closes it (as
    # in production), and every thread sees the same database.
    tmp = Path(tempfile.gettempdir())
    return {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(tmp / "typedchannels-dev.sqlite3"),
            "TEST": {"NAME": str(tmp / f"typedchannels-test-{os.getpid()}.sqlite3")},
        }
    }


DATABASES = _databases()
