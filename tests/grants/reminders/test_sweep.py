"""The reminder sweep: offsets, catch-up, re-arming, states, recipients, grouping, queries."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test.utils import CaptureQueriesContext

from accounts.models import Notification
from grants.models import Reminder
from grants.reminders.sweep import sweep_reminders
from tests.factories import ApplicationFactory, MembershipFactory, UserFactory
from tests.grants.reminders.factories import application_with_deadline, set_state, shanghai

pytestmark = pytest.mark.django_db

DEADLINE = shanghai(2026, 3, 31, 17, 0)
Status = Reminder.Status


def ledger(application, user=None):
    rows = Reminder.objects.filter(application=application)
    if user is not None:
        rows = rows.filter(recipient=user)
    return {row.offset_days: row.status for row in rows}


def recipients_of(outbox):
    return sorted(address for message in outbox for address in message.to)


def test_it_sends_each_offset_once_on_its_shanghai_day(cast, sweep_at, outbox):
    application = application_with_deadline(cast.company, DEADLINE, assignee=cast.consultant)
    sent_on = {}
    day = DEADLINE.date() - dt.timedelta(days=35)
    while day <= DEADLINE.date() + dt.timedelta(days=1):
        for hour, minute in ((0, 5), (9, 0), (16, 45), (23, 50)):
            before = len(outbox)
            sweep_at(shanghai(day.year, day.month, day.day, hour, minute))
            if len(outbox) > before:
                sent_on.setdefault(day, []).extend(outbox[before:])
        day += dt.timedelta(days=1)

    expected_days = {DEADLINE.date() - dt.timedelta(days=o): o for o in (30, 14, 7, 3, 1, 0)}
    assert set(sent_on) == set(expected_days)
    for messages in sent_on.values():
        # the assignee and the company's client, once each, at the first sweep of the day
        assert recipients_of(messages) == ["carol_consultant@example.com", "kai_client@example.com"]
    assert ledger(application, cast.consultant) == dict.fromkeys((30, 14, 7, 3, 1, 0), Status.SENT)


@pytest.mark.parametrize("offset", [30, 14, 7, 3, 1, 0])
def test_it_sends_the_offset_due_on_its_day_and_passes_the_larger_ones(
    cast, sweep_at, outbox, offset
):
    application = application_with_deadline(cast.company, DEADLINE, assignee=cast.consultant)
    day = DEADLINE - dt.timedelta(days=offset)

    eve = sweep_at(shanghai(day.year, day.month, day.day, 0, 0) - dt.timedelta(minutes=1))
    assert offset not in ledger(application, cast.consultant)

    summary = sweep_at(shanghai(day.year, day.month, day.day, 0, 1))
    larger = [o for o in (30, 14, 7, 3, 1, 0) if o > offset]
    assert ledger(application, cast.consultant)[offset] == Status.SENT
    assert {o: s for o, s in ledger(application, cast.consultant).items() if o > offset} == {
        o: (Status.SENT if eve.reminders and o == min(larger) else Status.PASSED) for o in larger
    }
    assert summary.reminders == 2  # assignee and client user
    assert f"{offset} day" in outbox[-1].body or (offset == 0 and "due today" in outbox[-1].body)


def test_it_catches_up_after_downtime_with_one_reminder_per_deadline(cast, sweep_at, outbox):
    application = application_with_deadline(cast.company, DEADLINE, assignee=cast.consultant)
    sweep_at(DEADLINE - dt.timedelta(days=30, hours=1))
    assert len(outbox) == 2

    # down from 30 days before until 2 days before: 14, 7 and 3 all became due meanwhile
    summary = sweep_at(DEADLINE - dt.timedelta(days=2, hours=3))
    assert summary.reminders == 2 and summary.deadlines == 1
    assert len(outbox) == 4  # one more each, not three
    assert ledger(application, cast.consultant) == {
        30: Status.SENT,
        14: Status.PASSED,
        7: Status.PASSED,
        3: Status.SENT,
    }
    assert "2 days left" in outbox[-1].body

    assert sweep_at(DEADLINE - dt.timedelta(days=2, hours=2)).reminders == 0
    assert len(outbox) == 4


def test_a_moved_deadline_rearms_its_reminders(cast, sweep_at, outbox):
    application = application_with_deadline(cast.company, DEADLINE, assignee=cast.consultant)
    sweep_at(DEADLINE - dt.timedelta(days=6))
    assert ledger(application, cast.consultant)[7] == Status.SENT

    call = application.call
    call.deadline = DEADLINE + dt.timedelta(days=20)
    call.save()
    summary = sweep_at(DEADLINE - dt.timedelta(days=5, hours=23))
    assert summary.deadlines == 1
    new_rows = Reminder.objects.filter(application=application, deadline_at=call.deadline)
    assert {(r.offset_days, r.status) for r in new_rows.filter(recipient=cast.consultant)} == {
        (30, Status.SENT)
    }
    assert "26 days left" in outbox[-1].body


@pytest.mark.parametrize("state", ["submitted", "withdrawn", "under_review", "rejected"])
def test_it_stops_reminding_once_the_application_leaves_the_deadline_states(
    cast, sweep_at, outbox, state
):
    application = application_with_deadline(cast.company, DEADLINE, assignee=cast.consultant)
    sweep_at(DEADLINE - dt.timedelta(days=10))
    assert len(outbox) == 2
    set_state(application, state)
    assert sweep_at(DEADLINE - dt.timedelta(days=5)).reminders == 0
    assert sweep_at(DEADLINE - dt.timedelta(hours=2)).reminders == 0
    assert len(outbox) == 2


def test_it_cancels_claimed_reminders_of_an_application_withdrawn_before_sending(
    cast, eager_tasks, outbox
):
    application = application_with_deadline(cast.company, DEADLINE, assignee=cast.consultant)
    now = DEADLINE - dt.timedelta(days=3)
    traveller = time_machine.travel(now, tick=False)
    traveller.start()
    summary = sweep_reminders(now=now)  # not committed yet: nothing enqueued
    set_state(application, "withdrawn")
    from grants.reminders.digests import reminder_digest_send

    for key in summary.digest_keys:
        assert reminder_digest_send(digest_key=key, as_of=now) is False
    traveller.stop()
    assert outbox == []
    assert set(ledger(application).values()) == {Status.CANCELLED, Status.PASSED}


def test_it_reminds_of_the_supplement_deadline_while_a_supplement_is_requested(
    cast, sweep_at, outbox
):
    application = application_with_deadline(
        cast.company, DEADLINE, state="supplement_requested", assignee=cast.consultant
    )
    sweep_at(DEADLINE - dt.timedelta(days=1))
    row = Reminder.objects.get(application=application, recipient=cast.consultant, offset_days=1)
    assert row.deadline_kind == "supplement" and row.status == Status.SENT
    assert "Supplement deadline" in outbox[0].body


def test_it_gives_no_reminder_for_a_draft_without_a_call_or_a_passed_deadline(
    cast, sweep_at, outbox
):
    ApplicationFactory(project__company=cast.company, call=None)
    application_with_deadline(cast.company, DEADLINE)
    assert sweep_at(DEADLINE + dt.timedelta(minutes=1)).reminders == 0
    assert outbox == []


def test_it_sends_nothing_to_users_who_turned_reminders_off(cast, sweep_at, outbox):
    cast.client_user.reminder_emails = False
    cast.client_user.save()
    application = application_with_deadline(cast.company, DEADLINE, assignee=cast.consultant)
    sweep_at(DEADLINE - dt.timedelta(days=3))
    assert recipients_of(outbox) == ["carol_consultant@example.com"]
    assert ledger(application, cast.client_user) == {}
    assert not Notification.objects.filter(user=cast.client_user).exists()


def test_it_reminds_the_assignee_else_the_consultants_and_admins_and_the_clients(
    cast, sweep_at, outbox
):
    second = MembershipFactory(organisation=cast.org, user=UserFactory(username="dan_consultant"))
    application_with_deadline(cast.company, DEADLINE, assignee=second.user)
    sweep_at(DEADLINE - dt.timedelta(days=3))
    assert recipients_of(outbox) == ["dan_consultant@example.com", "kai_client@example.com"]

    outbox.clear()
    application_with_deadline(cast.other_company, DEADLINE + dt.timedelta(hours=1))
    sweep_at(DEADLINE - dt.timedelta(days=3))
    assert recipients_of(outbox) == [
        "alice_admin@example.com",
        "carol_consultant@example.com",
        "dan_consultant@example.com",
        "olga_client@example.com",
    ]
    assert "oscar_outsider@example.com" not in recipients_of(outbox)


def test_an_inactive_assignee_falls_back_to_the_consultants(cast, sweep_at, outbox):
    cast.consultant.is_active = False
    cast.consultant.save()
    application_with_deadline(cast.company, DEADLINE, assignee=cast.consultant)
    sweep_at(DEADLINE - dt.timedelta(days=3))
    assert recipients_of(outbox) == ["alice_admin@example.com", "kai_client@example.com"]


def test_each_recipient_gets_one_digest_listing_every_due_deadline(cast, sweep_at, outbox):
    apps = [
        application_with_deadline(
            cast.company, DEADLINE + dt.timedelta(days=i), assignee=cast.consultant
        )
        for i in range(3)
    ]
    application_with_deadline(cast.company, DEADLINE + dt.timedelta(days=60))  # not due
    summary = sweep_at(DEADLINE - dt.timedelta(days=2))
    assert (summary.emails, summary.recipients, summary.deadlines) == (2, 2, 3)
    consultant_mail = next(m for m in outbox if m.to == ["carol_consultant@example.com"])
    for application in apps:
        assert application.reference in consultant_mail.body
        assert application.reference in consultant_mail.alternatives[0][0]
    assert "3 deadlines" in consultant_mail.subject
    notes = Notification.objects.filter(user=cast.consultant, kind="reminder")
    assert notes.count() == 1 and all(a.reference in notes.get().body for a in apps)


def test_days_left_count_shanghai_dates_for_a_deadline_at_23_59(cast, sweep_at, outbox):
    deadline = shanghai(2026, 3, 10, 23, 59)  # 15:59 UTC
    application = application_with_deadline(cast.company, deadline, assignee=cast.consultant)
    # 07:30 in Shanghai on the 3rd is 23:30 UTC on the 2nd: by UTC dates 8 days, by Shanghai 7
    sweep_at(shanghai(2026, 3, 3, 7, 30))
    assert ledger(application, cast.consultant) == {
        30: Status.PASSED,
        14: Status.PASSED,
        7: Status.SENT,
    }
    assert "7 days left" in outbox[0].body
    assert "2026-03-10 23:59" in outbox[0].body

    # the 9th at 23:59 Shanghai (15:59 UTC): 1 day left; one minute later it is due today
    sweep_at(shanghai(2026, 3, 9, 23, 59))
    assert ledger(application, cast.consultant)[1] == Status.SENT
    sweep_at(shanghai(2026, 3, 10, 0, 0))
    assert ledger(application, cast.consultant)[0] == Status.SENT
    assert "due today" in outbox[-1].body


def test_the_eve_of_a_shanghai_day_is_not_yet_that_day(cast, sweep_at):
    deadline = shanghai(2026, 3, 10, 23, 59)
    application = application_with_deadline(cast.company, deadline, assignee=cast.consultant)
    sweep_at(shanghai(2026, 3, 2, 23, 59))  # 8 days left (UTC says the 2nd too)
    assert ledger(application, cast.consultant) == {30: Status.PASSED, 14: Status.SENT}


@time_machine.travel(DEADLINE - dt.timedelta(days=1), tick=False)
def test_a_redelivered_digest_is_not_sent_again(cast, eager_tasks, outbox):
    from grants.reminders.digests import reminder_digest_send

    application_with_deadline(cast.company, DEADLINE, assignee=cast.consultant)
    now = DEADLINE - dt.timedelta(days=1)
    summary = sweep_reminders(now=now)
    for key in summary.digest_keys:
        assert reminder_digest_send(digest_key=key, as_of=now) is True
        assert reminder_digest_send(digest_key=key, as_of=now) is False
    assert len(outbox) == 2


@time_machine.travel(DEADLINE - dt.timedelta(days=1), tick=False)
def test_an_smtp_failure_leaves_the_digest_claimed_and_the_retry_sends_it_once(
    cast, eager_tasks, outbox, settings
):
    from grants.reminders.digests import reminder_digest_send
    from tests.grants.reminders import backends

    settings.EMAIL_BACKEND = "tests.grants.reminders.backends.FailOnceBackend"
    backends.FailOnceBackend.failures = 1
    application = application_with_deadline(cast.company, DEADLINE, assignee=cast.consultant)
    now = DEADLINE - dt.timedelta(days=1)
    key = next(
        k for k in sweep_reminders(now=now).digest_keys if k.endswith(f":{cast.consultant.pk}")
    )
    import smtplib

    with pytest.raises(smtplib.SMTPException):
        reminder_digest_send(digest_key=key, as_of=now)
    assert ledger(application, cast.consultant)[1] == Status.CLAIMED
    assert not Notification.objects.filter(user=cast.consultant).exists()
    assert reminder_digest_send(digest_key=key, as_of=now) is True
    assert ledger(application, cast.consultant)[1] == Status.SENT
    assert len(outbox) == 1


def test_a_later_sweep_requeues_a_digest_whose_task_was_lost(cast, sweep_at, outbox):
    application = application_with_deadline(cast.company, DEADLINE, assignee=cast.consultant)
    lost = DEADLINE - dt.timedelta(days=1, hours=2)
    with time_machine.travel(lost, tick=False):
        sweep_reminders(now=lost)  # committed, but its tasks were never enqueued
    assert outbox == []
    assert sweep_at(DEADLINE - dt.timedelta(days=1, hours=1, minutes=50)).requeued == 0
    summary = sweep_at(DEADLINE - dt.timedelta(days=1, hours=1))
    assert summary.requeued == 2 and summary.reminders == 0
    assert len(outbox) == 2
    assert ledger(application, cast.consultant) == {
        30: Status.PASSED,
        14: Status.PASSED,
        7: Status.PASSED,
        3: Status.PASSED,
        1: Status.SENT,
    }


def test_the_digest_and_notification_are_in_the_recipients_language(cast, sweep_at, outbox):
    cast.client_user.language = "zh-hans"
    cast.client_user.save()
    application_with_deadline(cast.company, DEADLINE, assignee=cast.consultant)
    sweep_at(DEADLINE - dt.timedelta(days=3))
    chinese = next(m for m in outbox if m.to == ["kai_client@example.com"])
    english = next(m for m in outbox if m.to == ["carol_consultant@example.com"])
    assert "截止" in chinese.subject and "剩余 3 天" in chinese.body
    assert "陆家嘴视觉科技有限公司" in chinese.body
    assert "deadline" in english.subject and "3 days left" in english.body
    assert "截止" in Notification.objects.get(user=cast.client_user).title
    assert "Deadline reminder" in Notification.objects.get(user=cast.consultant).title


def test_the_digest_lists_missing_required_documents_and_links_to_the_application(
    cast, sweep_at, outbox, settings
):
    from tests.factories import DocumentSlotFactory

    settings.SITE_URL = "https://grants.example.com"
    application = application_with_deadline(cast.company, DEADLINE, assignee=cast.consultant)
    DocumentSlotFactory(programme=application.programme, name_en="Audit report", required=True)
    DocumentSlotFactory(programme=application.programme, name_en="Optional memo", required=False)
    sweep_at(DEADLINE - dt.timedelta(days=3))
    message = outbox[0]
    assert "Audit report" in message.body and "Optional memo" not in message.body
    assert f"https://grants.example.com/applications/{application.pk}/" in message.body
    html = message.alternatives[0][0]
    assert f'href="https://grants.example.com/applications/{application.pk}/"' in html
    assert message.extra_headers["Message-ID"].startswith("<reminder.")


def test_the_sweep_query_count_depends_on_batches_not_rows(cast):
    from django.db import connection

    def queries_for(count: int) -> int:
        Reminder.objects.all().delete()
        for i in range(count - len(created)):
            created.append(
                application_with_deadline(
                    cast.company if i % 2 else cast.other_company,
                    DEADLINE + dt.timedelta(hours=i),
                    assignee=cast.consultant if i % 3 else None,
                )
            )
        with CaptureQueriesContext(connection) as ctx:
            summary = sweep_reminders(now=DEADLINE - dt.timedelta(days=2), batch_size=500)
        assert summary.batches == 1 and summary.deadlines == count
        return len(ctx.captured_queries)

    created: list = []
    few, many = queries_for(10), queries_for(200)
    assert few == many
    # applications, memberships, ledger keys, insert (in a savepoint here), read-back, and the
    # stale-claim check (in a savepoint here)
    assert many <= 10


def test_the_reminder_notification_reads_in_the_language_the_user_has_now(
    cast, sweep_at, outbox, login
):
    application = application_with_deadline(cast.company, DEADLINE, assignee=cast.consultant)
    sweep_at(DEADLINE - dt.timedelta(days=3))  # sent while the consultant reads English
    note = Notification.objects.get(user=cast.consultant, kind="reminder")
    assert "3 days left" in note.title and note.url == f"/applications/{application.pk}/"
    assert "剩余 3 天" in note.texts["zh-hans"]["title"], note.texts

    cast.consultant.language = "zh-hans"
    cast.consultant.save(update_fields=["language"])
    html = login(cast.consultant).get("/me/notifications/").content.decode()
    assert note.texts["zh-hans"]["title"] in html and "3 days left" not in html
