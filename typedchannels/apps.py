"""The Django app: add ``"typedchannels"`` to ``INSTALLED_APPS``."""

from __future__ import annotations

from django.apps import AppConfig


class TypedChannelsConfig(AppConfig):
    """Registers typedchannels' system checks once Django is set up."""

    name: str = "typedchannels"
    verbose_name: str = "typedchannels"  # pyright: ignore[reportIncompatibleVariableOverride]  # a plain str, where Django also allows a lazy one

    def ready(self) -> None:
        from . import checks
        from ._import_order import uninstall

        checks.register()
        uninstall()  # the registry is ready: the clearer message is not needed
