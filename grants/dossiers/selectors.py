"""Reads for the dossier pages: what the panel on the application page shows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from grants.guards import current_dossier
from grants.models import Application, Dossier
from grants.models.applications import may_act

if TYPE_CHECKING:
    from accounts.models import User

PANEL_VERSIONS = 10  # the newest versions listed; the copy of record is always listed too


def panel_context(application: Application, user: User) -> dict:
    """The dossier panel: current or stale, the one being generated, failures, versions.

    Staff (consultants, admins) see every version and failures and may generate; clients see
    the ready versions and download them.
    """
    staff = may_act(application, user)
    dossiers = application.dossiers.select_related("requested_by")
    if not staff:
        dossiers = dossiers.ready()
    versions = list(dossiers[: PANEL_VERSIONS + 1])
    more = len(versions) > PANEL_VERSIONS
    versions = versions[:PANEL_VERSIONS]
    copy = next((d for d in versions if d.is_copy_of_record), None)
    if copy is None:
        copy = dossiers.filter(is_copy_of_record=True).first()
        if copy is not None:
            versions.append(copy)
    latest = versions[0] if versions else None
    in_progress = latest if latest is not None and latest.is_in_progress else None
    failed = (
        latest
        if staff
        and latest is not None
        and (latest.status == Dossier.Status.FAILED or latest.is_stalled)
        else None
    )
    current = current_dossier(application)
    has_ready = any(d.status == Dossier.Status.READY for d in versions)
    return {
        "application": application,
        "staff": staff,
        "versions": versions,
        "more_versions": more,
        "in_progress": in_progress,
        "failed": failed,
        "current": current,
        "stale": current is None and has_ready,
        "copy_of_record": copy,
    }
