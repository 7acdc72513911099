"""Dossier services: request a generation, generate (the task's body), freeze the copy of record.

A generation is a new `Dossier` row every time: `dossier_request` creates it pending and enqueues
the task when the transaction commits; `dossier_generate` renders it in the worker and marks it
ready (file, SHA-256, pages, size) or failed (with a reason). Only a pending row is ever rendered
and only a pending row is ever marked, so a task delivered twice does no harm, and a ready
dossier (above all the copy of record) is never re-rendered or replaced.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from celery.exceptions import SoftTimeLimitExceeded
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grants.activity import application_activity_record
from grants.dossiers.build import BuiltDossier, build_dossier
from grants.guards import current_dossier
from grants.models import Application, Dossier
from grants.models.applications import may_act
from grants.models.dossiers import STALLED_AFTER

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger("grantdesk.dossiers")
Progress = Callable[[str], None]


def _record(dossier: Dossier, verb: str, actor: User | None, **data: Any) -> None:
    application_activity_record(
        application=dossier.application, actor=actor, verb=verb, data=data, obj=dossier
    )


def _enqueue(dossier_id: int) -> None:
    """Send the generation task (after commit). A broker that is down fails the dossier."""
    from grants.dossiers.tasks import generate_dossier

    try:
        generate_dossier.apply_async(args=[dossier_id], task_id=f"dossier-{dossier_id}")
    except Exception as exc:
        logger.exception("dossier %s: could not enqueue the generation", dossier_id)
        Dossier.objects.filter(pk=dossier_id, status=Dossier.Status.PENDING).update(
            status=Dossier.Status.FAILED, error=f"unreachable: {type(exc).__name__}"
        )


def dossier_request(*, application: Application, actor: User) -> Dossier:
    """Ask for a new dossier of the application (consultants and admins of its organisation).

    Returns the pending dossier: a new one, or the one already being generated (a double click
    does not render twice). A pending dossier that stalled is marked failed first.
    """
    if not may_act(application, actor):
        raise PermissionDenied(
            _("Only the organisation's consultants and admins generate dossiers.")
        )
    with transaction.atomic():
        # Serialise requests for one application (PostgreSQL; SQLite locks the whole database).
        Application.objects.select_for_update().filter(pk=application.pk).first()
        pending = application.dossiers.filter(status=Dossier.Status.PENDING)
        stalled = pending.filter(requested_at__lt=timezone.now() - STALLED_AFTER)
        stalled.update(status=Dossier.Status.FAILED, error="stalled")
        existing = pending.order_by("-requested_at", "-id").first()
        if existing is not None:
            return existing
        dossier = Dossier.objects.create(
            application=application, requested_by=actor, requested_at=timezone.now()
        )
        _record(dossier, "requested", actor)
        transaction.on_commit(lambda: _enqueue(dossier.pk))
    return dossier


def _mark_failed(dossier: Dossier, error: str) -> None:
    updated = Dossier.objects.filter(pk=dossier.pk, status=Dossier.Status.PENDING).update(
        status=Dossier.Status.FAILED, error=error[:2000]
    )
    if updated:
        _record(dossier, "generation_failed", dossier.requested_by, error=error[:200])


def dossier_generate(*, dossier_id: int, progress: Progress | None = None) -> str:
    """Render a pending dossier and store it; returns the dossier's status afterwards.

    The task body. Safe to run twice: anything but a pending dossier is left alone.
    """
    dossier = Dossier.objects.select_related("application", "requested_by").filter(pk=dossier_id)
    dossier = dossier.first()
    if dossier is None:
        return "missing"
    if dossier.status != Dossier.Status.PENDING:
        return dossier.status
    if dossier.is_stalled:
        _mark_failed(dossier, "stalled")
        return Dossier.Status.FAILED

    def step(name: str) -> None:
        Dossier.objects.filter(pk=dossier.pk, status=Dossier.Status.PENDING).update(step=name)
        if progress is not None:
            progress(name)

    # The dossier's time is when its data is read: a change made while it renders makes it stale.
    generated_at = timezone.now()
    try:
        built = build_dossier(dossier.application_id, generated_at=generated_at, progress=step)
    except SoftTimeLimitExceeded:
        _mark_failed(dossier, "timeout")
        return Dossier.Status.FAILED
    except Exception as exc:
        logger.exception("dossier %s: generation failed", dossier.pk)
        _mark_failed(dossier, f"failed: {type(exc).__name__}: {exc}")
        return Dossier.Status.FAILED
    step(Dossier.Step.STORING)
    return _store(dossier, built, generated_at)


def _store(dossier: Dossier, built: BuiltDossier, generated_at: datetime) -> str:
    dossier.file.save("dossier.pdf", ContentFile(built.content), save=False)
    name = dossier.file.name
    updated = Dossier.objects.filter(pk=dossier.pk, status=Dossier.Status.PENDING).update(
        status=Dossier.Status.READY,
        file=name,
        sha256=built.sha256,
        pages=built.pages,
        size=len(built.content),
        generated_at=generated_at,
        error="",
    )
    if not updated:  # another delivery of the task finished first: keep its file, drop ours
        dossier.file.storage.delete(name)
        return Dossier.objects.get(pk=dossier.pk).status
    _record(dossier, "generated", dossier.requested_by, pages=built.pages, sha256=built.sha256)
    return Dossier.Status.READY


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
