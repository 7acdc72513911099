"""Deadlines of applications, as product.md defines them, and the reads built on them.

The deadline of an application is its call's deadline while it is in `draft … ready`
(`CALL_DEADLINE_STATES`), its `supplement_deadline` while `supplement_requested`, and none in any
other state. Days are counted in Asia/Shanghai calendar dates: a deadline at 23:59 on the 10th
is "7 days left" all day on the 3rd, whatever the UTC date is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Case, DateTimeField, F, Q, When
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from grants.models import Application, Reminder
from grants.models.applications import (
    CALL_DEADLINE_STATES,
    State,
    days_left,
    deadline_highlight,
)

if TYPE_CHECKING:
    from accounts.models import User

Kind = Reminder.DeadlineKind


@dataclass(frozen=True)
class Deadline:
    """One deadline of one application: the thing reminders are about."""

    application: Application
    kind: str
    at: dt.datetime

    @property
    def key(self) -> tuple[int, str, dt.datetime]:
        return (self.application.pk, self.kind, self.at)

    def days_left(self, now: dt.datetime) -> int:
        return days_left(self.at, now)

    def status(self, now: dt.datetime) -> str:
        return deadline_status(self.at, now)

    @property
    def css_class(self) -> str:
        return {"overdue": "deadline-overdue", "soon": "deadline-soon"}.get(
            self.status(timezone.now()), ""
        )


def deadline_of(application: Application) -> Deadline | None:
    """The deadline that applies to the application now (its call must be loaded or loadable)."""
    if application.state in CALL_DEADLINE_STATES:
        if application.call_id is None:
            return None
        return Deadline(application, Kind.CALL, application.call.deadline)
    if application.state == State.SUPPLEMENT_REQUESTED and application.supplement_deadline:
        return Deadline(application, Kind.SUPPLEMENT, application.supplement_deadline)
    return None


def local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def deadline_status(deadline_at: dt.datetime, now: dt.datetime) -> str:
    """`overdue`, `soon` (the one definition, `deadline_highlight`) or `later`."""
    return deadline_highlight(deadline_at, now) or "later"


def start_of_local_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def due_offsets(deadline_at: dt.datetime, now: dt.datetime, offsets: Iterable[int]) -> list[int]:
    """The offsets whose day has come, most urgent (smallest) first.

    Offset `o` is due from the first moment of the Shanghai date `o` days before the deadline's
    date until the deadline itself. Once the deadline has passed nothing is due any more: a
    reminder about a closed call helps no one (the application pages show it as overdue).
    """
    if deadline_at < now:
        return []
    left = days_left(deadline_at, now)
    return sorted(offset for offset in offsets if offset >= left)


def application_link(application_id: int) -> str:
    """The application page's path (the page is built by the workflow area)."""
    try:
        return reverse("grants:application_detail", kwargs={"pk": application_id})
    except NoReverseMatch:
        return f"/applications/{application_id}/"


# --- selectors -------------------------------------------------------------------------------


def _deadline_window(since: dt.datetime | None, until: dt.datetime | None) -> Q:
    """Applications whose current deadline lies in [since, until) (open bounds when None)."""
    call = Q(state__in=CALL_DEADLINE_STATES, call__isnull=False)
    supplement = Q(state=State.SUPPLEMENT_REQUESTED, supplement_deadline__isnull=False)
    if since is not None:
        call &= Q(call__deadline__gte=since)
        supplement &= Q(supplement_deadline__gte=since)
    if until is not None:
        call &= Q(call__deadline__lt=until)
        supplement &= Q(supplement_deadline__lt=until)
    return call | supplement


def reminder_horizon(now: dt.datetime, max_offset: int) -> dt.datetime:
    """The end of the last Shanghai date on which the largest offset can be due."""
    return start_of_local_day(local_date(now) + dt.timedelta(days=max_offset + 1))


def due_deadline_batches(
    *, now: dt.datetime, max_offset: int, batch_size: int
) -> Iterator[list[Deadline]]:
    """Every deadline with a reminder due at `now`, in batches of `batch_size` applications.

    Keyset pagination by id, one query per batch, the call, programme, company and assignee
    joined in: the number of queries grows with the batches, never with the rows.
    """
    queryset = (
        Application.objects.filter(_deadline_window(now, reminder_horizon(now, max_offset)))
        .select_related("call", "programme", "company")
        .order_by("pk")
    )
    last_pk = 0
    while True:
        batch = list(queryset.filter(pk__gt=last_pk)[:batch_size])
        if not batch:
            return
        last_pk = batch[-1].pk
        yield [deadline for app in batch if (deadline := deadline_of(app)) is not None]
        if len(batch) < batch_size:
            return


def _current_deadline() -> Case:
    """The deadline that applies, as a database expression (for ordering and slicing)."""
    return Case(
        When(state__in=CALL_DEADLINE_STATES, then=F("call__deadline")),
        When(state=State.SUPPLEMENT_REQUESTED, then=F("supplement_deadline")),
        output_field=DateTimeField(),
    )


def deadlines_visible_to(
    user: User,
    *,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    limit: int | None = None,
) -> list[Deadline]:
    """The user's deadlines (pages, panel, calendar), soonest first, scoped by `visible_to`."""
    applications = (
        Application.objects.visible_to(user)
        .filter(_deadline_window(since, until))
        .select_related("call", "programme", "company")
        .alias(current_deadline=_current_deadline())
        .order_by("current_deadline", "pk")
    )
    if limit is not None:
        applications = applications[:limit]
    return [d for app in applications if (d := deadline_of(app)) is not None]


def count_deadlines_visible_to(
    user: User, *, since: dt.datetime | None = None, until: dt.datetime | None = None
) -> int:
    return Application.objects.visible_to(user).filter(_deadline_window(since, until)).count()


def upcoming_deadlines(
    user: User, *, now: dt.datetime, days: int = 30, limit: int | None = None
) -> list[Deadline]:
    """Overdue deadlines first (most overdue first), then those of the next `days` days."""
    return deadlines_visible_to(user, until=upcoming_until(now, days), limit=limit)


def upcoming_until(now: dt.datetime, days: int) -> dt.datetime:
    """The end of the Shanghai date `days` days after today."""
    return start_of_local_day(local_date(now) + dt.timedelta(days=days + 1))
