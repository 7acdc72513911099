"""Issue #4: matching many projects at once, and the opportunities page.

- Matching 10,000 projects (5 cost lines each) against the seeded catalogue plus 20 extra
  programmes, from the database (catalogue, projects, companies and cost lines loaded in bulk)
  to every match computed: under 2 s, with the same number of queries for 1,000 projects.
- The opportunities page of an organisation with 2,000 projects: under 300 ms median, rendered
  through the full Django stack (middleware, session, template), rows paginated, totals over
  every project.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.test import Client
from django.utils import timezone

from bench.core import Context, Result, count_queries, median_ms, seconds

ISSUE = "#4"
KINDS = [
    "rd_investment",
    "compute_lease",
    "model_service",
    "corpus_purchase",
    "scenario_investment",
    "software_contract",
    "platform_investment",
    "robot_deployment",
]
AREAS = ["large_models", "finance", "healthcare", "manufacturing", "embodied_ai", "education"]
DISTRICTS = ["pudong", "xuhui", "minhang", "jingan", "outside"]
RATINGS = ["A", "A", "B", "M", "C", ""]


def _extra_programmes(count: int) -> None:
    from grants.models import PriorityArea, Programme

    areas = {a.code: a for a in PriorityArea.objects.all()}
    rng = random.Random(4)
    for index in range(count):
        programme = Programme.objects.create(
            code=f"bench_extra_{index:02d}",
            name_en=f"Bench programme {index}",
            basis=KINDS[index % len(KINDS)],
            ratio=Decimal(rng.choice(["0.10", "0.20", "0.25", "0.40", "0.50"])),
            cap=rng.choice([None, Decimal("1000000"), Decimal("3000000")]),
            max_months=rng.choice([None, 12, 24]),
            exclude_related_party=bool(index % 2),
            allowed_tax_ratings=rng.choice([[], ["A", "B", "M"], ["A"]]),
            min_company_age_years=rng.choice([None, 2, 5]),
            min_basis_amount=rng.choice([None, Decimal("100000")]),
        )
        if index % 3 == 0:
            programme.areas.set([areas[a] for a in rng.sample(AREAS, 2)])


@transaction.atomic
def _portfolio(name: str, projects: int, *, per_company: int = 4, seed: int = 1) -> object:
    """An organisation with `projects` projects of 5 cost lines each; returns its consultant."""
    from accounts.models import User
    from companies.models import Company, CostLine, Membership, Organisation, Project
    from tests.factories import make_uscc

    rng = random.Random(seed)
    org = Organisation.objects.create(name=name)
    companies = Company.objects.bulk_create(
        Company(
            organisation=org,
            name=f"{name} client {i:05d}",
            name_zh=f"客户{i:05d}",
            uscc=make_uscc(seed * 1_000_000 + i),
            district=rng.choice(DISTRICTS),
            established_on=dt.date(2010, 1, 1) + dt.timedelta(days=rng.randrange(5000)),
            tax_credit_rating=rng.choice(RATINGS),
        )
        for i in range(max(1, projects // per_company))
    )
    rows = Project.objects.bulk_create(
        Project(
            company=companies[i % len(companies)],
            title=f"Project {i:05d}",
            areas=rng.sample(AREAS, rng.randrange(0, 3)),
        )
        for i in range(projects)
    )
    CostLine.objects.bulk_create(
        CostLine(
            project=project,
            position=line,
            kind=rng.choice(KINDS),
            amount=Decimal(rng.randrange(10_000, 50_000_000)) / 100,
            months=rng.choice([None, None, 6, 12, 24, 36]),
            related_party=rng.random() < 0.1,
        )
        for project in rows
        for line in range(5)
    )
    user = User.objects.create_user(f"bench_{seed}")  # signed in with force_login
    Membership.objects.create(user=user, organisation=org, role=Membership.Role.CONSULTANT)
    return user


def _match_all(organisation_name: str):
    from companies.models import Project
    from grants import selectors

    catalogue = selectors.matching_catalogue()
    rows = selectors.project_rows(
        Project.objects.filter(company__organisation__name=organisation_name)
    )
    return selectors.match_rows(rows, catalogue.rules.values(), today=timezone.localdate())


def _outcomes_all(organisation_name: str) -> int:
    """Status and estimate of every project × programme, as the opportunities page computes."""
    from companies.models import Project
    from grants import matching, selectors

    catalogue = selectors.matching_catalogue()
    programmes = matching.ProgrammeSet(catalogue.rules.values())
    today = timezone.localdate()
    rows = selectors.project_rows(
        Project.objects.filter(company__organisation__name=organisation_name)
    )
    with selectors.gc_paused():
        return sum(
            len(matching.outcomes(row.company, row.facts, programmes, today=today)) for row in rows
        )


def run(ctx: Context) -> list[Result]:
    from grants.catalogue.loader import catalogue_load
    from grants.models import Programme

    many = 1_000 if ctx.quick else 10_000
    page_projects = 400 if ctx.quick else 2_000
    catalogue_load()
    _extra_programmes(20)
    programmes = Programme.objects.filter(is_active=True).count()
    _portfolio("Bench small", many // 10, seed=1)
    _portfolio("Bench large", many, seed=2)
    consultant = _portfolio("Bench page", page_projects, seed=3)

    results = []
    _match_all("Bench large")  # warm-up: imports, translations, connection
    elapsed, matched = seconds(lambda: _match_all("Bench large"))
    evaluations = sum(len(m) for _, m in matched)
    results.append(
        Result(
            ISSUE,
            f"match {many:,} projects × {programmes} programmes (5 cost lines each)",
            elapsed * 1000,
            "ms",
            "< 2000 ms",
            elapsed < 2.0,
            notes=f"{evaluations:,} full matches (rules explained on demand), loading included",
        )
    )
    elapsed, evaluations = seconds(lambda: _outcomes_all("Bench large"))
    results.append(
        Result(
            ISSUE,
            f"statuses and estimates of {many:,} projects × {programmes} programmes (bulk path)",
            elapsed * 1000,
            "ms",
            "< 2000 ms",
            elapsed < 2.0,
            notes=f"{evaluations:,} outcomes, loading included; the opportunities page's path",
        )
    )
    small = count_queries(lambda: _match_all("Bench small"))
    large = count_queries(lambda: _match_all("Bench large"))
    results.append(
        Result(
            ISSUE,
            f"queries to match {many // 10:,} vs {many:,} projects",
            large,
            "queries",
            "same for any number of projects",
            small == large,
            notes=f"{small} vs {large}",
        )
    )

    client = Client(HTTP_HOST="localhost")
    client.force_login(consultant)
    response = client.get("/opportunities/")
    assert response.status_code == 200, response.status_code
    page_ms = median_ms(lambda: client.get("/opportunities/"), repeat=15)
    queries = count_queries(lambda: client.get("/opportunities/"))
    results.append(
        Result(
            ISSUE,
            f"opportunities page, {page_projects:,} projects, median",
            page_ms,
            "ms",
            "< 300 ms",
            page_ms < 300,
            notes=f"{queries} queries; totals over all projects, 50 rows a page",
        )
    )
    return results
