"""The number of queries of the lists does not grow with the number of applications."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import CallFactory, CompanyFactory, ProjectFactory

STATES = ["draft", "preparing", "submitted", "supplement_requested", "approved", "funded"]


def many(cast, make_app, programme, n: int) -> None:
    call = CallFactory(programme=programme, deadline=timezone.now() + dt.timedelta(days=5))
    for i in range(n):
        company = CompanyFactory(organisation=cast.org)
        make_app(
            STATES[i % len(STATES)],
            project=ProjectFactory(company=company),
            call=call,
            assignee=cast.consultant if i % 2 else cast.admin,
        )


def count(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = fn()
        assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url", ["/pipeline/", "/applications/", "/applications/?sort=deadline&state=draft"]
)
def test_pages_make_as_many_queries_for_one_application_as_for_forty(
    cast, make_app, programme, login, url
):
    client = login(cast.consultant)
    many(cast, make_app, programme, 1)
    client.get(url)  # warm the session
    one = count(lambda: client.get(url))
    many(cast, make_app, programme, 40)
    assert count(lambda: client.get(url)) == one


def test_the_api_list_makes_as_many_queries_for_one_as_for_forty(cast, make_app, programme, api):
    client = api(cast.consultant)
    many(cast, make_app, programme, 1)
    one = count(lambda: client.get("/api/v1/applications/?ordering=deadline"))
    many(cast, make_app, programme, 40)
    assert count(lambda: client.get("/api/v1/applications/?ordering=deadline")) == one


@pytest.mark.parametrize(("url", "limit"), [("/pipeline/", 14), ("/applications/", 14)])
def test_the_pages_stay_under_a_fixed_budget(
    cast, make_app, programme, login, django_assert_max_num_queries, url, limit
):
    many(cast, make_app, programme, 30)
    client = login(cast.consultant)
    with django_assert_max_num_queries(limit):
        client.get(url)


def test_clients_list_is_flat_too(cast, make_app, programme, login, project):
    client = login(cast.client_user)
    make_app("draft")
    one = count(lambda: client.get("/applications/"))
    for _ in range(30):
        make_app("preparing", project=ProjectFactory(company=cast.company))
    assert count(lambda: client.get("/applications/")) == one
