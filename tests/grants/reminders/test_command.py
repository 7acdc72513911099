"""`manage.py send_reminders [--now ISO8601] [--dry-run]`."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from grants.models import Reminder
from tests.grants.reminders.factories import application_with_deadline, shanghai

pytestmark = pytest.mark.django_db

DEADLINE = shanghai(2026, 3, 31, 17, 0)


def run(*args) -> list[str]:
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue().strip().splitlines()


@time_machine.travel(DEADLINE - dt.timedelta(days=10), tick=False)
def test_it_prints_the_contract_summary_line_and_sends(
    cast, eager_tasks, outbox, django_capture_on_commit_callbacks
):
    application_with_deadline(cast.company, DEADLINE, assignee=cast.consultant)
    application_with_deadline(cast.company, DEADLINE + dt.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        lines = run("--now", "2026-03-29T09:00:00+08:00")
    # consultant (assignee of one, fallback for the other), admin (fallback), client
    assert lines[-1] == "reminders: 3 emails to 3 recipients for 2 deadlines"
    assert len(outbox) == 3
    assert run("--now", "2026-03-29T09:15:00+08:00")[-1] == (
        "reminders: 0 emails to 0 recipients for 0 deadlines"
    )


def test_dry_run_counts_but_claims_and_sends_nothing(cast, outbox):
    application_with_deadline(cast.company, DEADLINE, assignee=cast.consultant)
    lines = run("--now", "2026-03-30T09:00:00", "--dry-run")
    assert lines[-1] == "reminders: 2 emails to 2 recipients for 1 deadlines"
    assert "dry run" in lines[0]
    assert not Reminder.objects.exists()
    assert outbox == []


def test_a_recipient_without_an_email_address_counts_as_a_recipient_not_an_email(cast, outbox):
    cast.client_user.email = ""
    cast.client_user.save()
    application_with_deadline(cast.company, DEADLINE, assignee=cast.consultant)
    lines = run("--now", "2026-03-30T09:00:00+08:00", "--dry-run")
    assert lines[-1] == "reminders: 1 emails to 2 recipients for 1 deadlines"


def test_a_naive_now_is_shanghai_time(cast):
    deadline = shanghai(2026, 3, 10, 23, 59)
    application_with_deadline(cast.company, deadline, assignee=cast.consultant)
    # 2026-03-03 07:30 in Shanghai: 7 days left (in UTC it is still the 2nd)
    run("--now", "2026-03-03T07:30:00")
    assert set(Reminder.objects.filter(status="claimed").values_list("offset_days", flat=True)) == {
        7
    }


@pytest.mark.parametrize("value", ["tomorrow", "2026-13-01", ""])
def test_it_refuses_a_malformed_now(value, db):
    with pytest.raises(CommandError, match="ISO 8601"):
        run("--now", value)
