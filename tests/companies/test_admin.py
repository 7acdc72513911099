"""Support staff browse and search companies, projects, organisations and members in the admin."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.companies.factories import ContactFactory
from tests.factories import CostLineFactory, ProjectFactory, UserFactory


@pytest.fixture
def staff(login, db):
    return login(UserFactory(username="support", is_staff=True, is_superuser=True))


@pytest.mark.parametrize("model", ["organisation", "membership", "company", "project", "activity"])
def test_changelists_load_and_search(staff, cast, model):
    url = reverse(f"admin:companies_{model}_changelist")
    assert staff.get(url).status_code == 200
    assert staff.get(url, {"q": "Lujiazui"}).status_code == 200


def test_company_and_project_pages_show_their_inlines(staff, cast):
    ContactFactory(company=cast.company, name="Inline Contact")
    project = ProjectFactory(company=cast.company)
    CostLineFactory(project=project, supplier="Inline Supplier")
    company_html = staff.get(
        reverse("admin:companies_company_change", args=[cast.company.pk])
    ).content.decode()
    assert "Inline Contact" in company_html
    project_html = staff.get(
        reverse("admin:companies_project_change", args=[project.pk])
    ).content.decode()
    assert "Inline Supplier" in project_html


def test_the_search_finds_a_company_by_uscc(staff, cast):
    html = staff.get(
        reverse("admin:companies_company_changelist"), {"q": cast.company.uscc}
    ).content.decode()
    assert "Lujiazui Vision Ltd" in html and "Zhangjiang Robotics" not in html


def test_members_of_organisations_do_not_get_into_the_admin(login, cast):
    response = login(cast.admin).get(reverse("admin:companies_company_changelist"))
    assert response.status_code == 302
