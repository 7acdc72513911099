"""Issue #3: the companies list page and GET /api/v1/projects/ with a large organisation.

5,000 companies and 20,000 projects (two cost lines each) in one organisation, inserted with
bulk_create. Both pages are requested in-process through Django's test client (the whole
middleware stack, templates and serializers); each must answer in under 100 ms (median) with
the same number of queries as for an organisation of one company.
"""

from __future__ import annotations

import itertools
from decimal import Decimal

from bench.core import Context, Result, count_queries, median_ms, seconds

ISSUE = "#3"
TARGET_MS = 100.0
BENCH_PASSWORD = "bench-pass-1234"


def _populate(companies: int, projects_per_company: int):
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    from companies.choices import District
    from companies.models import Company, CostLine, Membership, Organisation, Project
    from tests.factories import make_uscc

    user_model = get_user_model()
    org = Organisation.objects.create(name="Bench Consultancy")
    user = user_model.objects.create_user("bench_consultant", password=BENCH_PASSWORD)
    Membership.objects.create(user=user, organisation=org, role=Membership.Role.CONSULTANT)
    districts = itertools.cycle(District.values)
    Company.objects.bulk_create(
        [
            Company(
                organisation=org,
                name=f"Bench Company {n:05d} Ltd",
                name_zh=f"基准测试企业{n:05d}有限公司",
                uscc=make_uscc(n),
                district=next(districts),
                employees=10 + n % 500,
                tax_credit_rating="ABMCD"[n % 5],
            )
            for n in range(companies)
        ],
        batch_size=1000,
    )
    company_ids = list(Company.objects.filter(organisation=org).values_list("id", flat=True))
    Project.objects.bulk_create(
        [
            Project(company_id=cid, title=f"Project {cid}-{p}", areas=["large_models"])
            for cid in company_ids
            for p in range(projects_per_company)
        ],
        batch_size=2000,
    )
    project_ids = Project.objects.filter(company__organisation=org).values_list("id", flat=True)
    CostLine.objects.bulk_create(
        [
            CostLine(project_id=pid, position=i, kind=kind, amount=Decimal("125000.00"), months=m)
            for pid in project_ids.iterator()
            for i, (kind, m) in enumerate((("rd_investment", None), ("compute_lease", 12)))
        ],
        batch_size=5000,
    )
    small = Organisation.objects.create(name="Bench Small")
    small_user = user_model.objects.create_user("bench_small", password=BENCH_PASSWORD)
    Membership.objects.create(user=small_user, organisation=small, role="consultant")
    company = Company.objects.create(
        organisation=small, name="Only Ltd", uscc=make_uscc(10**8), district="pudong"
    )
    Project.objects.create(company=company, title="Only project")
    for who in (user, small_user):
        Token.objects.get_or_create(user=who)
    return user, small_user


def _clean_up() -> None:
    """Remove the bench data, so a run against a kept database (PostgreSQL) can be repeated."""
    from django.contrib.auth import get_user_model

    from companies.models import Company, CostLine, Membership, Organisation, Project

    orgs = Organisation.objects.filter(name__in=["Bench Consultancy", "Bench Small"])
    CostLine.objects.filter(project__company__organisation__in=orgs).delete()
    Project.objects.filter(company__organisation__in=orgs).delete()
    Membership.objects.filter(organisation__in=orgs).delete()
    Company.objects.filter(organisation__in=orgs).delete()
    orgs.delete()
    get_user_model().objects.filter(username__in=["bench_consultant", "bench_small"]).delete()


def _clients(user):
    from django.test import Client
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    page = Client(HTTP_HOST="localhost")
    page.force_login(user)
    api = APIClient(HTTP_HOST="localhost")
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get(user=user).key}")
    return page, api


def _get(client, url: str, **params):
    def call():
        response = client.get(url, params)
        assert response.status_code == 200, (url, response.status_code)
        return response

    return call


def run(ctx: Context) -> list[Result]:
    companies, per_company = (500, 4) if ctx.quick else (5000, 4)
    _clean_up()
    setup_s, (user, small_user) = seconds(lambda: _populate(companies, per_company))
    try:
        return _measure(ctx, companies, per_company, setup_s, user, small_user)
    finally:
        _clean_up()


def _measure(ctx, companies, per_company, setup_s, user, small_user) -> list[Result]:
    page, api = _clients(user)
    small_page, small_api = _clients(small_user)
    size = f"{companies:,} companies, {companies * per_company:,} projects"
    results = []
    last_api_page = companies * per_company // 50
    # (name, client, client of the 1-company organisation, url, params, params there)
    checks = [
        ("companies list page", page, small_page, "/companies/", {}, {}),
        (
            "companies list page, searched by name",
            page,
            small_page,
            "/companies/",
            {"q": "Company 0042"},
            {"q": "Only"},
        ),
        (
            "companies list page, by district and date, last page",
            page,
            small_page,
            "/companies/",
            {"district": "pudong", "sort": "-established_on", "page": "9999"},
            {"district": "pudong", "sort": "-established_on"},
        ),
        ("GET /api/v1/projects/ (page of 50)", api, small_api, "/api/v1/projects/", {}, {}),
        (
            f"GET /api/v1/projects/?page={last_api_page} (the last page)",
            api,
            small_api,
            "/api/v1/projects/",
            {"page": last_api_page},
            {},
        ),
    ]
    for name, big, small, url, params, small_params in checks:
        fetch = _get(big, url, **params)
        ms = median_ms(fetch, repeat=15)
        queries = count_queries(fetch)
        baseline = count_queries(_get(small, url, **small_params))
        constant = queries == baseline
        results.append(
            Result(
                ISSUE,
                f"{name} ({size})",
                ms,
                "ms",
                f"< {TARGET_MS:.0f} ms median, queries as for 1 company",
                ms < TARGET_MS and constant,
                notes=f"{queries} queries (1-company organisation: {baseline}); "
                f"data set up in {setup_s:.1f} s",
            )
        )
    return results
