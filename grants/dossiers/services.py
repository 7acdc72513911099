"""Dossier services. Generation comes with the dossier issue; freezing is used by `submit`."""

from __future__ import annotations

from django.utils import timezone

from grants.guards import current_dossier
from grants.models import Application, Dossier


def dossier_freeze_copy_of_record(*, application: Application) -> Dossier | None:
    """Mark the current dossier as the application's copy of record (inside `submit`).

    Called in the transition's transaction, after the `submit` guard has checked that a current
    dossier exists. A copy of record is never replaced: if one exists, it is returned as is.
    """
    existing = application.dossiers.filter(is_copy_of_record=True).first()
    if existing is not None:
        return existing
    dossier = current_dossier(application)
    if dossier is None:
        return None
    Dossier.objects.filter(pk=dossier.pk).update(is_copy_of_record=True, frozen_at=timezone.now())
    dossier.refresh_from_db()
    return dossier
