"""Ids and row numbers taken from requests: digit-like text ("²", "١") is a 400 or ignored."""

from __future__ import annotations

import pytest
from django.urls import reverse

from companies.models import Project
from tests.companies.factories import company_post, project_post
from tests.factories import ProjectFactory

DIGIT_LIKE = ["²", "١٢", "-1", "0", "1e3", "99999999999999999999"]


@pytest.mark.parametrize("value", DIGIT_LIKE)
def test_it_refuses_a_digit_like_company_filter_with_a_400_naming_company(api, cast, value):
    ProjectFactory(company=cast.company)
    response = api(cast.consultant).get("/api/v1/projects/", {"company": value})
    assert response.status_code == 400
    assert "company" in response.json()


def test_a_plain_company_filter_still_filters(api, cast):
    mine = ProjectFactory(company=cast.company)
    ProjectFactory(company=cast.other_company)
    response = api(cast.consultant).get("/api/v1/projects/", {"company": str(cast.company.pk)})
    assert [row["id"] for row in response.json()["results"]] == [mine.pk]


@pytest.mark.parametrize("value", ["²", "١", "-1", "99999999999999999999", ""])
def test_it_ignores_a_digit_like_contact_row_action(login, cast, value):
    data = company_post(
        **{
            "contacts-TOTAL_FORMS": "2",
            "contacts-0-name": "Ann",
            "contacts-1-name": "Bo",
            "formset_action": f"contacts:up:{value}",
        }
    )
    response = login(cast.consultant).post(reverse("companies:create"), data)
    assert response.status_code == 200
    assert [f.initial["name"] for f in response.context["contacts"].initial_forms] == ["Ann", "Bo"]


@pytest.mark.parametrize("value", ["²", "١", "99999999999999999999"])
def test_it_ignores_digit_like_row_numbers_and_totals(login, cast, value):
    lines = [{"amount": "1", "supplier": "A"}, {"amount": "2", "supplier": "B", "ORDER": value}]
    data = project_post(lines, formset_action=f"costs:down:{value}")
    response = login(cast.consultant).post(
        reverse("companies:project_create", kwargs={"company_pk": cast.company.pk}), data
    )
    assert response.status_code == 200
    assert [f.initial["supplier"] for f in response.context["costs"].initial_forms] == ["A", "B"]
    data["costs-TOTAL_FORMS"] = value
    response = login(cast.consultant).post(
        reverse("companies:project_create", kwargs={"company_pk": cast.company.pk}), data
    )
    assert response.status_code in (200, 302)
    assert not Project.objects.exists()


@pytest.mark.parametrize("value", ["²", "١", "-1", "99999999999999999999"])
def test_digit_like_ids_in_api_paths_are_404(api, cast, value):
    client = api(cast.consultant)
    for kind in ("companies", "projects"):
        assert client.get(f"/api/v1/{kind}/{value}/").status_code == 404


@pytest.mark.parametrize("value", ["²", "99999999999999999999"])
def test_a_digit_like_company_in_the_api_body_or_member_forms_is_a_field_error(
    api, login, cast, value
):
    response = api(cast.consultant).post(
        "/api/v1/projects/", {"company": value, "title": "X"}, format="json"
    )
    assert response.status_code == 400 and "company" in response.json()
    response = login(cast.admin).post(
        reverse("companies:members"),
        {"email": "new@example.com", "role": "client", "company": value},
    )
    assert response.status_code == 200 and "company" in response.context["form"].errors
