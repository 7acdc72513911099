"""A project stays with its company once it has applications (they name that company too)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from companies import hooks, services
from companies.models import Activity, Project
from tests.companies.factories import project_post
from tests.factories import ApplicationFactory, ProjectFactory


def _patch_company(api, user, project, company):
    return api(user).patch(
        f"/api/v1/projects/{project.pk}/", {"company": company.pk}, format="json"
    )


def test_it_refuses_to_move_a_project_with_applications_through_the_api(api, cast):
    project = ProjectFactory(company=cast.company)
    ApplicationFactory(project=project)
    response = _patch_company(api, cast.consultant, project, cast.other_company)
    assert response.status_code == 400
    assert "applications" in response.json()["company"][0]
    project.refresh_from_db()
    assert project.company == cast.company


def test_a_project_without_applications_may_move_within_the_organisation(api, cast):
    project = ProjectFactory(company=cast.company)
    response = _patch_company(api, cast.consultant, project, cast.other_company)
    assert response.status_code == 200 and response.json()["company"] == cast.other_company.pk
    project.refresh_from_db()
    assert project.company == cast.other_company
    activity = Activity.objects.filter(object_type="project", verb="updated").first()
    assert "company" in activity.data["fields"]


def test_naming_the_same_company_is_not_a_move(api, cast):
    project = ProjectFactory(company=cast.company)
    ApplicationFactory(project=project)
    response = api(cast.consultant).patch(
        f"/api/v1/projects/{project.pk}/",
        {"company": cast.company.pk, "title": "Renamed"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["title"] == "Renamed"


def test_the_service_refuses_the_move_with_a_company_field_error(cast):
    project = ProjectFactory(company=cast.company)
    ApplicationFactory(project=project)
    with pytest.raises(ValidationError) as refused:
        services.project_save(
            actor=cast.consultant, company=cast.other_company, project=project, data={}
        )
    assert "company" in refused.value.message_dict
    assert Project.objects.get(pk=project.pk).company == cast.company


def test_the_project_page_edits_a_project_with_applications_in_place(login, cast):
    project = ProjectFactory(company=cast.company)
    ApplicationFactory(project=project)
    response = login(cast.consultant).post(
        reverse("companies:project_edit", kwargs={"pk": project.pk}),
        project_post([{"amount": "5"}], title="Edited in place"),
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.title == "Edited in place" and project.company == cast.company


def test_a_registered_tie_keeps_a_project_with_its_company(cast):
    project = ProjectFactory(company=cast.company)

    def frozen(obj):
        return obj.pk == project.pk

    hooks.add_company_tie(frozen)
    try:
        with pytest.raises(ValidationError):
            services.project_save(
                actor=cast.consultant, company=cast.other_company, project=project, data={}
            )
    finally:
        hooks._company_ties.remove(frozen)
