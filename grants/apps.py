"""The grants app; on start-up it connects its hooks to `companies` and its panels."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "grants"
    verbose_name = _("Grants")

    def ready(self) -> None:
        from grants import hooks

        hooks.register()
