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


# --- tenant records are read-only in the admin ------------------------------------------------


def _change_url(obj) -> str:
    return reverse(f"admin:companies_{obj._meta.model_name}_change", args=[obj.pk])


def test_it_refuses_a_change_post_to_a_company(staff, cast):
    response = staff.post(
        _change_url(cast.company),
        {
            "organisation": cast.other_org.pk,
            "name": "Hijacked",
            "uscc": cast.company.uscc,
            "district": "pudong",
            "contacts-TOTAL_FORMS": "0",
            "contacts-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 403
    cast.company.refresh_from_db()
    assert cast.company.organisation == cast.org and cast.company.name == "Lujiazui Vision Ltd"


def test_it_refuses_a_change_post_to_a_project_or_a_membership(staff, cast):
    project = ProjectFactory(company=cast.company, title="Kept")
    response = staff.post(
        _change_url(project),
        {"company": cast.foreign_company.pk, "title": "Moved", "areas": "[]"},
    )
    assert response.status_code == 403
    project.refresh_from_db()
    assert project.company == cast.company and project.title == "Kept"

    membership = cast.consultant.membership
    response = staff.post(
        _change_url(membership),
        {"user": cast.consultant.pk, "organisation": cast.other_org.pk, "role": "admin"},
    )
    assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.organisation == cast.org and membership.role == "consultant"


@pytest.mark.parametrize("model", ["membership", "company", "project"])
def test_tenant_records_cannot_be_added_or_deleted_in_the_admin(staff, cast, model):
    assert staff.get(reverse(f"admin:companies_{model}_add")).status_code == 403
    obj = {
        "membership": cast.consultant.membership,
        "company": cast.company,
        "project": ProjectFactory(company=cast.company),
    }[model]
    delete = reverse(f"admin:companies_{model}_delete", args=[obj.pk])
    assert staff.post(delete, {"post": "yes"}).status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_tenant_records_stay_browsable_with_their_details(staff, cast):
    html = staff.get(_change_url(cast.company)).content.decode()
    assert cast.company.uscc in html and 'name="name"' not in html


def test_organisation_settings_changed_in_the_admin_are_recorded(staff, cast):
    from companies.models import Activity

    response = staff.post(
        _change_url(cast.org), {"name": "Bund Grants", "require_second_reviewer": "on"}
    )
    assert response.status_code == 302
    cast.org.refresh_from_db()
    assert cast.org.name == "Bund Grants" and cast.org.require_second_reviewer
    activity = Activity.objects.get(object_type="organisation")
    assert activity.actor.username == "support" and activity.organisation == cast.org


def test_organisations_cannot_be_deleted_in_the_admin(staff, cast):
    delete = reverse("admin:companies_organisation_delete", args=[cast.org.pk])
    assert staff.post(delete, {"post": "yes"}).status_code == 403
