"""The matches on the project page (a panel) and on their own page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import RequestFactory
from django.utils import translation

from core import panels
from grants.models import Programme
from tests.factories import CallFactory, UserFactory

CONNECTED = "tests.grants.matching.urls_connected"
ALONE = "tests.grants.matching.urls_alone"

COSTS = (
    ("rd_investment", "1000000.00", None, False),
    ("scenario_investment", "100000.00", None, False),
    ("model_service", "100000.00", None, True),
)


def page(client, project) -> str:
    response = client.get(f"/projects/{project.pk}/matches/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_shows_status_estimate_basis_formula_and_call(login, cast, seeded, make_project):
    project = make_project(cast.company, COSTS)
    CallFactory(
        programme=Programme.objects.get(code="critical_tech"),
        title="2026 critical technologies",
        deadline=dt.datetime(2030, 5, 1, 9, 30, tzinfo=dt.UTC),
    )
    html = page(login(cast.consultant), project)
    assert 'data-testid="match-critical_tech"' in html
    assert "¥300,000.00" in html
    assert "30% × ¥1,000,000.00 = ¥300,000.00" in html
    assert "30% of verified R&amp;D investment, at most ¥50,000,000" in html
    assert "2026 critical technologies" in html
    assert "2030-05-01 17:30" in html
    # potential support: 300,000 (R&D) + 20,000 (scenario); model service is related party
    assert "¥320,000.00" in html
    assert "one programme per cost kind" in html
    assert "Costs of ¥100,000.00 bought from related parties do not count" in html


def test_the_panel_plugs_into_the_project_page(cast, seeded, make_project):
    project = make_project(cast.company)
    request = RequestFactory().get("/companies/projects/1/")
    request.user = cast.consultant
    with translation.override("en"):
        html = "".join(panels.render("project", request, project))
    assert 'data-testid="matches-panel"' in html
    assert 'data-testid="match-critical_tech"' in html


def test_the_panel_shows_nothing_for_other_objects(cast, seeded):
    request = RequestFactory().get("/")
    request.user = cast.consultant
    from grants.views.matches import project_matches_panel

    assert project_matches_panel(request, cast.company) == ""


def test_missing_data_is_explained_with_a_link_to_fill_it_in(
    login, cast, seeded, make_project, settings
):
    settings.ROOT_URLCONF = CONNECTED
    cast.company.tax_credit_rating = ""
    cast.company.save()
    project = make_project(cast.company, COSTS)
    html = page(login(cast.consultant), project)
    assert "The company&#x27;s tax credit rating is not recorded" in html
    assert f'href="/companies/{cast.company.pk}/edit/"' in html
    assert "Edit the company" in html
    assert "Incomplete" in html


def test_a_failing_cost_rule_links_to_the_project(login, cast, seeded, make_project, settings):
    settings.ROOT_URLCONF = CONNECTED
    project = make_project(cast.company, COSTS[:1])
    html = page(login(cast.consultant), project)
    assert f'href="/companies/projects/{project.pk}/edit/"' in html
    assert "No eligible costs of kind" in html


def test_without_the_edit_pages_there_is_no_dead_link(login, cast, seeded, make_project, settings):
    settings.ROOT_URLCONF = ALONE
    cast.company.tax_credit_rating = ""
    cast.company.save()
    project = make_project(cast.company)
    html = page(login(cast.consultant), project)
    assert "not recorded" in html
    assert "Edit the company" not in html
    assert 'data-testid="apply"' not in html


@pytest.mark.parametrize("who", ["consultant", "admin"])
def test_consultants_get_an_apply_action(login, cast, seeded, make_project, settings, who):
    settings.ROOT_URLCONF = CONNECTED
    project = make_project(cast.company, COSTS)
    html = page(login(getattr(cast, who)), project)
    assert f'href="/applications/new/?project={project.pk}&amp;programme=critical_tech"' in html
    # none for an ineligible programme
    assert "programme=robot_deployment" not in html


def test_clients_get_no_apply_action(login, cast, seeded, make_project, settings):
    settings.ROOT_URLCONF = CONNECTED
    project = make_project(cast.company, COSTS)
    html = page(login(cast.client_user), project)
    assert 'data-testid="match-critical_tech"' in html
    assert 'data-testid="apply"' not in html


@pytest.mark.parametrize("who", ["other_client", "outsider"])
def test_another_companys_project_is_404(login, cast, seeded, make_project, who):
    project = make_project(cast.company)
    assert login(getattr(cast, who)).get(f"/projects/{project.pk}/matches/").status_code == 404


def test_a_user_without_membership_gets_404(login, cast, seeded, make_project):
    project = make_project(cast.company)
    client = login(UserFactory(username="nobody"))
    assert client.get(f"/projects/{project.pk}/matches/").status_code == 404


def test_the_page_in_chinese(login, cast, seeded, make_project):
    cast.consultant.language = "zh-hans"
    cast.consultant.save()
    project = make_project(cast.company)
    html = page(login(cast.consultant), project)
    assert "基础理论与关键技术攻关" in html
    assert "上海" in html
    assert "符合条件" in html or "可申报" in html


def test_the_page_takes_constant_queries(login, cast, seeded, make_project):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(cast.consultant)
    small = make_project(cast.company, COSTS[:1])
    page(client, small)
    with CaptureQueriesContext(connection) as one:
        page(client, small)
    big = make_project(cast.company, COSTS * 20)
    for programme in Programme.objects.all():
        CallFactory(programme=programme)
    with CaptureQueriesContext(connection) as many:
        page(client, big)
    assert len(many) == len(one)


def test_the_panel_says_what_filling_in_the_data_would_bring(login, cast, seeded, make_project):
    cast.company.tax_credit_rating = ""
    cast.company.save()
    project = make_project(cast.company, COSTS)
    html = page(login(cast.consultant), project)
    assert "No programme is eligible yet." in html
    assert "once the missing data is filled in, the potential support would be ¥320,000.00" in html
