"""The core app: the foundation every area builds on (API frame, emails, panels, money)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from core import panels

        def tenant_data_changed(sender, **kwargs) -> None:
            if sender._meta.app_label in {"companies", "grants"}:
                panels.data_changed()

        post_save.connect(tenant_data_changed, weak=False, dispatch_uid="panels-data-changed")
        post_delete.connect(tenant_data_changed, weak=False, dispatch_uid="panels-data-deleted")
