"""The reminder sweep: which reminders are due at `now`, claimed exactly once, sent as digests.

Run every 15 minutes by Celery beat (`grants.reminders.tasks.sweep_reminders`) and by hand by
`manage.py send_reminders`; both call `sweep_reminders`.

For each deadline with a reminder due (see `deadlines.due_offsets`), and each recipient, only
the most urgent due offset not yet in the ledger is claimed; the larger due offsets that are not
in the ledger either are recorded as `passed`. So a sweep after days of downtime catches up with
one reminder per deadline, not a burst, and a moved deadline (a new instant in the key) re-arms.

Exactly once: the ledger's unique key decides. Rows are inserted with "on conflict do nothing"
under a fresh claim token, then read back by that token: when two sweeps insert the same key at
the same moment the database lets one insert win, and only that sweep reads the row back as
its own. The claimed rows of one recipient form a digest (`digest_key`), sent by one task
(`send_reminder_digest`, see `digests.reminder_digest_send`). A digest whose task never finished
(a lost message, a sweep that died before enqueueing) is enqueued again by a later sweep once
its claim is older than `STALE_CLAIM`; the task is idempotent, so an extra copy does no harm.

Queries: a fixed handful per batch of applications (the applications with their call, programme
and company; the memberships of their organisations and companies; their ledger rows; one
insert; one read-back), plus two per sweep for stale claims: they grow with batches, not rows.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from companies.models import Membership
from grants.models import Reminder
from grants.reminders.deadlines import Deadline, due_deadline_batches, due_offsets

if TYPE_CHECKING:
    from accounts.models import User

BATCH_SIZE = 500
STALE_CLAIM = dt.timedelta(minutes=15)
STALE_LIMIT = 5000

Status = Reminder.Status
LedgerKey = tuple[int, str, dt.datetime, int, int]
LEDGER_KEY = ("application_id", "deadline_kind", "deadline_at", "offset_days", "recipient_id")


@dataclass
class SweepSummary:
    """What one sweep did (or, with dry_run, would do)."""

    emails: int = 0
    recipients: int = 0
    deadlines: int = 0
    reminders: int = 0
    passed: int = 0
    batches: int = 0
    requeued: int = 0
    dry_run: bool = False
    digest_keys: list[str] = field(default_factory=list)

    @property
    def line(self) -> str:
        """The contract's summary line (api.md, `send_reminders`)."""
        return (
            f"reminders: {self.emails} emails to {self.recipients} recipients "
            f"for {self.deadlines} deadlines"
        )


@dataclass
class _Tally:
    """Claims of one sweep, accumulated over the batches."""

    deadlines: set = field(default_factory=set)
    recipients: dict[int, bool] = field(default_factory=dict)  # user id -> has an email address
    digest_keys: set[str] = field(default_factory=set)
    reminders: int = 0
    passed: int = 0

    def add(self, key: tuple, recipient_id: int, has_email: bool, digest_key: str) -> None:
        self.deadlines.add(key)
        self.recipients[recipient_id] = has_email
        self.digest_keys.add(digest_key)
        self.reminders += 1


def sweep_reminders(
    *, now: dt.datetime, dry_run: bool = False, batch_size: int = BATCH_SIZE
) -> SweepSummary:
    """One sweep at `now`: claim the due reminders and enqueue one digest per recipient."""
    offsets = sorted(set(settings.REMINDER_OFFSETS_DAYS), reverse=True)
    token = uuid.uuid4().hex
    tally = _Tally()
    batches = 0
    for deadlines in due_deadline_batches(
        now=now, max_offset=offsets[0] if offsets else 0, batch_size=batch_size
    ):
        batches += 1
        if not deadlines or not offsets:
            continue
        users, recipients = _recipients(deadlines)
        rows = _plan(deadlines, recipients, now=now, offsets=offsets, token=token)
        if dry_run:
            _count(rows, users=users, tally=tally)
        elif rows:
            _claim(rows, token=token, users=users, tally=tally)

    summary = SweepSummary(
        emails=sum(tally.recipients.values()),
        recipients=len(tally.recipients),
        deadlines=len(tally.deadlines),
        reminders=tally.reminders,
        passed=tally.passed,
        batches=batches,
        dry_run=dry_run,
        digest_keys=sorted(tally.digest_keys),
    )
    if not dry_run:
        stale = _reclaim_stale()
        summary.requeued = len(stale)
        keys = summary.digest_keys + sorted(stale - tally.digest_keys)
        if keys:
            transaction.on_commit(partial(_enqueue, keys, now.isoformat()))
    return summary


