"""The app a :class:`~typedchannels.testing.live.DaphneLiveServer` child serves.

daphne runs in a child process (Twisted allows one reactor per process), so
the child rebuilds the application from what the parent passes in its
environment: the ``ASGI_APPLICATION`` path, whether to serve static files,
and the name of the database the tests use (a test database the parent
created under another name than the settings give).
"""

from __future__ import annotations

import os
from typing import Final

from django.core.asgi import get_asgi_application

django_asgi_app = get_asgi_application()  # sets Django up before the app imports

from django.conf import settings  # noqa: E402
from django.utils.module_loading import import_string  # noqa: E402

from ..types import AnyScope, ASGIApp  # noqa: E402
from .live import APPLICATION_ENV, DATABASE_ENV, STATIC_ENV, with_static_files  # noqa: E402

if os.environ.get(DATABASE_ENV):
    settings.DATABASES["default"]["NAME"] = os.environ[DATABASE_ENV]

_application: ASGIApp[AnyScope] = import_string(os.environ[APPLICATION_ENV])
if os.environ.get(STATIC_ENV) == "1":
    _application = with_static_files(_application)

#: What daphne serves.
application: Final = _application
