"""The reminder ledger: the idempotency key of deadline reminders.

One row per (application, deadline kind, deadline instant, offset, recipient). The unique key
makes a reminder exactly once; a moved deadline has a new instant, so it re-arms.

A row's life: the sweep inserts it `claimed` (with the sweep's `claim_token` and the recipient's
`digest_key`) or `passed` (a more urgent offset was due at the same time: the catch-up after
downtime). The digest task locks the claimed rows of one digest, sends, and turns them `sent` in
the same transaction; a row whose deadline no longer applies by then becomes `cancelled`.
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
        CANCELLED = "cancelled", _("Cancelled (the deadline no longer applied)")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reminders")
    deadline_kind = models.CharField(max_length=20, choices=DeadlineKind.choices)
    deadline_at = models.DateTimeField()
    offset_days = models.PositiveSmallIntegerField()
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CLAIMED)
    # The sweep that inserted the row (a fresh token per sweep): how a sweep reads back exactly
    # the rows it won when another sweep inserted the same keys at the same moment.
    claim_token = models.CharField(max_length=32, blank=True, db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # One digest email per recipient per sweep: "<claim_token>:<recipient id>".
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
        # The sweep looks for claimed rows whose task never finished (crash recovery).
        indexes = [models.Index(fields=["status", "claimed_at"], name="reminder_status_claimed")]

    def __str__(self) -> str:
        return (
            f"{self.application_id} {self.deadline_kind} -{self.offset_days}d {self.recipient_id}"
        )