def _count(rows: list[Reminder], *, users: dict[int, User], tally: _Tally) -> None:
    """What `_claim` would claim, counted only (a dry run writes nothing)."""
    for row in rows:
        if row.status == Status.CLAIMED:
            user = users[row.recipient_id]
            tally.add(_deadline_key(row), user.pk, bool(user.email), row.digest_key)
        else:
            tally.passed += 1


def _deadline_key(row: Reminder) -> tuple:
    return (row.application_id, row.deadline_kind, row.deadline_at)


def _recipients(deadlines: list[Deadline]) -> tuple[dict[int, User], dict[int, list[User]]]:
    """The users of the batch by id, and the recipients of each application, in one query.

    Recipients: the assignee (when an active consultant or admin of the application's
    organisation), else the organisation's active consultants and admins; plus the company's
    active client users; minus those who turned reminder emails off.
    """
    applications = [deadline.application for deadline in deadlines]
    memberships = (
        Membership.objects.filter(
            Q(
                organisation_id__in={a.organisation_id for a in applications},
                role__in=[Membership.Role.ADMIN, Membership.Role.CONSULTANT],
            )
            | Q(
                company_id__in={a.company_id for a in applications},
                role=Membership.Role.CLIENT,
            ),
            user__is_active=True,
        )
        .select_related("user")
        .order_by("user_id")
    )
    staff: dict[int, dict[int, User]] = defaultdict(dict)
    clients: dict[int, list[User]] = defaultdict(list)
    users: dict[int, User] = {}
    recipients: dict[int, list[User]] = {}
    for membership in memberships:
        users[membership.user_id] = membership.user
        if membership.role == Membership.Role.CLIENT:
            clients[membership.company_id].append(membership.user)
        else:
            staff[membership.organisation_id][membership.user_id] = membership.user
    for application in applications:
        team = staff[application.organisation_id]
        if application.assignee_id in team:
            people = [team[application.assignee_id]]
        else:
            people = list(team.values())
        people += clients[application.company_id]
        recipients[application.pk] = [user for user in people if user.reminder_emails]
    return users, recipients


def _plan(
    deadlines: list[Deadline],
    recipients: dict[int, list[User]],
    *,
    now: dt.datetime,
    offsets: list[int],
    token: str,
) -> list[Reminder]:
    """The ledger rows this batch would add: one claim per deadline and recipient at most."""
    existing: set[LedgerKey] = set(
        Reminder.objects.filter(
            application_id__in=[d.application.pk for d in deadlines]
        ).values_list(*LEDGER_KEY)
    )
    claimed_at = timezone.now()
    rows = []
    for deadline in deadlines:
        due = due_offsets(deadline.at, now, offsets)
        if not due:
            continue
        urgent, larger = due[0], due[1:]
        for user in recipients[deadline.application.pk]:
            base = (deadline.application.pk, deadline.kind, deadline.at)
            if (*base, urgent, user.pk) in existing:
                continue
            digest_key = f"{token}:{user.pk}"
            rows.append(
                _row(deadline, urgent, user.pk, Status.CLAIMED, token, digest_key, claimed_at)
            )
            rows.extend(
                _row(deadline, offset, user.pk, Status.PASSED, token, "", claimed_at)
                for offset in larger
                if (*base, offset, user.pk) not in existing
            )
    # One order for every sweep: concurrent inserts of the same keys wait on each other in the
    # same sequence, so they cannot deadlock.
    rows.sort(key=lambda row: tuple(getattr(row, name) for name in LEDGER_KEY))
    return rows


def _row(
    deadline: Deadline,
    offset: int,
    recipient_id: int,
    status: str,
    token: str,
    digest_key: str,
    claimed_at: dt.datetime,
) -> Reminder:
    return Reminder(
        application_id=deadline.application.pk,
        deadline_kind=deadline.kind,
        deadline_at=deadline.at,
        offset_days=offset,
        recipient_id=recipient_id,
        status=status,
        claim_token=token,
        claimed_at=claimed_at,
        digest_key=digest_key,
        created_at=claimed_at,
    )


