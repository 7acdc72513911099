"""The Celery side: task names, the beat schedule, the busy-digest retry, the notifications."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from config.celery import app
from grants.models import Reminder
from grants.reminders import digests, tasks
from tests.grants.reminders.factories import application_with_deadline, shanghai

DEADLINE = shanghai(2026, 3, 31, 17, 0)


def test_the_beat_schedule_runs_the_sweep_task_every_15_minutes():
    entry = app.conf.beat_schedule["send-reminders"]
    assert entry["task"] == tasks.sweep_reminders.name == "grants.reminders.tasks.sweep_reminders"
    assert entry["task"] in app.tasks
    assert "*/15" in str(entry["schedule"])
    digest = app.tasks["grants.reminders.tasks.send_reminder_digest"]
    assert digest.acks_late is True
    assert digest.max_retries == 8


@pytest.mark.django_db
@time_machine.travel(DEADLINE - dt.timedelta(days=3), tick=False)
def test_the_beat_task_sweeps_at_the_current_time(cast, eager_tasks, outbox):
    application_with_deadline(cast.company, DEADLINE, assignee=cast.consultant)
    result = tasks.sweep_reminders.apply().get()
    assert result["emails"] == 2 and result["deadlines"] == 1
    assert Reminder.objects.filter(status="claimed", offset_days=3).count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_copy_of_the_task_finding_the_rows_locked_retries_instead_of_sending(
    cast, postgres, outbox
):
    application = application_with_deadline(
        cast.company, timezone.now() + dt.timedelta(days=2), assignee=cast.consultant
    )
    key = f"sweep:{cast.consultant.pk}"
    Reminder.objects.create(
        application=application,
        deadline_kind="call",
        deadline_at=application.call.deadline,
        offset_days=3,
        recipient=cast.consultant,
        claim_token="sweep",
        claimed_at=timezone.now(),
        digest_key=key,
    )
    locked, release = threading.Event(), threading.Event()

    def hold_rows():
        try:
            with transaction.atomic():
                list(Reminder.objects.select_for_update().filter(digest_key=key))
                locked.set()
                release.wait(30)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_rows)
    holder.start()
    try:
        assert locked.wait(10)
        with pytest.raises(digests.DigestBusy):
            digests.reminder_digest_send(digest_key=key, as_of=timezone.now())
    finally:
        release.set()
        holder.join(10)
    assert outbox == []
    assert digests.reminder_digest_send(digest_key=key, as_of=timezone.now()) is True
    assert len(outbox) == 1


@pytest.mark.django_db
def test_reminders_appear_in_the_notification_list(cast, login, sweep_at):
    application = application_with_deadline(cast.company, DEADLINE, assignee=cast.consultant)
    sweep_at(DEADLINE - dt.timedelta(days=3))
    html = login(cast.consultant).get(reverse("accounts:notifications")).content.decode()
    assert "Deadline reminder: 1 deadline (3 days left)" in html
    assert application.reference in html
    assert "bi-alarm" in html
