"""Issue #8: the dashboards, reports and exports stay fast and flat as applications grow.

In-process, with Django's test client: the consultant home (this area's panels and whatever
other areas add), the funding report, the activity log and the exports, over an organisation
with many applications, transitions, disbursements and activity rows. Query counts are compared
between a small and a large organisation: they must not grow.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from bench.core import APPLICATION_STATES, Context, Result, count_queries, median_ms, seconds

ISSUE = "#8"


def _organisation(name: str, applications: int):
    """An organisation with `applications` applications over 20 clients and 4 programmes."""
    from django.utils import timezone

    from companies.models import Activity, Membership, Project
    from grants.models import Application, Disbursement, DocumentSlot, TransitionLog
    from tests.factories import (
        CompanyFactory,
        MembershipFactory,
        OrganisationFactory,
        ProgrammeFactory,
        UserFactory,
    )

    org = OrganisationFactory(name=name)
    consultant = MembershipFactory(
        user=UserFactory(username=f"{name.lower().replace(' ', '_')}_consultant"),
        organisation=org,
        role=Membership.Role.CONSULTANT,
    ).user
    programmes = [ProgrammeFactory(code=f"bench_programme_{i}", name_zh="专项") for i in range(4)]
    for programme in programmes:
        for code in ("licence", "plan", "budget"):
            DocumentSlot.objects.get_or_create(
                programme=programme, code=code, defaults={"name_en": code.title()}
            )
    companies = [
        CompanyFactory(organisation=org, name_zh=f"上海测试{i}有限公司") for i in range(20)
    ]
    projects = Project.objects.bulk_create(
        Project(company=companies[i % 20], title=f"Project {i}") for i in range(applications)
    )
    now = timezone.now()
    rows = []
    for i, project in enumerate(projects):
        state = APPLICATION_STATES[i % len(APPLICATION_STATES)]
        approved = Decimal("200000.00") if state in ("approved", "funded", "closed") else None
        rows.append(
            Application(
                organisation=org,
                company=project.company,
                project=project,
                programme=programmes[i % 4],
                reference=f"B-{name[:3]}-{i:06d}",
                state=state,
                requested_amount=Decimal("300000.00"),
                approved_amount=approved,
                disbursed_amount=approved if state in ("funded", "closed") else Decimal("0"),
                submitted_at=now - dt.timedelta(days=i % 900) if i % 12 >= 4 else None,
                supplement_deadline=now + dt.timedelta(days=10)
                if state == "supplement_requested"
                else None,
                assignee=consultant,
            )
        )
    created = Application.objects.bulk_create(rows)
    TransitionLog.objects.bulk_create(
        TransitionLog(
            application=a,
            transition="start",
            from_state="draft",
            to_state="preparing",
            actor=consultant,
            at=now - dt.timedelta(hours=i),
        )
        for i, a in enumerate(created)
    )
    Disbursement.objects.bulk_create(
        Disbursement(application=a, amount=a.approved_amount, paid_on=(now - dt.timedelta(days=i)))
        for i, a in enumerate(created)
        if a.state in ("funded", "closed")
    )
    Activity.objects.bulk_create(
        Activity(
            organisation=org,
            actor=consultant,
            verb="updated",
            object_type="project",
            object_label=f"Project {i}",
            company=companies[i % 20],
            at=now - dt.timedelta(minutes=i),
        )
        for i in range(applications)
    )
    return consultant


PAGES = (
    ("consultant home", "/", 150),
    ("funding report", "/reports/", 150),
    ("applications report", "/reports/applications/", 150),
    ("activity log", "/activity/", 150),
)


def run(ctx: Context) -> list[Result]:
    from django.core.cache import cache
    from django.test import Client

    large_n = 300 if ctx.quick else 2000
    small = _organisation("Bench Small", 12)
    large = _organisation("Bench Large", large_n)
    results = []

    def client_for(user) -> Client:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        return client

    small_client, large_client = client_for(small), client_for(large)
    for name, path, target in PAGES:
        # Uncached: the home's panels are cached until data changes (core.panels); the figure
        # here is the page computed afresh, the worst case a user meets.
        def get(client=large_client, path=path):
            cache.clear()
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)

        def get_small(path=path):
            cache.clear()
            small_client.get(path)

        ms = median_ms(get, repeat=5 if ctx.quick else 15)
        few = count_queries(get_small)
        many = count_queries(get)
        results.append(
            Result(
                ISSUE,
                f"{name} with {large_n} applications",
                ms,
                "ms",
                f"≤ {target} ms, queries flat",
                ms <= target and few == many,
                f"{many} queries with {large_n} applications, {few} with 12",
            )
        )
    for name, path, target in (
        ("applications XLSX export", "/reports/applications.xlsx", 3.0),
        ("applications CSV export", "/reports/applications.csv", 1.5),
        ("funding XLSX export", "/reports/funding.xlsx", 0.5),
    ):
        elapsed, response = seconds(lambda path=path: large_client.get(path))
        assert response.status_code == 200
        results.append(
            Result(
                ISSUE,
                f"{name} of {large_n} applications",
                elapsed,
                "s",
                f"≤ {target} s",
                elapsed <= target,
                f"{len(response.content) // 1024} KiB",
            )
        )
    return results
