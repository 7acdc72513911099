"""The dossier API, exactly as api.md says."""

from __future__ import annotations

import pytest
from django.utils import timezone

from grants.dossiers import services
from grants.models import Dossier
from tests.factories import ApplicationFactory, ProjectFactory
from tests.grants.dossiers.factories import DossierFactory


@pytest.fixture
def no_enqueue(monkeypatch):
    sent: list[int] = []
    monkeypatch.setattr(services, "_enqueue", sent.append)
    return sent


def url(application) -> str:
    return f"/api/v1/applications/{application.pk}/dossier/"


def test_post_returns_202_with_id_and_status(
    api, application, cast, no_enqueue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api(cast.consultant).post(url(application))
    assert response.status_code == 202
    dossier = Dossier.objects.get()
    assert response.json() == {"id": dossier.pk, "status": "pending"}
    assert no_enqueue == [dossier.pk]


def test_admins_may_generate_too(api, application, cast, no_enqueue):
    assert api(cast.admin).post(url(application)).status_code == 202


def test_a_client_may_not_generate(api, application, cast, no_enqueue):
    response = api(cast.client_user).post(url(application))
    assert response.status_code == 403
    assert not Dossier.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "other_client"])
def test_others_get_404(api, application, cast, no_enqueue, who):
    user = getattr(cast, who)
    assert api(user).post(url(application)).status_code == 404
    assert api(user).get(url(application)).status_code == 404
    dossier = DossierFactory(application=application, ready=True)
    assert api(user).get(f"/api/v1/dossiers/{dossier.pk}/pdf/").status_code == 404
    assert Dossier.objects.count() == 1


def test_credentials_are_required(api, application):
    assert api().get(url(application)).status_code == 401
    assert api().post(url(application)).status_code == 401


def test_get_returns_404_when_there_is_no_dossier(api, application, cast):
    assert api(cast.consultant).get(url(application)).status_code == 404


def test_get_returns_the_latest_dossier(api, application, cast):
    DossierFactory(
        application=application, ready=True, requested_at=timezone.now().replace(year=2025)
    )
    latest = DossierFactory(application=application, ready=True)
    response = api(cast.client_user).get(url(application))
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "id",
        "status",
        "sha256",
        "pages",
        "size",
        "generated_at",
        "is_copy_of_record",
        "download_url",
    }
    assert body["id"] == latest.pk
    assert body["status"] == "ready"
    assert body["sha256"] == latest.sha256
    assert body["is_copy_of_record"] is False
    assert body["generated_at"].endswith("+08:00")
    assert body["download_url"] == f"http://testserver/api/v1/dossiers/{latest.pk}/pdf/"


def test_a_pending_dossier_has_no_download_url(api, application, cast):
    DossierFactory(application=application)
    body = api(cast.consultant).get(url(application)).json()
    assert body["status"] == "pending"
    assert body["download_url"] is None


def test_clients_of_the_company_download_the_pdf(api, application, cast):
    dossier = DossierFactory(application=application, ready=True)
    response = api(cast.client_user).get(
        f"/api/v1/dossiers/{dossier.pk}/pdf/", HTTP_ACCEPT="application/pdf"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_a_dossier_not_ready_cannot_be_downloaded(api, application, cast):
    dossier = DossierFactory(application=application)
    assert api(cast.consultant).get(f"/api/v1/dossiers/{dossier.pk}/pdf/").status_code == 404


def test_there_is_no_way_to_delete_a_dossier_through_the_api(api, application, cast):
    copy = DossierFactory(application=application, ready=True, is_copy_of_record=True)
    client = api(cast.admin)
    assert client.delete(url(application)).status_code == 405
    assert client.delete(f"/api/v1/dossiers/{copy.pk}/pdf/").status_code == 405
    assert client.delete(f"/api/v1/dossiers/{copy.pk}/").status_code == 404
    assert client.put(url(application), {}).status_code == 405
    assert Dossier.objects.filter(pk=copy.pk).exists()


def test_the_schema_documents_the_dossier_routes(client, db):
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/applications/{id}/dossier/" in schema
    assert "/api/v1/dossiers/{id}/pdf/" in schema


@pytest.mark.parametrize("rows", [1, 12])
def test_latest_takes_a_constant_number_of_queries(
    api, application, cast, rows, django_assert_max_num_queries
):
    for _ in range(rows):
        DossierFactory(application=application, ready=True)
    client = api(cast.consultant)
    with django_assert_max_num_queries(6):
        assert client.get(url(application)).status_code == 200


def test_a_client_sees_only_its_company(api, cast):
    other = ApplicationFactory(project=ProjectFactory(company=cast.other_company))
    DossierFactory(application=other, ready=True)
    assert api(cast.client_user).get(url(other)).status_code == 404
    assert api(cast.other_client).get(url(other)).status_code == 200