def _claim(rows: list[Reminder], *, token: str, users: dict[int, User], tally: _Tally) -> None:
    """Insert the batch's rows; count only those this sweep's token won."""
    application_ids = {row.application_id for row in rows}
    # A sweep running at the same moment inserts the same reminders: the unique constraint
    # `reminder_exactly_once` keeps the first row and drops the other, so reading back by this
    # sweep's token (an indexed column) counts only the rows this sweep won.
    _insert_ignoring_conflicts(rows)  # one statement: atomic by itself
    won = Reminder.objects.filter(
        claim_token=token, application_id__in=application_ids
    ).values_list(
        "application_id", "deadline_kind", "deadline_at", "recipient_id", "status", "digest_key"
    )
    for application_id, kind, at, recipient_id, status, digest_key in won:
        if status == Status.CLAIMED:
            has_email = bool(users[recipient_id].email)
            tally.add((application_id, kind, at), recipient_id, has_email, digest_key)
        else:
            tally.passed += 1


# Column and SQL type of every ledger field the sweep writes (sent_at stays NULL).
_COLUMNS = {
    "application_id": "bigint",
    "deadline_kind": "varchar",
    "deadline_at": "timestamptz",
    "offset_days": "smallint",
    "recipient_id": "bigint",
    "status": "varchar",
    "claim_token": "varchar",
    "claimed_at": "timestamptz",
    "digest_key": "varchar",
    "created_at": "timestamptz",
}
_DATETIMES = {"deadline_at", "claimed_at", "created_at"}


def _insert_ignoring_conflicts(rows: Iterable[Reminder]) -> None:
    """INSERT … ON CONFLICT DO NOTHING, one statement per batch, whatever its size.

    The rows travel as one JSON parameter: Django would split a SQLite insert every 999
    parameters (about 90 ledger rows), making the queries grow with the rows, and building a
    large multi-row statement costs more than the database spends on it. Datetimes are written
    in the format Django itself writes (SQLite compares them as text in the unique key).
    """
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        Reminder.objects.bulk_create(rows, ignore_conflicts=True)
        return
    ops = connection.ops

    def value(row: Reminder, name: str):
        raw = getattr(row, name)
        if name not in _DATETIMES:
            return raw
        return ops.adapt_datetimefield_value(raw) if vendor == "sqlite" else raw.isoformat()

    payload = json.dumps([[value(row, name) for name in _COLUMNS] for row in rows])
    table = ops.quote_name(Reminder._meta.db_table)
    columns = ", ".join(ops.quote_name(name) for name in _COLUMNS)
    if vendor == "sqlite":
        values = ", ".join(f"json_extract(value, '$[{i}]')" for i in range(len(_COLUMNS)))
        sql = f"INSERT OR IGNORE INTO {table} ({columns}) SELECT {values} FROM json_each(%s)"  # noqa: S608
    else:
        values = ", ".join(
            f"(value->>{i})::{sql_type}" for i, sql_type in enumerate(_COLUMNS.values())
        )
        sql = (
            f"INSERT INTO {table} ({columns}) SELECT {values} "  # noqa: S608
            "FROM jsonb_array_elements(%s::jsonb) ON CONFLICT DO NOTHING"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, [payload])


def _reclaim_stale() -> set[str]:
    """Digests of earlier sweeps still claimed after STALE_CLAIM: their task never finished.

    Rows a task holds right now are locked and skipped; the others get a fresh `claimed_at`, so
    the next sweep does not enqueue them again while this copy is on its way.
    """
    cutoff = timezone.now() - STALE_CLAIM
    with transaction.atomic():
        stale = list(
            Reminder.objects.select_for_update(skip_locked=True)
            .filter(status=Status.CLAIMED, claimed_at__lt=cutoff)  # `reminder_status_claimed`
            .order_by("pk")
            .values_list("pk", "digest_key")[:STALE_LIMIT]
        )
        if stale:
            Reminder.objects.filter(pk__in=[pk for pk, _ in stale]).update(
                claimed_at=timezone.now()
            )
    return {digest_key for _, digest_key in stale}


def _enqueue(digest_keys: list[str], as_of: str) -> None:
    from grants.reminders.tasks import send_reminder_digest

    for digest_key in digest_keys:
        send_reminder_digest.delay(digest_key, as_of)
