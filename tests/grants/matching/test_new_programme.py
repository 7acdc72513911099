"""Rules are data: a programme created through the API is matched with no code change."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from tests.factories import CompanyFactory

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(dt.datetime(2026, 3, 1, 10, 0, tzinfo=SHANGHAI), tick=False):
        yield


@pytest.fixture
def maintainer(cast):
    cast.admin.is_staff = True
    cast.admin.save()
    return cast.admin


@pytest.fixture
def hospital_ai(api, maintainer, seeded):
    """A programme unlike the seeded ones: corpus purchases, prorated, limited to two areas."""
    response = api(maintainer).post(
        "/api/v1/programmes/",
        {
            "code": "hospital_ai",
            "name_en": "Hospital AI pilots",
            "basis": "corpus_purchase",
            "ratio": "0.4",
            "cap": "1000.00",
            "max_months": 6,
            "areas": ["healthcare", "ai_for_science"],
            "exclude_related_party": True,
            "requires_shanghai_registration": False,
            "allowed_tax_ratings": ["A"],
            "min_company_age_years": 3,
            "min_basis_amount": "500.00",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    return response.json()


def matches(api, user, project) -> dict:
    body = api(user).get(f"/api/v1/projects/{project.pk}/matches/").json()
    return {m["programme"]: m for m in body["results"]}


def test_every_rule_of_the_new_programme_applies(api, cast, hospital_ai, make_project):
    company = CompanyFactory(
        organisation=cast.org,
        district="outside",  # registration is not required by this programme
        tax_credit_rating="A",
        established_on=dt.date(2023, 3, 1),  # exactly 3 years on 2026-03-01
    )
    project = make_project(
        company,
        [
            ("corpus_purchase", "3000.00", 12, False),  # prorated: 3000 × 6 / 12 = 1500
            ("corpus_purchase", "999.00", None, True),  # related party: left out
            ("corpus_purchase", "100.05", None, False),
        ],
        areas=["healthcare"],
    )
    match = matches(api, cast.consultant, project)["hospital_ai"]
    assert [r["rule"] for r in match["rules"]] == [
        "tax_rating",
        "company_age",
        "area",
        "basis",
        "min_basis",
    ]
    assert match["status"] == "eligible"
    assert match["basis_amount"] == "1600.05"
    assert match["estimated_subsidy"] == "640.02"  # 0.4 × 1600.05 = 640.02, under the cap

    # more corpus: the cap binds
    project.costs.create(kind="corpus_purchase", amount=Decimal("5000.00"), position=9)
    match = matches(api, cast.consultant, project)["hospital_ai"]
    assert match["estimated_subsidy"] == "1000.00"


@pytest.mark.parametrize(
    ("company_fields", "areas", "costs", "failing"),
    [
        ({"tax_credit_rating": "B"}, ["healthcare"], [("corpus_purchase", "900.00")], "tax_rating"),
        (
            {"established_on": dt.date(2023, 3, 2)},
            ["healthcare"],
            [("corpus_purchase", "900.00")],
            "company_age",
        ),
        ({}, ["finance"], [("corpus_purchase", "900.00")], "area"),
        ({}, ["healthcare"], [("model_service", "900.00")], "basis min_basis"),
        ({}, ["ai_for_science"], [("corpus_purchase", "499.99")], "min_basis"),
    ],
)
def test_each_condition_of_the_new_programme_can_fail(
    api, cast, hospital_ai, make_project, company_fields, areas, costs, failing
):
    fields = {"tax_credit_rating": "A", "established_on": dt.date(2020, 1, 1), **company_fields}
    company = CompanyFactory(organisation=cast.org, **fields)
    project = make_project(
        company, [(kind, amount, None, False) for kind, amount in costs], areas=areas
    )
    match = matches(api, cast.consultant, project)["hospital_ai"]
    assert match["status"] == "ineligible"
    assert match["estimated_subsidy"] == "0.00"
    assert [r["rule"] for r in match["rules"] if r["result"] == "fail"] == failing.split()


def test_a_patch_changes_the_match_at_once(api, cast, maintainer, hospital_ai, make_project):
    company = CompanyFactory(
        organisation=cast.org, tax_credit_rating="B", established_on=dt.date(2020, 1, 1)
    )
    project = make_project(
        company, [("corpus_purchase", "1000.00", None, False)], areas=["healthcare"]
    )
    assert matches(api, cast.consultant, project)["hospital_ai"]["status"] == "ineligible"
    api(maintainer).patch(
        "/api/v1/programmes/hospital_ai/",
        {"allowed_tax_ratings": [], "areas": [], "ratio": "0.05"},
        format="json",
    )
    match = matches(api, cast.consultant, project)["hospital_ai"]
    assert match["status"] == "eligible"
    assert match["estimated_subsidy"] == "50.00"
    assert [r["rule"] for r in match["rules"]] == ["company_age", "basis", "min_basis"]
