"""Generated PDF application packs. Every version is kept; one may be the copy of record."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from companies.models import Membership, membership_of
from grants.models.applications import Application

if TYPE_CHECKING:
    from accounts.models import User

# A pending dossier older than this never finished (worker lost, broker down): it is shown as
# failed and a new request may be made. Well above the task's hard time limit plus queueing.
STALLED_AFTER = timedelta(minutes=15)


class CopyOfRecordError(Exception):
    """Raised on any attempt to delete or replace a dossier frozen at submission."""


def dossier_path(instance: Dossier, filename: str) -> str:
    app = instance.application
    return f"dossiers/{app.organisation_id}/{app.pk}/{app.reference}-{instance.pk}.pdf"


class DossierQuerySet(models.QuerySet):
    def visible_to(self, user: User | None) -> DossierQuerySet:
        """The dossiers of the applications the user may see (clients: their company's)."""
        membership = membership_of(user)
        if membership is None:
            return self.none()
        if membership.role == Membership.Role.CLIENT:
            return self.filter(application__company_id=membership.company_id)
        return self.filter(application__organisation_id=membership.organisation_id)

    def ready(self) -> DossierQuerySet:
        return self.filter(status=Dossier.Status.READY)

    def delete(self):
        if self.filter(is_copy_of_record=True).exists():
            raise CopyOfRecordError("A copy of record can never be deleted.")
        return super().delete()


class Dossier(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Being generated")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    class Step(models.TextChoices):
        """Where a pending generation is; shown as progress while the worker renders."""

        QUEUED = "queued", _("Waiting for a worker")
        COLLECTING = "collecting", _("Collecting the application's data")
        RENDERING = "rendering", _("Laying out the pages")
        ANNEX = "annex", _("Adding the uploaded documents")
        STORING = "storing", _("Saving the PDF")

    # Failure reasons are stored as a code (then ": detail"), and worded when shown, so each
    # reader sees the reason in their own language.
    FAILURE_REASONS = {
        "timeout": _("The generation took too long and was stopped."),
        "failed": _("The PDF could not be generated."),
        "unreachable": _("The background worker could not be reached."),
        "stalled": _("The generation did not finish (the worker stopped or was restarted)."),
    }

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="dossiers")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    step = models.CharField(max_length=12, choices=Step.choices, default=Step.QUEUED)
    file = models.FileField(upload_to=dossier_path, max_length=300, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    generated_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    is_copy_of_record = models.BooleanField(_("copy of record"), default=False)
    frozen_at = models.DateTimeField(null=True, blank=True)

    objects = DossierQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(is_copy_of_record=True),
                name="one_copy_of_record_per_application",
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id} dossier {self.pk}"

    def save(self, *args, **kwargs):
        # Services change dossiers with conditional UPDATEs; a save() of a frozen row would
        # replace what was submitted.
        if self.pk and Dossier.objects.filter(pk=self.pk, is_copy_of_record=True).exists():
            raise CopyOfRecordError("A copy of record can never be changed.")
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_copy_of_record:
            raise CopyOfRecordError("A copy of record can never be deleted.")
        return super().delete(*args, **kwargs)

    @property
    def is_stalled(self) -> bool:
        return (
            self.status == self.Status.PENDING
            and self.requested_at < timezone.now() - STALLED_AFTER
        )

    @property
    def is_in_progress(self) -> bool:
        return self.status == self.Status.PENDING and not self.is_stalled

    @property
    def progress_percent(self) -> int:
        steps = list(self.Step)
        position = steps.index(self.Step(self.step)) if self.step in self.Step.values else 0
        return 10 + 80 * position // (len(steps) - 1)

    @property
    def failure_message(self) -> str:
        """The reason of a failure (or of a stalled generation), in the active language."""
        if self.is_stalled:
            return str(self.FAILURE_REASONS["stalled"])
        code, _sep, detail = self.error.partition(": ")
        reason = self.FAILURE_REASONS.get(code)
        if reason is None:
            return self.error or gettext("No reason was recorded.")
        return f"{reason} {detail}".strip()

    @property
    def download_name(self) -> str:
        return f"{self.application.reference}-dossier-{self.pk}.pdf"
