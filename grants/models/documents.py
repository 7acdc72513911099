"""Uploads into an application's document checklist. Every version is kept."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grants.models.applications import Application
from grants.models.catalogue import DocumentSlot


def document_path(instance: Document, filename: str) -> str:
    # Stored names never come from the user: the sanitised name is kept in `filename`.
    return (
        f"documents/{instance.application.organisation_id}/{instance.application_id}/"
        f"{instance.slot.code}-v{instance.version}-{instance.sha256[:16]}"
    )


class Document(models.Model):
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="documents")
    slot = models.ForeignKey(DocumentSlot, on_delete=models.PROTECT, related_name="documents")
    version = models.PositiveIntegerField(_("version"))
    file = models.FileField(upload_to=document_path, max_length=300)
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["slot__position", "slot_id", "-version"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "slot", "version"], name="document_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.filename} (v{self.version})"
