"""The reminder ledger: the idempotency key of deadline reminders.

One row per (application, deadline kind, deadline instant, offset, recipient). The unique key
makes a reminder exactly once; a moved deadline has a new instant, so it re-arms.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grants.models.applications import Application


class Reminder(models.Model):
    class DeadlineKind(models.TextChoices):
        CALL = "call", _("Call deadline")
        SUPPLEMENT = "supplement", _("Supplement deadline")

    class Status(models.TextChoices):
        CLAIMED = "claimed", _("Claimed for sending")
        SENT = "sent", _("Sent")
        PASSED = "passed", _("Passed (a more urgent reminder was due)")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reminders")
    deadline_kind = models.CharField(max_length=20, choices=DeadlineKind.choices)
    deadline_at = models.DateTimeField()
    offset_days = models.PositiveSmallIntegerField()
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CLAIMED)
    digest_key = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "deadline_kind", "deadline_at", "offset_days", "recipient"],
                name="reminder_exactly_once",
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.application_id} {self.deadline_kind} -{self.offset_days}d {self.recipient_id}"
        )
