"""Generated PDF application packs. Every version is kept; one may be the copy of record."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grants.models.applications import Application


class CopyOfRecordError(Exception):
    """Raised on any attempt to delete or replace a dossier frozen at submission."""


def dossier_path(instance: Dossier, filename: str) -> str:
    app = instance.application
    return f"dossiers/{app.organisation_id}/{app.pk}/{app.reference}-{instance.pk}.pdf"


class DossierQuerySet(models.QuerySet):
    def delete(self):
        if self.filter(is_copy_of_record=True).exists():
            raise CopyOfRecordError("A copy of record can never be deleted.")
        return super().delete()


class Dossier(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Being generated")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="dossiers")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
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

    def delete(self, *args, **kwargs):
        if self.is_copy_of_record:
            raise CopyOfRecordError("A copy of record can never be deleted.")
        return super().delete(*args, **kwargs)
