"""The dossier panel, its page and fragment, generate and download (pages)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core import panels
from grants.dossiers import services
from grants.models import Dossier
from tests.grants.dossiers.factories import DossierFactory


@pytest.fixture
def no_enqueue(monkeypatch):
    sent: list[int] = []
    monkeypatch.setattr(services, "_enqueue", sent.append)
    return sent


def page_url(application) -> str:
    return reverse("grants:dossier_page", args=[application.pk])


def panel_url(application) -> str:
    return reverse("grants:dossier_panel", args=[application.pk])


def generate_url(application) -> str:
    return reverse("grants:dossier_generate", args=[application.pk])


def test_the_panel_is_registered_on_the_application_page(application, cast, rf):
    request = rf.get("/")
    request.user = cast.consultant
    html = "".join(panels.render("application", request, application))
    assert 'id="dossier-panel"' in html
    assert generate_url(application) in html


def test_a_consultant_sees_the_generate_button_and_the_empty_state(login, application, cast):
    response = login(cast.consultant).get(page_url(application))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="dossier-generate"' in html
    assert "No dossier has been generated yet." in html
    assert "hx-trigger" not in html  # nothing to poll


def test_generating_with_htmx_returns_the_polling_panel(login, application, cast, no_enqueue):
    response = login(cast.consultant).post(generate_url(application), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    dossier = Dossier.objects.get()
    assert dossier.requested_by == cast.consultant
    assert 'hx-trigger="every 1500ms"' in html
    assert f'hx-get="{panel_url(application)}"' in html
    assert 'data-testid="dossier-progress"' in html
    assert "Waiting for a worker" in html
    assert 'data-testid="dossier-generate"' not in html


def test_generating_without_htmx_redirects(login, application, cast, no_enqueue):
    response = login(cast.consultant).post(generate_url(application))
    assert response.status_code == 302
    assert Dossier.objects.count() == 1


def test_the_fragment_stops_polling_once_ready(login, application, cast):
    dossier = DossierFactory(application=application, ready=True)
    html = login(cast.consultant).get(panel_url(application)).content.decode()
    assert "hx-trigger" not in html
    assert reverse("grants:dossier_download", args=[dossier.pk]) in html
    assert "Current" in html


def test_the_progress_shows_the_step(login, application, cast):
    DossierFactory(application=application, step=Dossier.Step.RENDERING)
    html = login(cast.consultant).get(panel_url(application)).content.decode()
    assert "Laying out the pages" in html
    assert 'aria-valuenow="50"' in html


def test_a_failure_shows_its_reason_and_a_retry(login, application, cast, no_enqueue):
    DossierFactory(application=application, status="failed", error="failed: ValueError: bad")
    client = login(cast.consultant)
    html = client.get(panel_url(application)).content.decode()
    assert "The PDF could not be generated. ValueError: bad" in html
    assert 'data-testid="dossier-retry"' in html
    client.post(generate_url(application), HTTP_HX_REQUEST="true")
    assert Dossier.objects.filter(status="pending").count() == 1


def test_a_stalled_generation_is_shown_as_failed(login, application, cast):
    DossierFactory(application=application, requested_at=timezone.now() - dt.timedelta(hours=2))
    html = login(cast.consultant).get(panel_url(application)).content.decode()
    assert "hx-trigger" not in html
    assert "did not finish" in html


def test_a_stale_dossier_is_labelled(login, application, cast):
    DossierFactory(
        application=application, ready=True, generated_at=timezone.now() - dt.timedelta(days=1)
    )
    application.project.save()
    html = login(cast.consultant).get(panel_url(application)).content.decode()
    assert "Out of date" in html


def test_the_copy_of_record_is_marked(login, application, cast):
    DossierFactory(
        application=application, ready=True, is_copy_of_record=True, frozen_at=timezone.now()
    )
    html = login(cast.client_user).get(panel_url(application)).content.decode()
    assert 'data-testid="copy-of-record"' in html


def test_the_panel_is_in_chinese_for_a_chinese_reader(login, application, cast):
    cast.consultant.language = "zh-hans"
    cast.consultant.save()
    html = login(cast.consultant).get(page_url(application)).content.decode()
    assert "生成申报材料包" in html


def test_a_client_downloads_but_does_not_generate(login, application, cast, no_enqueue):
    ready = DossierFactory(application=application, ready=True)
    DossierFactory(application=application, status="failed", error="timeout")
    client = login(cast.client_user)
    html = client.get(page_url(application)).content.decode()
    assert 'data-testid="dossier-generate"' not in html
    assert 'data-testid="dossier-retry"' not in html
    assert "took too long" not in html
    response = client.get(reverse("grants:dossier_download", args=[ready.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert client.post(generate_url(application)).status_code == 403
    assert Dossier.objects.count() == 2


@pytest.mark.parametrize("who", ["outsider", "other_client"])
def test_others_get_404_everywhere(login, application, cast, no_enqueue, who):
    dossier = DossierFactory(application=application, ready=True)
    client = login(getattr(cast, who))
    assert client.get(page_url(application)).status_code == 404
    assert client.get(panel_url(application)).status_code == 404
    assert client.post(generate_url(application)).status_code == 404
    assert client.get(reverse("grants:dossier_download", args=[dossier.pk])).status_code == 404
    assert Dossier.objects.count() == 1


def test_anonymous_visitors_are_sent_to_sign_in(client, application):
    response = client.get(page_url(application))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_dossier_not_ready_is_not_downloadable(login, application, cast):
    dossier = DossierFactory(application=application)
    assert (
        login(cast.consultant)
        .get(reverse("grants:dossier_download", args=[dossier.pk]))
        .status_code
        == 404
    )


def test_there_is_no_page_that_deletes_a_dossier(login, application, cast):
    copy = DossierFactory(application=application, ready=True, is_copy_of_record=True)
    client = login(cast.admin)
    download = reverse("grants:dossier_download", args=[copy.pk])
    assert client.post(download).status_code == 405
    assert client.delete(download).status_code == 405
    assert client.delete(page_url(application)).status_code == 405
    assert Dossier.objects.filter(pk=copy.pk).exists()


def test_dossiers_are_never_served_from_a_media_url(login, application, cast):
    dossier = DossierFactory(application=application, ready=True)
    client = login(cast.consultant)
    assert client.get(dossier.file.url).status_code == 404
    assert dossier.file.url not in client.get(page_url(application)).content.decode()


@pytest.mark.parametrize("rows", [1, 15])
def test_the_panel_takes_a_constant_number_of_queries(
    login, application, cast, rows, django_assert_max_num_queries
):
    for _ in range(rows):
        DossierFactory(application=application, ready=True)
    client = login(cast.consultant)
    with django_assert_max_num_queries(9):
        assert client.get(panel_url(application)).status_code == 200
