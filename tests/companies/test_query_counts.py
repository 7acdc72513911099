"""Lists cost a fixed number of queries, however many rows they show."""

from __future__ import annotations

import pytest

from tests.factories import ApplicationFactory, CompanyFactory, CostLineFactory, ProjectFactory

# Session and user, membership, the count, the page, project counts (page) and the rest of the
# page shell (notifications badge); measured once, then held fixed.
COMPANY_LIST_QUERIES = 8
PROJECT_API_QUERIES = 6
COMPANY_API_QUERIES = 5
MEMBERS_QUERIES = 10
# The page's own 9, plus 1 for the applications panel that grants adds (core.panels).
COMPANY_PAGE_QUERIES = 10


def _companies(cast, n):
    for _ in range(n):
        company = CompanyFactory(organisation=cast.org)
        ProjectFactory(company=company)


def _projects(cast, n):
    for i in range(n):
        project = ProjectFactory(company=cast.company if i % 2 else cast.other_company)
        CostLineFactory(project=project)
        CostLineFactory(project=project, kind="compute_lease", months=12)


@pytest.mark.parametrize("rows", [1, 50])
def test_the_companies_page(login, cast, django_assert_max_num_queries, rows):
    _companies(cast, rows)
    client = login(cast.consultant)
    with django_assert_max_num_queries(COMPANY_LIST_QUERIES):
        response = client.get("/companies/", {"sort": "district"})
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [1, 50])
def test_the_projects_api(api, cast, django_assert_max_num_queries, rows):
    _projects(cast, rows)
    client = api(cast.consultant)
    with django_assert_max_num_queries(PROJECT_API_QUERIES):
        response = client.get("/api/v1/projects/")
    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize("rows", [1, 50])
def test_the_companies_api(api, cast, django_assert_max_num_queries, rows):
    _companies(cast, rows)
    client = api(cast.consultant)
    with django_assert_max_num_queries(COMPANY_API_QUERIES):
        response = client.get("/api/v1/companies/")
    assert response.json()["count"] == rows + 2


@pytest.mark.parametrize("rows", [1, 30])
def test_the_company_page(login, cast, django_assert_max_num_queries, rows):
    for _ in range(rows):
        project = ProjectFactory(company=cast.company)
        CostLineFactory(project=project)
        ApplicationFactory(project=project)
    client = login(cast.consultant)
    with django_assert_max_num_queries(COMPANY_PAGE_QUERIES):
        response = client.get(f"/companies/{cast.company.pk}/")
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [1, 30])
def test_the_members_page(login, cast, django_assert_max_num_queries, rows):
    from tests.factories import MembershipFactory

    for _ in range(rows):
        MembershipFactory(organisation=cast.org, role="client", company=cast.company)
    client = login(cast.admin)
    with django_assert_max_num_queries(MEMBERS_QUERIES):
        response = client.get("/companies/members/")
    assert response.status_code == 200
