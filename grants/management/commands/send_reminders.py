"""`manage.py send_reminders [--now ISO8601] [--dry-run]`: one reminder sweep, as beat runs it.

The sweep runs here, synchronously; the digests go out through the same `send_reminder_digest`
tasks as the beat sweep's (a worker sends them; with CELERY_TASK_ALWAYS_EAGER they are sent
inline). With --dry-run nothing is claimed, enqueued or sent: the counts say what would be.
The last line is the contract's: `reminders: N emails to M recipients for K deadlines`.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from grants.reminders.sweep import sweep_reminders


def parse_now(value: str) -> dt.datetime:
    """An ISO 8601 date or datetime; without an offset it is Shanghai time."""
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"--now {value!r} is not an ISO 8601 datetime, e.g. 2026-03-01T09:00:00+08:00."
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


class Command(BaseCommand):
    help = "Run one reminder sweep (as the Celery beat task does) and print the summary."

    def add_arguments(self, parser):
        parser.add_argument("--now", help="the sweep's moment, ISO 8601 (default: now)")
        parser.add_argument(
            "--dry-run", action="store_true", help="claim, enqueue and send nothing; only count"
        )

    def handle(self, *args, now=None, dry_run=False, **options):
        moment = timezone.now() if now is None else parse_now(now)
        summary = sweep_reminders(now=moment, dry_run=dry_run)
        when = timezone.localtime(moment).isoformat(timespec="minutes")
        if dry_run:
            self.stdout.write(f"dry run at {when}: nothing was claimed or sent")
        else:
            self.stdout.write(
                f"sweep at {when}: {summary.reminders} reminders claimed, "
                f"{summary.passed} passed, {summary.requeued} stale digests requeued"
            )
        self.stdout.write(summary.line)
