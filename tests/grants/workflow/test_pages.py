"""The application pages: list, detail, creation, transitions, uploads, comments, pipeline and
the company panel; clients read-only where they may not act; outsiders get 404."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from grants.models import Application, ApplicationComment, Document, TransitionLog
from grants.views.applications import company_applications_panel
from tests.factories import CallFactory, ProjectFactory
from tests.grants.workflow.conftest import PDF_BYTES, upload_document


def test_the_list_shows_applications_with_deadlines_highlighted(cast, make_app, programme, login):
    soon = CallFactory(programme=programme, deadline=timezone.now() + dt.timedelta(days=2))
    make_app("preparing", call=soon)
    overdue = make_app(
        "supplement_requested",
        project=ProjectFactory(company=cast.company),
        supplement_deadline=timezone.now() - dt.timedelta(hours=2),
    )
    html = login(cast.consultant).get("/applications/").content.decode()
    assert overdue.reference in html
    assert 'data-deadline-status="soon"' in html and 'data-deadline-status="overdue"' in html
    assert "Supplement requested" in html


def test_the_list_filters_and_sorts(cast, make_app, login):
    a = make_app("draft", requested_amount=Decimal("1.00"))
    b = make_app("submitted", project=ProjectFactory(company=cast.other_company))
    client = login(cast.consultant)
    html = client.get("/applications/?state=submitted").content.decode()
    assert b.reference in html and a.reference not in html
    html = client.get(f"/applications/?client={cast.company.pk}&sort=-amount").content.decode()
    assert a.reference in html and b.reference not in html
    assert client.get("/applications/?sort=bogus&page=99").status_code == 200
    assert client.get("/applications/?client=x").status_code == 400  # a field error


def test_the_list_has_an_empty_state(cast, login):
    html = login(cast.consultant).get("/applications/").content.decode()
    assert "No applications yet" in html


def test_clients_see_only_their_company_with_client_labels(cast, make_app, login):
    mine = make_app("internal_review")
    theirs = make_app("draft", project=ProjectFactory(company=cast.other_company))
    html = login(cast.client_user).get("/applications/").content.decode()
    assert mine.reference in html and theirs.reference not in html
    assert "Being checked" in html and "Internal review" not in html


def test_the_detail_page_shows_everything_a_consultant_needs(cast, make_app, login):
    application = make_app("approved")
    upload_document(application, "licence", cast.client_user)
    ApplicationComment.objects.create(application=application, author=cast.client_user, body="Hi")
    html = login(cast.consultant).get(f"/applications/{application.pk}/").content.decode()
    assert "Approved" in html and "¥500,000.00" in html and "¥400,000.00" in html
    assert "Record a payment" in html  # the available transition as a button
    assert f"/applications/{application.pk}/transitions/disburse/" in html
    assert "Uploaded, version 1" in html and "Missing" in html
    assert "Hi" in html and "No payment recorded yet." in html


def test_the_detail_page_renders_the_application_panels(cast, make_app, login):
    from core import panels

    def panel(request, obj):
        return f"<p>panel for {obj.reference}</p>"

    panels.add("application", panel)
    try:
        application = make_app()
        html = login(cast.consultant).get(f"/applications/{application.pk}/").content.decode()
        assert f"panel for {application.reference}" in html
    finally:
        panels.remove("application", panel)


def test_clients_see_the_page_read_only_but_may_upload_and_comment(cast, make_app, login):
    application = make_app("internal_review")
    html = login(cast.client_user).get(f"/applications/{application.pk}/").content.decode()
    assert "Being checked" in html
    assert "/transitions/" not in html
    assert 'name="file"' in html and 'data-testid="comment-form"' in html


@pytest.mark.parametrize("who", ["outsider", "other_client"])
def test_outsiders_get_404_on_every_page(cast, make_app, login, who):
    application = make_app("preparing")
    client = login(getattr(cast, who))
    base = f"/applications/{application.pk}/"
    assert client.get(base).status_code == 404
    assert client.get(base + "transitions/withdraw/").status_code == 404
    assert client.post(base + "transitions/withdraw/", {"comment": "x"}).status_code == 404
    assert client.post(base + "documents/", {"slot": "licence"}).status_code == 404
    assert client.post(base + "comments/", {"body": "x"}).status_code == 404
    project, programme = application.project, application.programme
    url = f"/applications/new/?project={project.pk}&programme={programme.code}"
    assert client.get(url).status_code == 404
    application.refresh_from_db()
    assert application.state == "preparing"


def test_a_transition_form_and_its_post(cast, make_app, login):
    application = make_app("preparing")
    client = login(cast.consultant)
    url = f"/applications/{application.pk}/transitions/withdraw/"
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'name="comment"' in fragment and "<html" not in fragment
    response = client.post(url, {"comment": ""})
    assert response.status_code == 400
    assert "A comment is required for this step." in response.content.decode()
    response = client.post(url, {"comment": "Client stopped the project"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == "withdrawn"


def test_an_htmx_transition_redirects_with_a_header(cast, make_app, login):
    application = make_app("draft")
    response = login(cast.consultant).post(
        f"/applications/{application.pk}/transitions/start/", {}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == f"/applications/{application.pk}/"


def test_guard_reasons_show_beside_the_fields(cast, make_app, login):
    application = make_app("approved")
    response = login(cast.consultant).post(
        f"/applications/{application.pk}/transitions/disburse/",
        {"amount": "999999", "paid_on": "2020-01-01"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "would bring the total received" in html and "invalid-feedback" in html


def test_a_transition_not_available_is_a_409_page(cast, make_app, login):
    application = make_app("draft")
    client = login(cast.consultant)
    assert client.get(f"/applications/{application.pk}/transitions/approve/").status_code == 409
    response = client.post(
        f"/applications/{application.pk}/transitions/approve/", {"approved_amount": "5"}
    )
    assert response.status_code == 409
    assert client.get(f"/applications/{application.pk}/transitions/fly/").status_code == 404


def test_clients_get_403_on_transition_pages(cast, make_app, login):
    application = make_app("draft")
    client = login(cast.client_user)
    assert client.get(f"/applications/{application.pk}/transitions/start/").status_code == 403
    assert client.post(f"/applications/{application.pk}/transitions/start/").status_code == 403
    application.refresh_from_db()
    assert application.state == "draft"


def test_uploading_from_the_page(cast, make_app, login):
    application = make_app("preparing")
    client = login(cast.client_user)
    url = f"/applications/{application.pk}/documents/"
    response = client.post(url, {"slot": "licence", "file": SimpleUploadedFile("l.pdf", PDF_BYTES)})
    assert response.status_code == 302
    assert Document.objects.get().uploaded_by == cast.client_user
    bad = client.post(url, {"slot": "licence", "file": SimpleUploadedFile("x.pdf", b"MZ..")})
    assert bad.status_code == 400 and "Only PDF, PNG, JPEG" in bad.content.decode()
    fragment = client.post(
        url,
        {"slot": "contract", "file": SimpleUploadedFile("c.pdf", PDF_BYTES)},
        HTTP_HX_REQUEST="true",
    )
    assert fragment.status_code == 200 and 'id="checklist"' in fragment.content.decode()
    assert Document.objects.count() == 2


def test_commenting_from_the_page(cast, make_app, login):
    application = make_app("preparing")
    client = login(cast.client_user)
    response = client.post(f"/applications/{application.pk}/comments/", {"body": "When?"})
    assert response.status_code == 302
    assert ApplicationComment.objects.get().author == cast.client_user
    empty = client.post(f"/applications/{application.pk}/comments/", {"body": "  "})
    assert empty.status_code == 400


def test_the_create_page_defaults_and_creates(cast, project, programme, login):
    call = CallFactory(programme=programme)
    client = login(cast.consultant)
    url = f"/applications/new/?project={project.pk}&programme={programme.code}"
    html = client.get(url).content.decode()
    assert 'value="600000.00"' in html and call.title in html
    assert "kai_client" not in html  # clients are not assignable
    response = client.post(
        url, {"requested_amount": "500000", "call": call.pk, "assignee": cast.admin.pk}
    )
    assert response.status_code == 302
    application = Application.objects.get()
    assert (application.requested_amount, application.assignee) == (Decimal("500000"), cast.admin)
    again = client.post(url, {"requested_amount": "1"})
    assert again.status_code == 400
    assert "already has a live application" in again.content.decode()


def test_the_create_page_is_for_staff_only(cast, project, programme, login):
    url = f"/applications/new/?project={project.pk}&programme={programme.code}"
    assert login(cast.client_user).get(url).status_code == 403
    assert login(cast.consultant).get("/applications/new/?project=x").status_code == 404


def test_the_pipeline_board(cast, make_app, login):
    make_app("draft", requested_amount=Decimal("100.00"))
    make_app(
        "draft",
        requested_amount=Decimal("50.00"),
        project=ProjectFactory(company=cast.other_company),
    )
    card = make_app("under_review")
    html = login(cast.consultant).get("/pipeline/").content.decode()
    assert "¥150.00" in html and card.reference in html
    assert f"/applications/{card.pk}/transitions/approve/" in html
    filtered = login(cast.consultant).get(f"/pipeline/?client={cast.other_company.pk}")
    assert card.reference not in filtered.content.decode()


def test_the_pipeline_caps_the_cards_per_column(cast, make_app, login):
    from grants.workflow import selectors

    for _ in range(selectors.CARDS_PER_COLUMN + 3):
        make_app("draft", project=ProjectFactory(company=cast.company))
    html = login(cast.consultant).get("/pipeline/").content.decode()
    assert "Show 3 more" in html
    assert html.count('class="card gd-card') == selectors.CARDS_PER_COLUMN


def test_the_pipeline_is_not_for_clients(cast, login):
    assert login(cast.client_user).get("/pipeline/").status_code == 403


def test_the_company_panel_lists_its_applications(cast, make_app, rf):
    application = make_app("draft")
    make_app("draft", project=ProjectFactory(company=cast.other_company))
    request = rf.get("/")
    request.user = cast.consultant
    html = company_applications_panel(request, cast.company)
    assert application.reference in html and html.count("/applications/") >= 1
    request.user = cast.outsider
    assert application.reference not in company_applications_panel(request, cast.company)


def test_the_navigation_shows_applications_and_pipeline(cast, login):
    html = login(cast.consultant).get("/").content.decode()
    assert 'href="/applications/"' in html and 'href="/pipeline/"' in html
    client_html = login(cast.client_user).get("/").content.decode()
    assert 'href="/applications/"' in client_html and 'href="/pipeline/"' not in client_html


def test_pages_and_transitions_leave_a_log(cast, make_app, login):
    application = make_app("draft")
    login(cast.admin).post(f"/applications/{application.pk}/transitions/start/", {"comment": "go"})
    log = TransitionLog.objects.get()
    assert (log.actor, log.comment) == (cast.admin, "go")


def test_outsiders_lists_and_board_never_show_another_organisation(cast, make_app, login):
    application = make_app("draft")
    client = login(cast.outsider)
    for url in ("/applications/", "/pipeline/", f"/applications/?client={cast.company.pk}"):
        response = client.get(url)
        assert response.status_code == 200
        assert application.reference not in response.content.decode()


def test_the_admin_shows_applications_read_only(cast, make_app, admin_client):
    application = make_app("draft")
    base = f"/admin/grants/application/{application.pk}/"
    page = admin_client.get(base + "change/")
    assert page.status_code == 200 and 'name="state"' not in page.content.decode()
    admin_client.post(base + "change/", {"state": "approved", "requested_amount": "1"})
    assert admin_client.get(base + "delete/").status_code == 403
    assert admin_client.get("/admin/grants/application/add/").status_code == 403
    application.refresh_from_db()
    assert (application.state, application.requested_amount) == ("draft", Decimal("500000.00"))
