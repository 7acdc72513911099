"""The organisation's activity log (`companies.Activity`) for what happens to an application.

Transitions have their own log (`TransitionLog`); every other change to an application or to
what belongs to it (its documents, comments, dossiers) is one Activity row written here, named
by the application's reference so the log reads the same whatever the object.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from companies.models import Activity

if TYPE_CHECKING:
    from accounts.models import User
    from grants.models import Application


def application_activity_record(
    *,
    application: Application,
    actor: User | None,
    verb: str,
    data: dict[str, Any],
    obj: models.Model | None = None,
) -> Activity:
    """One row: `actor` did `verb` to the application (or to `obj`, a thing of it)."""
    obj = obj if obj is not None else application
    return Activity.objects.create(
        organisation_id=application.organisation_id,
        actor=actor,
        verb=verb,
        object_type=obj._meta.model_name,
        object_id=str(obj.pk),
        object_label=application.reference,
        company_id=application.company_id,
        data=data,
    )
