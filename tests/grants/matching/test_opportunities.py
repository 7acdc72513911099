"""The opportunities page: every client project matched at once, for consultants."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import CompanyFactory, UserFactory


@pytest.fixture
def portfolio(cast, seeded, make_project):
    """Two clients of the organisation and one company of another organisation."""
    lujiazui = make_project(
        cast.company,
        [
            ("rd_investment", "1000000.00", None, False),  # critical_tech 300,000
            ("model_service", "100000.00", None, False),  # model_voucher 50,000
        ],
        title="Vision inspection",
    )
    zhangjiang = make_project(
        cast.other_company,
        [("robot_deployment", "2000000.00", None, False)],  # robot_deployment 100,000
        title="Robot fleet",
    )
    foreign = make_project(
        cast.foreign_company, [("rd_investment", "99000000.00", None, False)], title="Secret"
    )
    return lujiazui, zhangjiang, foreign


def rows(html: str) -> int:
    return html.count('data-testid="opportunity"')


def test_a_consultant_sees_who_can_claim_what_and_how_much(login, cast, portfolio):
    response = login(cast.consultant).get("/opportunities/")
    assert response.status_code == 200
    html = response.content.decode()
    assert rows(html) == 3
    assert "Vision inspection" in html and "Robot fleet" in html
    assert "Secret" not in html and "Foreign Firm" not in html
    assert "¥450,000.00" in html  # overall
    assert "¥350,000.00" in html  # Lujiazui Vision
    assert "¥100,000.00" in html  # Zhangjiang Robotics
    # largest estimate first
    assert html.index("¥300,000.00") < html.index("¥100,000.00") < html.index("¥50,000.00")


def test_admins_see_it_too(login, cast, portfolio):
    assert login(cast.admin).get("/opportunities/").status_code == 200


@pytest.mark.parametrize("who", ["client_user", "other_client"])
def test_clients_get_404(login, cast, portfolio, who):
    assert login(getattr(cast, who)).get("/opportunities/").status_code == 404


def test_a_user_without_membership_gets_404(login, portfolio):
    assert login(UserFactory(username="drifter")).get("/opportunities/").status_code == 404


def test_the_outsider_sees_only_its_own_organisation(login, cast, portfolio):
    html = login(cast.outsider).get("/opportunities/").content.decode()
    assert "Secret" in html
    assert "Vision inspection" not in html and "Robot fleet" not in html


def test_filter_by_programme(login, cast, portfolio):
    html = (
        login(cast.consultant)
        .get("/opportunities/", {"programme": "model_voucher"})
        .content.decode()
    )
    assert rows(html) == 1
    assert "¥50,000.00" in html


def test_filter_by_client(login, cast, portfolio):
    html = (
        login(cast.consultant)
        .get("/opportunities/", {"client": cast.other_company.pk})
        .content.decode()
    )
    assert rows(html) == 1
    assert "Robot fleet" in html and "Vision inspection" not in html


def test_another_organisations_client_is_not_a_choice(login, cast, portfolio):
    response = login(cast.consultant).get("/opportunities/", {"client": cast.foreign_company.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Secret" not in html
    assert "Select a valid choice" in html


def test_filter_by_status(login, cast, portfolio):
    cast.other_company.tax_credit_rating = ""
    cast.other_company.save()
    client = login(cast.consultant)
    incomplete = client.get("/opportunities/", {"status": "incomplete"}).content.decode()
    assert rows(incomplete) == 1 and "Robot fleet" in incomplete
    eligible = client.get("/opportunities/", {"status": "eligible"}).content.decode()
    assert rows(eligible) == 2
    everything = client.get("/opportunities/", {"status": "all"}).content.decode()
    assert rows(everything) == 16  # 2 projects × 8 programmes


def test_sort_by_estimate_ascending(login, cast, portfolio):
    html = login(cast.consultant).get("/opportunities/", {"sort": "estimate"}).content.decode()
    assert html.index("¥50,000.00") < html.index("¥300,000.00")


def test_totals_cover_every_project_while_rows_are_paginated(login, cast, seeded, make_project):
    for index in range(60):
        make_project(cast.company, [("rd_investment", "1000.00", None, False)], title=f"P{index}")
    client = login(cast.consultant)
    first = client.get("/opportunities/").content.decode()
    assert rows(first) == 50
    assert "¥18,000.00" in first  # 60 × 300
    second = client.get("/opportunities/", {"page": 2}).content.decode()
    assert rows(second) == 10


def test_same_cost_kind_counts_once_in_the_total(login, cast, seeded, make_project):
    from grants.models import Programme

    Programme.objects.create(
        code="rd_bonus", name_en="R&D bonus", basis="rd_investment", ratio="0.10", cap=None
    )
    make_project(cast.company, [("rd_investment", "1000.00", None, False)])
    html = login(cast.consultant).get("/opportunities/").content.decode()
    assert re.search(r'data-testid="board-best-total">¥300.00<', html)
    assert re.search(r'data-testid="board-sum">¥400.00<', html)


def test_the_page_takes_constant_queries(login, cast, seeded, make_project):
    client = login(cast.consultant)
    make_project(cast.company)
    client.get("/opportunities/")
    with CaptureQueriesContext(connection) as one:
        client.get("/opportunities/")
    for index in range(30):
        company = CompanyFactory(organisation=cast.org, name=f"Client {index}")
        make_project(
            company,
            [("rd_investment", "1000.00", None, False), ("compute_lease", "500.00", 24, False)],
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get("/opportunities/", {"status": "all"})
    assert rows(response.content.decode()) == 50
    assert len(many) == len(one)


def test_what_missing_data_would_unlock_is_totalled(login, cast, portfolio):
    cast.company.tax_credit_rating = ""  # Lujiazui's programmes become incomplete
    cast.company.save()
    html = login(cast.consultant).get("/opportunities/").content.decode()
    assert re.search(r'data-testid="board-best-total">¥100,000.00<', html)
    assert re.search(r'data-testid="board-if-completed">¥450,000.00<', html)


def test_the_board_reads_projects_through_the_one_scoping_rule(cast, portfolio, monkeypatch):
    """`opportunity_board` scopes by `Project.objects.visible_to(user)`: change the rule and
    the board follows it."""
    from companies.models import ProjectQuerySet
    from grants.selectors import opportunity_board

    rule = ProjectQuerySet.visible_to

    def without_zhangjiang(queryset, user):
        return rule(queryset, user).exclude(company=cast.other_company)

    titles = {o.project_title for o in opportunity_board(user=cast.consultant).opportunities}
    assert titles == {"Vision inspection", "Robot fleet"}
    monkeypatch.setattr(ProjectQuerySet, "visible_to", without_zhangjiang)
    titles = {o.project_title for o in opportunity_board(user=cast.consultant).opportunities}
    assert titles == {"Vision inspection"}


@pytest.mark.parametrize(
    ("who", "titles"),
    [
        ("consultant", {"Vision inspection", "Robot fleet"}),
        ("client_user", {"Vision inspection"}),
        ("outsider", {"Secret"}),
    ],
)
def test_the_board_holds_what_the_user_may_see(cast, portfolio, who, titles):
    from grants.selectors import OPPORTUNITY_STATUSES, opportunity_board

    board = opportunity_board(user=getattr(cast, who), statuses=OPPORTUNITY_STATUSES["all"])
    assert {o.project_title for o in board.opportunities} == titles
