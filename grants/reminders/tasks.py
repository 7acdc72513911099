"""Celery tasks: the reminder sweep (run by beat every 15 minutes) and digest sending.

Task names (stable, the beat schedule in config/celery.py names the first):
`grants.reminders.tasks.sweep_reminders` and `grants.reminders.tasks.send_reminder_digest`.
"""

from __future__ import annotations

import datetime as dt
import smtplib

from celery import shared_task
from django.utils import timezone

from grants.reminders import digests
from grants.reminders import sweep as reminder_sweep

BUSY_RETRY_SECONDS = 60


@shared_task(name="grants.reminders.tasks.sweep_reminders")
def sweep_reminders() -> dict:
    """One sweep at the current time; the sending happens in `send_reminder_digest` tasks."""
    summary = reminder_sweep.sweep_reminders(now=timezone.now())
    return {
        "emails": summary.emails,
        "recipients": summary.recipients,
        "deadlines": summary.deadlines,
        "reminders": summary.reminders,
        "passed": summary.passed,
        "requeued": summary.requeued,
    }


@shared_task(
    bind=True,
    name="grants.reminders.tasks.send_reminder_digest",
    acks_late=True,
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=30,
    retry_backoff_max=15 * 60,
    retry_jitter=True,
    max_retries=8,
)
def send_reminder_digest(self, digest_key: str, as_of: str) -> bool:
    """Send one recipient's digest exactly once (see `digests.reminder_digest_send`)."""
    try:
        return digests.reminder_digest_send(
            digest_key=digest_key, as_of=dt.datetime.fromisoformat(as_of)
        )
    except digests.DigestBusy as busy:
        # A short countdown only: the broker redelivers unacknowledged messages after its
        # visibility timeout, so no task here waits long.
        raise self.retry(exc=busy, countdown=BUSY_RETRY_SECONDS)
