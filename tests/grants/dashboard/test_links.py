"""Links and forms toward other areas' pages: drawn when those pages exist, left out when not."""

from __future__ import annotations

import pytest
from django.urls import reverse

from grants.views.dashboard import potential_support_panel
from tests.factories import DocumentSlotFactory, ProgrammeFactory
from tests.grants.dashboard.conftest import at, make_application

WITH_OTHER_AREAS = pytest.mark.urls("tests.grants.dashboard.urls_with_other_areas")


@WITH_OTHER_AREAS
def test_the_pipeline_links_each_state_to_the_filtered_list(login, cast, funding):
    html = login(cast.consultant).get("/").content.decode()
    assert f'href="{reverse("grants:application_list")}?state=funded"' in html
    assert f'href="{reverse("grants:application_list")}?state=closed"' not in html  # none there


@WITH_OTHER_AREAS
def test_references_link_to_the_application(login, cast, funding):
    html = login(cast.consultant).get("/reports/applications/").content.decode()
    detail = reverse("grants:application_detail", args=[funding.funded.pk])
    assert f'<a href="{detail}">{funding.funded.reference}</a>' in html


@pytest.fixture
def needs(cast):
    programme = ProgrammeFactory(code="corpus_voucher", name_en="Corpus voucher", name_zh="语料券")
    DocumentSlotFactory(programme=programme, code="licence", name_en="Business licence")
    DocumentSlotFactory(programme=programme, code="audit", name_en="Audit report", required=False)
    preparing = make_application(cast.company, programme, "preparing", "1000.00")
    supplement = make_application(
        cast.company,
        programme,
        "supplement_requested",
        "1000.00",
        supplement_deadline=at(2030, 1, 1),
    )
    return preparing, supplement


@WITH_OTHER_AREAS
def test_a_client_uploads_a_missing_document_right_from_the_home(login, cast, needs):
    preparing, supplement = needs
    html = login(cast.client_user).get("/").content.decode()
    panel = html.split('data-panel="client-needs"')[1].split('data-panel="client-applications"')[0]
    action = reverse("grants:document_upload", args=[preparing.pk])
    assert f'action="{action}" enctype="multipart/form-data"' in panel
    assert 'name="slot" value="licence"' in panel
    assert 'type="file" name="file"' in panel
    assert 'name="csrfmiddlewaretoken"' in panel
    # The supplement: any slot of the checklist may be sent again.
    supplement_form = panel.split(f'data-application="{supplement.reference}"')[1]
    assert '<option value="audit">Audit report</option>' in supplement_form


def test_another_clients_needs_stay_hidden(login, cast, needs):
    html = login(cast.other_client).get("/").content.decode()
    assert 'data-panel="client-needs"' not in html
    assert needs[0].reference not in html


@WITH_OTHER_AREAS
def test_the_potential_support_panel_links_to_the_opportunities(login, cast, rf):
    request = rf.get("/")
    request.user = cast.consultant
    html = potential_support_panel(request)
    assert f'href="{reverse("grants:opportunities")}"' in html
    request.user = cast.client_user
    assert potential_support_panel(request) == ""


def test_the_potential_support_panel_hides_without_opportunities(cast, rf):
    request = rf.get("/")
    request.user = cast.consultant
    try:
        reverse("grants:opportunities")
    except Exception:
        assert potential_support_panel(request) == ""
    else:
        assert potential_support_panel(request) != ""


def test_the_potential_support_panel_shows_the_opportunities_total(cast, rf):
    from decimal import Decimal

    from tests.factories import CostLineFactory, ProgrammeFactory, ProjectFactory

    ProgrammeFactory(code="rd_award", basis="rd_investment", ratio=Decimal("0.30"), cap=None)
    project = ProjectFactory(company=cast.company)
    CostLineFactory(project=project, kind="rd_investment", amount=Decimal("1000000.00"))
    request = rf.get("/")
    request.user = cast.consultant
    html = potential_support_panel(request)
    assert "¥300,000.00" in html


def test_an_upload_from_the_home_page_returns_to_it(login, cast, needs):
    from django.core.files.uploadedfile import SimpleUploadedFile

    preparing, _ = needs
    pdf = SimpleUploadedFile("licence.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    response = login(cast.client_user).post(
        reverse("grants:document_upload", args=[preparing.pk]),
        {"slot": "licence", "file": pdf, "next": "/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert preparing.documents.count() == 1


def test_an_upload_ignores_a_next_on_another_host(login, cast, needs):
    from django.core.files.uploadedfile import SimpleUploadedFile

    preparing, _ = needs
    pdf = SimpleUploadedFile("licence.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    response = login(cast.client_user).post(
        reverse("grants:document_upload", args=[preparing.pk]),
        {"slot": "licence", "file": pdf, "next": "https://evil.example/"},
    )
    assert response["Location"].endswith("#checklist")
