"""Issue #7: the reminder sweep over 50,000 open applications with deadlines, a tenth of them due.

What is measured: the sweep itself, claiming the ledger rows and enqueueing one
`send_reminder_digest` task per recipient (to an in-memory broker, so neither a worker nor SMTP
is timed: sending is per recipient and runs in the workers, in parallel). A second sweep at the
same `now` must find everything claimed and send nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.core import Context, Result, seconds

ISSUE = "#7"


def _build(total: int) -> tuple[int, dt.datetime]:
    """`total` open applications; a tenth due within 30 days, the rest in 60. Returns due."""
    from accounts.models import User
    from companies.models import Company, Membership, Organisation, Project
    from grants.models import Application, Call, Programme
    from tests.factories import make_uscc

    now = timezone.now()
    org = Organisation.objects.create(name="Bench reminders consultancy")
    programme = Programme.objects.create(
        code="bench_reminders", name_en="Bench programme", basis="rd_investment", ratio="0.30"
    )
    staff = User.objects.bulk_create(
        User(username=f"bench-staff-{i}", email=f"staff{i}@bench.example") for i in range(3)
    )
    Membership.objects.bulk_create(
        Membership(user=user, organisation=org, role="admin" if i == 0 else "consultant")
        for i, user in enumerate(staff)
    )
    companies = Company.objects.bulk_create(
        Company(organisation=org, name=f"Bench company {i}", uscc=make_uscc(900000 + i))
        for i in range(500)
    )
    clients = User.objects.bulk_create(
        User(username=f"bench-client-{i}", email=f"client{i}@bench.example") for i in range(500)
    )
    Membership.objects.bulk_create(
        Membership(user=user, organisation=org, role="client", company=company)
        for user, company in zip(clients, companies, strict=True)
    )
    projects = Project.objects.bulk_create(
        Project(company=company, title=f"Bench project {company.pk}") for company in companies
    )
    due_calls = Call.objects.bulk_create(
        Call(
            programme=programme,
            title=f"Bench call in {days} days",
            opens_at=now - dt.timedelta(days=60),
            deadline=now + dt.timedelta(days=days, hours=6),
        )
        for days in range(30)
    )
    later = Call.objects.create(
        programme=programme,
        title="Bench call in 60 days",
        opens_at=now - dt.timedelta(days=60),
        deadline=now + dt.timedelta(days=60),
    )
    due = total // 10
    Application.objects.bulk_create(
        (
            Application(
                organisation=org,
                company=projects[i % 500].company,
                project=projects[i % 500],
                programme=programme,
                call=due_calls[i % 30] if i < due else later,
                reference=f"GD-BENCH-{i:06d}",
                state="preparing" if i % 2 else "draft",
                requested_amount=Decimal("100000.00"),
                assignee=staff[1 + i % 2] if i % 3 else None,
            )
            for i in range(total)
        ),
        batch_size=2000,
    )
    return due, now


def _sweep(now):
    from grants.reminders.sweep import sweep_reminders

    with CaptureQueriesContext(connection) as queries:
        elapsed, summary = seconds(lambda: sweep_reminders(now=now))
    return elapsed, summary, len(queries.captured_queries)


def _fresh_broker_pool(app) -> None:
    """Producer connections for the broker now configured (kombu caches them per URL)."""
    from kombu import pools

    app._pool = None
    if "amqp" in app.__dict__:
        app.__dict__["amqp"]._producer_pool = None
    pools.reset()


def run(ctx: Context) -> list[Result]:
    from config.celery import app

    total = 5_000 if ctx.quick else 50_000
    due, now = _build(total)
    previous = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url, app.conf.task_always_eager = "memory://", False
    _fresh_broker_pool(app)
    try:
        first, summary, first_queries = _sweep(now)
        second, again, second_queries = _sweep(now)
    finally:
        app.conf.broker_url, app.conf.task_always_eager = previous
        _fresh_broker_pool(app)

    return [
        Result(
            ISSUE,
            f"reminder sweep, {total:,} open applications ({due:,} due)",
            first,
            "s",
            "< 10 s",
            # Other benchmarks of the same run leave applications with deadlines in the database:
            # the sweep sees them too, so at least the bench's own due deadlines are counted.
            first < 10 and summary.deadlines >= due,
            notes=(
                f"{summary.deadlines:,} due deadlines; "
                f"{summary.reminders:,} reminders claimed, {summary.passed:,} passed, "
                f"{summary.emails} digests enqueued (memory broker; sending is the workers'); "
                f"{first_queries} queries in {summary.batches} batches of 500"
            ),
        ),
        Result(
            ISSUE,
            "second sweep at the same now (sends nothing)",
            second,
            "s",
            "< 3 s",
            second < 3 and again.emails == 0 and again.reminders == 0,
            notes=f"{again.emails} emails; {second_queries} queries in {again.batches} batches",
        ),
        Result(
            ISSUE,
            "sweep queries per batch of 500 applications",
            first_queries / max(summary.batches, 1),
            "queries",
            "constant (grows with batches, not rows)",
            first_queries <= 6 * summary.batches + 4,  # + the stale-claim check, a last empty page
            notes=f"{first_queries} queries for {summary.batches} batches, {due:,} due deadlines",
        ),
    ]
