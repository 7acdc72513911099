"""Django admin: dossiers. Read-only: versions are kept, and a copy of record is never deleted.

The file is not linked: dossiers are served only by the permission-checked download views,
never through a media URL.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin
from grants.models import Dossier


@admin.register(Dossier)
class DossierAdmin(ReadOnlyAdmin):
    # Read-only: every version is kept; a copy of record can never be deleted (the model
    # refuses too).
    list_display = (
        "id",
        "application",
        "status",
        "is_copy_of_record",
        "pages",
        "size",
        "requested_by",
        "requested_at",
        "generated_at",
    )
    list_filter = ("status", "is_copy_of_record")
    search_fields = ("application__reference", "sha256")
    list_select_related = ("application", "requested_by")
    date_hierarchy = "requested_at"
    fields = (
        "application",
        "status",
        "step",
        "stored_file",
        "sha256",
        "pages",
        "size",
        "requested_by",
        "requested_at",
        "generated_at",
        "error",
        "is_copy_of_record",
        "frozen_at",
    )
    readonly_fields = fields

    @admin.display(description=_("stored file"))
    def stored_file(self, dossier: Dossier) -> str:
        return dossier.file.name or "—"
