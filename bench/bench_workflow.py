"""Issue #5: the pipeline board and the applications API list with 5,000 applications in one
organisation (under 150 ms median, constant queries), and one transition (under 50 ms median)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from bench.core import APPLICATION_STATES, Context, Result, count_queries, median_ms

ISSUE = "#5"
APPLICATIONS = 5000


def _organisation(name: str, applications: int, offset: int):
    from django.utils import timezone

    from accounts.models import User
    from companies.models import Company, Membership, Organisation, Project
    from grants.models import Application, Call, Programme
    from tests.factories import make_uscc

    org = Organisation.objects.create(name=name)
    user = User.objects.create_user(f"{name}-consultant", f"{name}@example.com", "x")
    Membership.objects.create(user=user, organisation=org, role=Membership.Role.CONSULTANT)
    programmes = [
        Programme.objects.get_or_create(
            code=f"bench_{i}",
            defaults={"name_en": f"Programme {i}", "basis": "rd_investment", "ratio": "0.3"},
        )[0]
        for i in range(8)
    ]
    now = timezone.now()
    calls = [
        Call.objects.create(
            programme=p,
            title=f"{name} call {p.code}",
            opens_at=now - dt.timedelta(days=10),
            deadline=now + dt.timedelta(days=3 + i * 7),
        )
        for i, p in enumerate(programmes)
    ]
    companies = Company.objects.bulk_create(
        Company(
            organisation=org,
            name=f"{name} company {i}",
            uscc=make_uscc(offset + i),
            district="pudong",
        )
        for i in range(max(1, applications // 25))
    )
    projects = Project.objects.bulk_create(
        Project(company=c, title=f"Project {i}") for i, c in enumerate(companies)
    )
    rows = []
    for i in range(applications):
        project = projects[i % len(projects)]
        programme_index = i % len(programmes)
        rows.append(
            Application(
                organisation=org,
                company_id=project.company_id,
                project=project,
                programme=programmes[programme_index],
                call=calls[programme_index],
                reference=f"GD-2026-{i + 1:06d}",
                state=APPLICATION_STATES[i % len(APPLICATION_STATES)],
                requested_amount=Decimal(1000 + i),
                assignee=user,
                supplement_deadline=now + dt.timedelta(days=i % 30),
            )
        )
    Application.objects.bulk_create(rows, batch_size=1000)
    return org, user, programmes


def run(ctx: Context) -> list[Result]:
    from django.conf import settings
    from django.test import Client

    from grants.models import Application
    from grants.workflow import application_transition

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]  # the test client's host
    size = 500 if ctx.quick else APPLICATIONS
    _, user, _ = _organisation("bench-big", size, 1_000_000)
    _, small_user, _ = _organisation("bench-small", 12, 2_000_000)
    results = []
    for name, url in (
        ("pipeline board", "/pipeline/"),
        ("applications API list", "/api/v1/applications/"),
    ):
        client, small = Client(), Client()
        client.force_login(user)
        small.force_login(small_user)
        client.get(url)
        small.get(url)
        status = client.get(url).status_code
        assert status == 200, f"{url}: {status}"
        queries = count_queries(lambda c=client, u=url: c.get(u))
        few = count_queries(lambda c=small, u=url: c.get(u))
        ms = median_ms(lambda c=client, u=url: c.get(u), repeat=15)
        results.append(
            Result(
                ISSUE,
                f"{name}, {size:,} applications",
                ms,
                "ms",
                "< 150 ms median, constant queries",
                ms < 150 and queries == few,
                f"{queries} queries (12 applications: {few})",
            )
        )

    drafts = iter(
        Application.objects.filter(organisation__name="bench-big", state="draft").order_by("pk")
    )

    def one_transition():
        application_transition(application=next(drafts), name="start", actor=user)

    ms = median_ms(one_transition, repeat=25, warmup=3)
    results.append(Result(ISSUE, "one transition (start)", ms, "ms", "< 50 ms median", ms < 50, ""))

    # A guarded transition whose commit notifies (notification rows and emails, rendered
    # in-process: tasks run eagerly here and mail goes to the test settings' outbox).
    from config.celery import app

    app.conf.task_always_eager = True
    reviews = iter(
        Application.objects.filter(organisation__name="bench-big", state="under_review")
        .order_by("pk")
        .select_related("programme")
    )

    def one_approval():
        application_transition(
            application=next(reviews), name="approve", actor=user, approved_amount="1000.00"
        )

    ms = median_ms(one_approval, repeat=25, warmup=3)
    results.append(
        Result(
            ISSUE,
            "one transition with its notifications (approve)",
            ms,
            "ms",
            "< 50 ms median",
            ms < 50,
            "guards, log, on-commit notification and email",
        )
    )
    return results
