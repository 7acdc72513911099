"""Values taken from requests (ids, `next`) are parsed, never trusted: a strange value is a
field error, a 400 or a 404, never a 500."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from grants.models import Document
from tests.grants.workflow.conftest import PDF_BYTES

# `str.isdigit()` accepts these; `int()` refuses them or the database cannot hold them.
NOT_IDS = ["²", "١٢", "0", "-1", "1.5", "99999999999999999999999"]


@pytest.mark.parametrize("value", NOT_IDS)
def test_the_api_refuses_a_company_filter_that_is_not_an_id(cast, make_app, api, value):
    make_app("draft")
    response = api(cast.consultant).get("/api/v1/applications/", {"company": value})
    assert response.status_code == 400
    assert response.json() == {"company": ["Give a company id."]}


def test_the_api_company_filter_still_filters(cast, make_app, api):
    application = make_app("draft")
    client = api(cast.consultant)
    found = client.get("/api/v1/applications/", {"company": cast.company.pk}).json()
    assert [row["id"] for row in found["results"]] == [application.pk]
    other = client.get("/api/v1/applications/", {"company": cast.foreign_company.pk}).json()
    assert other["count"] == 0


@pytest.mark.parametrize("url", ["/applications/", "/pipeline/"])
@pytest.mark.parametrize("value", NOT_IDS)
def test_the_pages_answer_a_client_filter_that_is_not_an_id_with_a_field_error(
    cast, make_app, login, url, value
):
    application = make_app("draft")
    response = login(cast.consultant).get(url, {"client": value})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose a client from the list." in html
    assert application.reference not in html


@pytest.mark.parametrize("url", ["/applications/", "/pipeline/"])
def test_the_pages_filter_by_a_valid_client(cast, make_app, login, url):
    application = make_app("draft")
    client = login(cast.consultant)
    mine = client.get(url, {"client": cast.company.pk})
    assert mine.status_code == 200 and application.reference in mine.content.decode()
    other = client.get(url, {"client": cast.other_company.pk})
    assert other.status_code == 200 and application.reference not in other.content.decode()


@pytest.mark.parametrize("value", NOT_IDS)
def test_the_create_page_answers_a_project_that_is_not_an_id_with_a_404(
    cast, programme, login, value
):
    response = login(cast.consultant).get(
        "/applications/new/", {"project": value, "programme": programme.code}
    )
    assert response.status_code == 404


@pytest.mark.parametrize("target", ["²", "home", "grants:application_list", "//evil.example/x"])
def test_a_transition_ignores_a_next_that_is_not_a_path_on_this_site(cast, make_app, login, target):
    application = make_app("draft")
    response = login(cast.consultant).post(
        f"/applications/{application.pk}/transitions/start/?next={target}"
    )
    assert response.status_code == 302
    assert response["Location"] == f"/applications/{application.pk}/"
    application.refresh_from_db()
    assert application.state == "preparing"


def test_a_transition_goes_back_to_a_next_on_this_site(cast, make_app, login):
    application = make_app("draft")
    response = login(cast.consultant).post(
        f"/applications/{application.pk}/transitions/start/?next=/pipeline/%3Fclient%3D1"
    )
    assert response.status_code == 302 and response["Location"] == "/pipeline/?client=1"


@pytest.mark.parametrize("target", ["²", "home", "https://evil.example/"])
def test_an_upload_ignores_a_next_that_is_not_a_path_on_this_site(cast, make_app, login, target):
    application = make_app("preparing")
    response = login(cast.client_user).post(
        f"/applications/{application.pk}/documents/",
        {"slot": "licence", "file": SimpleUploadedFile("l.pdf", PDF_BYTES), "next": target},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/applications/{application.pk}/#checklist"
    assert Document.objects.count() == 1


def test_an_upload_goes_back_to_a_next_on_this_site(cast, make_app, login):
    application = make_app("preparing")
    response = login(cast.client_user).post(
        f"/applications/{application.pk}/documents/",
        {"slot": "licence", "file": SimpleUploadedFile("l.pdf", PDF_BYTES), "next": "/"},
    )
    assert response.status_code == 302 and response["Location"] == "/"
