"""GET /api/v1/projects/{id}/matches/ (api.md): the matches, in order, scoped, translated."""

from __future__ import annotations

import pytest

from grants.models import Programme
from tests.factories import CallFactory, ProgrammeFactory, UserFactory

FULL = (
    ("rd_investment", "1000000.00", None, False),
    ("compute_lease", "2400000.00", 24, False),
    ("model_service", "400000.00", None, False),
    ("model_service", "100000.00", None, True),
)


def url(project) -> str:
    return f"/api/v1/projects/{project.pk}/matches/"


def test_the_matches_follow_the_contract(api, cast, seeded, make_project):
    project = make_project(cast.company, FULL)
    call = CallFactory(programme=Programme.objects.get(code="compute_lease"))
    response = api(cast.consultant).get(url(project))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 8
    results = body["results"]
    assert set(results[0]) == {
        "programme",
        "status",
        "eligible",
        "basis_amount",
        "estimated_subsidy",
        "open_call",
        "rules",
    }
    by_code = {m["programme"]: m for m in results}
    lease = by_code["compute_lease"]
    assert lease["status"] == "eligible" and lease["eligible"] is True
    assert lease["basis_amount"] == "1200000.00"  # 2,400,000 × 12 / 24
    assert lease["estimated_subsidy"] == "1200000.00"
    assert lease["open_call"] == call.pk
    assert by_code["model_voucher"]["basis_amount"] == "400000.00"  # related party left out
    assert by_code["model_voucher"]["estimated_subsidy"] == "200000.00"
    assert by_code["critical_tech"]["estimated_subsidy"] == "300000.00"
    assert by_code["critical_tech"]["open_call"] is None
    assert by_code["robot_deployment"]["status"] == "ineligible"
    assert by_code["robot_deployment"]["estimated_subsidy"] == "0.00"
    assert [r["rule"] for r in lease["rules"]] == ["shanghai_registration", "tax_rating", "basis"]
    assert all(set(r) == {"rule", "result", "message"} for r in lease["rules"])
    # product.md order: eligible by estimate, then the rest; ties by code
    assert [m["programme"] for m in results] == [
        "compute_lease",
        "critical_tech",
        "model_voucher",
        "corpus_voucher",
        "demo_scenario",
        "first_software",
        "robot_deployment",
        "service_platform",
    ]


def test_missing_data_makes_every_programme_incomplete(api, cast, seeded, make_project):
    cast.company.tax_credit_rating = ""
    cast.company.save()
    project = make_project(cast.company)
    body = api(cast.consultant).get(url(project)).json()
    critical = next(m for m in body["results"] if m["programme"] == "critical_tech")
    assert critical["status"] == "incomplete"
    assert critical["eligible"] is False
    assert critical["estimated_subsidy"] == "300000.00"
    tax = next(r for r in critical["rules"] if r["rule"] == "tax_rating")
    assert tax["result"] == "missing"
    assert "not recorded" in tax["message"]


def test_messages_follow_accept_language(api, cast, seeded, make_project):
    project = make_project(cast.company)
    body = api(cast.consultant).get(url(project), HTTP_ACCEPT_LANGUAGE="zh-CN").json()
    messages = " ".join(r["message"] for m in body["results"] for r in m["rules"])
    assert "上海" in messages


def test_the_users_saved_language_wins(api, cast, seeded, make_project):
    cast.consultant.language = "zh-hans"
    cast.consultant.save()
    project = make_project(cast.company)
    body = api(cast.consultant).get(url(project), HTTP_ACCEPT_LANGUAGE="en").json()
    assert "上海" in body["results"][0]["rules"][0]["message"]


def test_a_client_sees_its_own_projects_matches(api, cast, seeded, make_project):
    project = make_project(cast.company)
    assert api(cast.client_user).get(url(project)).status_code == 200


@pytest.mark.parametrize("who", ["other_client", "outsider"])
def test_another_companys_project_is_404(api, cast, seeded, make_project, who):
    project = make_project(cast.company)
    assert api(getattr(cast, who)).get(url(project)).status_code == 404


def test_a_staff_flag_opens_no_other_organisation(api, cast, seeded, make_project):
    cast.outsider.is_staff = True
    cast.outsider.is_superuser = True
    cast.outsider.save()
    project = make_project(cast.company)
    assert api(cast.outsider).get(url(project)).status_code == 404


def test_a_user_without_membership_gets_404(api, cast, seeded, make_project):
    project = make_project(cast.company)
    assert api(UserFactory(username="loner")).get(url(project)).status_code == 404


def test_an_unknown_project_is_404_and_no_credentials_is_401(api, cast, seeded, make_project):
    project = make_project(cast.company)
    assert api(cast.consultant).get("/api/v1/projects/999999/matches/").status_code == 404
    assert api().get(url(project)).status_code == 401


def test_matches_take_constant_queries(api, cast, seeded, make_project):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api(cast.consultant)
    small = make_project(cast.company, FULL[:1])
    client.get(url(small))
    with CaptureQueriesContext(connection) as one:
        client.get(url(small))
    assert len(one) <= 12
    big = make_project(cast.company, FULL * 10)
    for index in range(20):
        ProgrammeFactory(code=f"extra_{index}", basis="rd_investment")
    for _ in range(5):
        make_project(cast.other_company, FULL)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url(big) + "?page_size=200")
    assert response.json()["count"] == 28
    assert len(many) == len(one)
