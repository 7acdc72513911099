"""Exactly once for real: Redis, real worker processes, a real database shared with them.

(a) Two sweeps started at the same moment send each reminder once.
(b) A worker killed with SIGKILL in the middle of sending (the mail server holds the message,
    unanswered, while the worker's transaction holds the ledger rows), then a new worker:
    every reminder is sent exactly once, none lost, none doubled.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import Counter
from email import message_from_bytes
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from grants.models import Reminder
from grants.reminders.sweep import sweep_reminders
from tests.factories import MembershipFactory, UserFactory
from tests.grants.reminders.conftest import kill_worker
from tests.grants.reminders.factories import application_with_deadline
from tests.grants.reminders.smtp import SMTPServer

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def make_deadlines(cast, count: int) -> list:
    """`count` applications due within days, spread over both companies and assignees."""
    second = MembershipFactory(organisation=cast.org, user=UserFactory(username="dan_consultant"))
    soon = timezone.now() + dt.timedelta(days=2)
    assignees = [cast.consultant, second.user, None]
    return [
        application_with_deadline(
            cast.company if i % 2 else cast.other_company,
            soon + dt.timedelta(hours=i),
            assignee=assignees[i % 3],
        )
        for i in range(count)
    ]


def wait_until_all_sent(timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not Reminder.objects.filter(status=Reminder.Status.CLAIMED).exists():
            return
        time.sleep(0.3)
    raise AssertionError(
        f"still claimed: {list(Reminder.objects.filter(status='claimed').values_list('digest_key', flat=True))}"
    )


def filemail_messages(folder: Path) -> list:
    messages = []
    separator = b"-" * 79
    for path in sorted(folder.iterdir()):
        for chunk in path.read_bytes().split(separator):
            if chunk.strip():
                messages.append(message_from_bytes(chunk.strip()))
    return messages


def reminded_pairs(messages) -> Counter:
    """(recipient, application reference) for every reminder in every email."""
    references = dict(Reminder.objects.values_list("application__reference", "application_id"))
    pairs: Counter = Counter()
    for message in messages:
        text = next(
            part.get_payload(decode=True).decode()
            for part in message.walk()
            if part.get_content_type() == "text/plain"
        )
        for reference in references:
            if reference in text:
                pairs[(message["To"], reference)] += 1
    return pairs


def expected_pairs() -> Counter:
    sent = Reminder.objects.filter(status=Reminder.Status.SENT).values_list(
        "recipient__email", "application__reference"
    )
    return Counter(sent)


def test_two_sweeps_at_the_same_moment_send_each_reminder_once(cast, reminder_workers, tmp_path):
    outbox = tmp_path / "mail"
    outbox.mkdir()
    reminder_workers(email_url=f"filemail:///{outbox}")
    make_deadlines(cast, 24)
    now = timezone.now()
    start = threading.Barrier(2)
    summaries = []

    def sweep():
        try:
            start.wait()
            summaries.append(sweep_reminders(now=now, batch_size=5))
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(summaries) == 2

    wait_until_all_sent()
    time.sleep(2)  # a duplicate would arrive now
    claimed_by_sweeps = sum(summary.reminders for summary in summaries)
    sent = Reminder.objects.filter(status=Reminder.Status.SENT)
    assert sent.count() == claimed_by_sweeps
    # 24 deadlines: 16 assigned (assignee + client), 8 not (alice, carol, dan + client)
    assert claimed_by_sweeps == 16 * 2 + 8 * 4
    pairs = reminded_pairs(filemail_messages(outbox))
    assert pairs == expected_pairs()
    assert set(pairs.values()) == {1}


def test_a_worker_killed_mid_send_then_restarted_sends_every_reminder_exactly_once(
    cast, reminder_workers
):
    smtp = SMTPServer().start()
    try:
        smtp.hold()
        first = reminder_workers(email_url=smtp.url, TEST_VISIBILITY_TIMEOUT="4")
        make_deadlines(cast, 9)
        summary = sweep_reminders(now=timezone.now())  # commits; enqueues on commit
        assert summary.emails == 5  # kai, olga, carol, dan, alice

        deadline = time.monotonic() + 60
        while smtp.pending < 1 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert smtp.pending >= 1, first.log()
        held_keys = set(
            Reminder.objects.filter(status=Reminder.Status.CLAIMED).values_list(
                "digest_key", flat=True
            )
        )
        assert len(held_keys) == 5  # nothing marked sent while the mail server holds it
        kill_worker(first)
        smtp.release(accept=False)  # the held DATA was never answered: not delivered
        assert smtp.accepted == []

        reminder_workers(email_url=smtp.url, queue=first.queue, TEST_VISIBILITY_TIMEOUT="4")
        wait_until_all_sent()
        time.sleep(3)  # a duplicate would arrive now
    finally:
        smtp.stop()

    ids = Counter(message["Message-ID"] for message in smtp.accepted)
    assert len(ids) == 5 and set(ids.values()) == {1}
    assert sorted(message["To"] for message in smtp.accepted) == sorted(
        user.email
        for user in (
            cast.admin,
            cast.consultant,
            cast.client_user,
            cast.other_client,
            UserFactory(username="dan_consultant"),
        )
    )
    pairs = reminded_pairs(smtp.accepted)
    assert pairs == expected_pairs() and set(pairs.values()) == {1}
    assert not Reminder.objects.filter(status=Reminder.Status.CLAIMED).exists()


def test_a_pool_process_killed_mid_send_is_replaced_and_sends_exactly_once(cast, reminder_workers):
    """The other way a worker dies: its pool process (SIGKILL, e.g. the OOM killer) while the
    main process lives on; the late-acknowledged message goes back to the queue at once."""
    import os
    import signal

    smtp = SMTPServer().start()
    try:
        smtp.hold()
        worker = reminder_workers(email_url=smtp.url)
        make_deadlines(cast, 6)
        sweep_reminders(now=timezone.now())
        deadline = time.monotonic() + 60
        while smtp.pending < 1 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert smtp.pending >= 1, worker.log()
        pid = worker.process.pid
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            children = [int(child) for child in f.read().split()]
        for child in children:
            os.kill(child, signal.SIGKILL)
        smtp.release(accept=False)
        assert smtp.accepted == []
        wait_until_all_sent()
        time.sleep(3)
    finally:
        smtp.stop()
    ids = Counter(message["Message-ID"] for message in smtp.accepted)
    assert len(ids) == 5 and set(ids.values()) == {1}
    pairs = reminded_pairs(smtp.accepted)
    assert pairs == expected_pairs() and set(pairs.values()) == {1}
