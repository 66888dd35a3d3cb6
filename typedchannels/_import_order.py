"""A clear message for the import-order trap of Channels 3 projects.

``asgi.py`` must call ``get_asgi_application()`` (which sets Django up) before
importing consumers, routing or middleware that import models; otherwise
Django says only "Apps aren't loaded yet." While the registry is not ready,
this wraps its readiness check (on the registry instance, nothing else) so the
error says what to do; the wrapper removes itself once the apps are ready.
"""

from __future__ import annotations

from typing import Final

from django.apps import apps
from django.core.exceptions import AppRegistryNotReady

from .exceptions import ImportOrderError

__all__ = ["MESSAGE", "install"]

MESSAGE: Final = (
    "Django models were imported before the app registry was ready "
    '("Apps aren\'t loaded yet."). In asgi.py, call '
    "django_asgi_app = get_asgi_application() before importing consumers, "
    "routing or middleware that import models, and use django_asgi_app for "
    '"http" in ProtocolTypeRouter. In a script, call django.setup() first; '
    "and never import models from an app package's __init__.py."
)

_ATTRIBUTE: Final = "check_apps_ready"


def install() -> None:
    """Wrap the registry's readiness check until the apps are ready."""
    if apps.apps_ready or _ATTRIBUTE in vars(apps):
        return
    check = apps.check_apps_ready

    def check_apps_ready() -> None:
        try:
            check()
        except AppRegistryNotReady as exc:
            if isinstance(exc, ImportOrderError):
                raise
            raise ImportOrderError(MESSAGE) from exc
        vars(apps).pop(_ATTRIBUTE, None)  # ready: step out of the way

    vars(apps)[_ATTRIBUTE] = check_apps_ready


def uninstall() -> None:
    """Remove the wrapper (the app config does this once Django is set up)."""
    vars(apps).pop(_ATTRIBUTE, None)
