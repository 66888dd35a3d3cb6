"""The Django app: add ``"typedchannels"`` to ``INSTALLED_APPS``."""

from __future__ import annotations

from django.apps import AppConfig


class TypedChannelsConfig(AppConfig):
    """Registers typedchannels' system checks once Django is set up."""

    name = "typedchannels"
    verbose_name = "typedchannels"

    def ready(self) -> None:
        from . import checks
        from ._import_order import uninstall

        checks.register()
        uninstall()  # the registry is ready: the clearer message is not needed
