"""The applications API exactly as api.md: fields, filters, creation, PATCH, transitions with
their status codes, history; 404 for anything of another organisation or client."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from grants.models import TransitionLog
from tests.factories import ApplicationFactory, CallFactory, ProjectFactory
from tests.grants.workflow.conftest import prepare

FIELDS = {
    "id",
    "reference",
    "project",
    "company",
    "programme",
    "call",
    "state",
    "requested_amount",
    "approved_amount",
    "disbursed_amount",
    "submission_ref",
    "submitted_at",
    "supplement_deadline",
    "deadline",
    "assignee",
    "available_transitions",
    "created_at",
    "updated_at",
}


def test_get_shows_the_contract_fields(cast, make_app, programme, api):
    call = CallFactory(programme=programme, deadline=dt.datetime(2030, 3, 1, 17, 0, tzinfo=dt.UTC))
    application = make_app("preparing", call=call)
    body = api(cast.consultant).get(f"/api/v1/applications/{application.pk}/").json()
    assert set(body) == FIELDS
    assert body["programme"] == "model_voucher_test"
    assert body["requested_amount"] == "500000.00"
    assert body["approved_amount"] is None and body["disbursed_amount"] == "0.00"
    assert body["assignee"] == "carol_consultant"
    assert body["deadline"] == "2030-03-02T01:00:00+08:00"
    assert body["available_transitions"] == ["request_review", "withdraw"]
    assert body["company"] == cast.company.pk and body["project"] == application.project_id


def test_clients_see_their_applications_without_transitions(cast, make_app, api):
    application = make_app("preparing")
    body = api(cast.client_user).get(f"/api/v1/applications/{application.pk}/").json()
    assert body["available_transitions"] == []


@pytest.mark.parametrize("who", ["outsider", "other_client"])
def test_outsiders_get_404_everywhere(cast, make_app, api, who):
    application = make_app("preparing")
    client = api(getattr(cast, who))
    base = f"/api/v1/applications/{application.pk}/"
    assert client.get(base).status_code == 404
    assert client.patch(base, {"assignee": None}, format="json").status_code == 404
    assert (
        client.post(base + "transitions/", {"name": "withdraw", "comment": "x"}).status_code == 404
    )
    assert client.get(base + "history/").status_code == 404
    assert client.get(base + "documents/").status_code == 404
    assert client.get("/api/v1/applications/").json()["count"] == 0


def test_anonymous_callers_get_401(make_app, api):
    application = make_app()
    assert api().get("/api/v1/applications/").status_code == 401
    assert api().get(f"/api/v1/applications/{application.pk}/").status_code == 401


def test_the_list_filters_and_orders(cast, make_app, api, project, programme):
    a = make_app("draft", requested_amount=Decimal("3.00"))
    b = make_app("submitted", requested_amount=Decimal("1.00"))
    other_project = ProjectFactory(company=cast.other_company)
    c = make_app("draft", project=other_project, assignee=cast.admin, requested_amount=Decimal("2"))
    client = api(cast.consultant)

    def refs(query):
        response = client.get(f"/api/v1/applications/?{query}")
        assert response.status_code == 200, response.content
        return [row["reference"] for row in response.json()["results"]]

    assert refs("state=draft&ordering=requested_amount") == [c.reference, a.reference]
    assert refs("state=draft,submitted&ordering=-requested_amount") == [
        a.reference,
        c.reference,
        b.reference,
    ]
    assert refs(f"company={cast.other_company.pk}") == [c.reference]
    assert refs("assignee=alice_admin") == [c.reference]
    assert set(refs("programme=model_voucher_test")) == {a.reference, b.reference, c.reference}
    assert refs("programme=nothing") == []
    assert set(refs("")) == {a.reference, b.reference, c.reference}
    client_refs = [
        r["reference"] for r in api(cast.client_user).get("/api/v1/applications/").json()["results"]
    ]
    assert set(client_refs) == {a.reference, b.reference}


def test_bad_list_parameters_are_a_400_naming_them(cast, api, db):
    response = api(cast.consultant).get("/api/v1/applications/?state=nope&ordering=x&company=a")
    assert response.status_code == 400
    assert set(response.json()) == {"state", "ordering", "company"}


def test_post_creates_a_draft_with_the_estimate(cast, project, programme, api):
    response = api(cast.consultant).post(
        "/api/v1/applications/", {"project": project.pk, "programme": programme.code}, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "draft" and body["requested_amount"] == "600000.00"
    assert body["reference"].startswith("GD-") and body["assignee"] == "carol_consultant"


def test_post_refusals_give_reasons(cast, project, programme, api):
    client = api(cast.consultant)
    data = {"project": project.pk, "programme": programme.code}
    assert client.post("/api/v1/applications/", data, format="json").status_code == 201
    response = client.post("/api/v1/applications/", data, format="json")
    assert response.status_code == 400
    body = response.json()
    assert (
        set(body) == {"detail", "reasons"}
        and "already has a live application" in body["reasons"][0]
    )


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"programme": "nope"}, "programme"),
        ({"requested_amount": "-1"}, "requested_amount"),
        ({"requested_amount": "abc"}, "requested_amount"),
        ({"assignee": "kai_client"}, "assignee"),
        ({"call": 999999}, "call"),
    ],
)
def test_post_bad_fields_are_a_400_naming_the_field(cast, project, programme, api, data, field):
    payload = {"project": project.pk, "programme": programme.code, **data}
    response = api(cast.consultant).post("/api/v1/applications/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()


ASSIGNEE_REFUSAL = {"assignee": ["Choose one of the organisation's consultants or administrators."]}


@pytest.mark.parametrize("username", ["oscar_outsider", "nobody_at_all", "kai_client"])
def test_an_assignee_outside_the_organisations_staff_reads_as_unknown(
    cast, project, programme, make_app, api, username
):
    """Another organisation's consultant, a client and a user who does not exist all get the
    same answer, on creation and on PATCH: the API reveals no usernames."""
    client = api(cast.consultant)
    created = client.post(
        "/api/v1/applications/",
        {"project": project.pk, "programme": programme.code, "assignee": username},
        format="json",
    )
    assert created.status_code == 400
    assert created.json() == ASSIGNEE_REFUSAL
    application = make_app("draft")
    patched = client.patch(
        f"/api/v1/applications/{application.pk}/", {"assignee": username}, format="json"
    )
    assert patched.status_code == 400
    assert patched.json() == ASSIGNEE_REFUSAL
    application.refresh_from_db()
    assert application.assignee == cast.consultant


def test_post_with_another_organisations_project_reads_as_missing(cast, programme, api):
    foreign = ProjectFactory(company=cast.foreign_company)
    response = api(cast.consultant).post(
        "/api/v1/applications/", {"project": foreign.pk, "programme": programme.code}, format="json"
    )
    assert response.status_code == 400
    assert "does not exist" in response.json()["project"][0]


def test_clients_may_not_create(cast, project, programme, api):
    response = api(cast.client_user).post(
        "/api/v1/applications/", {"project": project.pk, "programme": programme.code}, format="json"
    )
    assert response.status_code == 403


def test_patch_changes_fields_but_never_the_state(cast, make_app, api):
    application = make_app("draft")
    client = api(cast.consultant)
    url = f"/api/v1/applications/{application.pk}/"
    response = client.patch(
        url, {"requested_amount": "1000.00", "assignee": "alice_admin"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["requested_amount"] == "1000.00"
    assert response.json()["assignee"] == "alice_admin"
    response = client.patch(url, {"state": "approved"}, format="json")
    assert response.status_code == 400 and "state" in response.json()
    application.refresh_from_db()
    assert application.state == "draft"
    assert api(cast.client_user).patch(url, {"assignee": None}, format="json").status_code == 403


def test_patch_names_every_field_it_cannot_change(cast, make_app, api):
    application = make_app("draft")
    response = api(cast.consultant).patch(
        f"/api/v1/applications/{application.pk}/",
        {
            "requested_amount": "1000.00",
            "approved_amount": "9999999.00",
            "reference": "GD-FAKE",
            "state": "approved",
            "colour": "blue",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "approved_amount": ["This field cannot be changed."],
        "reference": ["This field cannot be changed."],
        "state": ["The state changes only through POST …/transitions/."],
        "colour": ["Unknown field."],
    }
    application.refresh_from_db()
    assert application.requested_amount == Decimal("500000.00")  # nothing applied
    assert application.approved_amount is None and application.reference != "GD-FAKE"


def test_patch_with_changeable_fields_only_still_works(cast, make_app, api):
    application = make_app("draft")
    response = api(cast.consultant).patch(
        f"/api/v1/applications/{application.pk}/",
        {"requested_amount": "1000.00", "call": None, "assignee": "alice_admin"},
        format="json",
    )
    assert response.status_code == 200, response.content


def test_a_transition_answers_200_with_the_application(cast, make_app, api):
    application = make_app("under_review")
    response = api(cast.consultant).post(
        f"/api/v1/applications/{application.pk}/transitions/",
        {"name": "approve", "approved_amount": "450000.00", "comment": "Good news"},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "approved" and body["approved_amount"] == "450000.00"
    assert body["available_transitions"] == ["disburse"]


def test_a_transition_not_available_is_a_409(cast, make_app, api):
    application = make_app("draft")
    response = api(cast.consultant).post(
        f"/api/v1/applications/{application.pk}/transitions/", {"name": "approve"}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "transition_not_allowed" and response.json()["detail"]


def test_a_guard_is_a_400_with_every_reason(cast, make_app, api):
    application = make_app("approved")
    response = api(cast.consultant).post(
        f"/api/v1/applications/{application.pk}/transitions/",
        {"name": "disburse", "amount": "999999.00", "paid_on": "2999-01-01"},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"detail", "reasons"} and len(body["reasons"]) == 2


def test_a_client_transition_is_a_403(cast, make_app, api):
    application = make_app("draft")
    response = api(cast.client_user).post(
        f"/api/v1/applications/{application.pk}/transitions/", {"name": "start"}, format="json"
    )
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.state == "draft"


@pytest.mark.parametrize(
    "data",
    [
        {"name": "fly"},
        {},
        {"name": "approve", "approved_amount": "lots"},
        {"name": "disburse", "paid_on": "x"},
    ],
)
def test_malformed_transition_input_is_a_400_naming_the_field(cast, make_app, api, data):
    application = make_app("under_review")
    response = api(cast.consultant).post(
        f"/api/v1/applications/{application.pk}/transitions/", data, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) & {"name", "approved_amount", "paid_on"}


def test_a_naive_supplement_deadline_is_shanghai_time(cast, make_app, api):
    application = make_app("under_review")
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    response = api(cast.consultant).post(
        f"/api/v1/applications/{application.pk}/transitions/",
        {"name": "request_supplement", "supplement_deadline": f"{future}T17:00:00"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["supplement_deadline"] == f"{future}T17:00:00+08:00"
    assert response.json()["deadline"] == f"{future}T17:00:00+08:00"


def test_history_lists_transitions_oldest_first(cast, make_app, api):
    application = make_app("draft")
    client = api(cast.consultant)
    url = f"/api/v1/applications/{application.pk}/transitions/"
    client.post(url, {"name": "start"}, format="json")
    client.post(url, {"name": "withdraw", "comment": "Client changed plans"}, format="json")
    history = api(cast.client_user).get(f"/api/v1/applications/{application.pk}/history/").json()
    assert [(h["transition"], h["from_state"], h["to_state"], h["by"]) for h in history] == [
        ("start", "draft", "preparing", "carol_consultant"),
        ("withdraw", "preparing", "withdrawn", "carol_consultant"),
    ]
    assert history[1]["comment"] == "Client changed plans"
    assert set(history[0]) == {"transition", "from_state", "to_state", "by", "at", "comment"}
    assert history[0]["at"].endswith("+08:00")


def test_the_whole_workflow_through_the_api(cast, make_app, api):
    application = make_app("draft")
    client = api(cast.consultant)
    url = f"/api/v1/applications/{application.pk}/transitions/"
    steps = [
        "start",
        "request_review",
        "approve_review",
        "submit",
        "start_review",
        "request_supplement",
        "resubmit",
        "approve",
        "disburse",
        "disburse",
        "close",
    ]
    amounts = iter(["100000.00", "350000.00"])
    for name in steps:
        fields = {k: str(v) for k, v in prepare(application, name).items()}
        if name == "disburse":
            fields["amount"] = next(amounts)
        response = client.post(url, {"name": name, **fields}, format="json")
        assert response.status_code == 200, (name, response.content)
    assert response.json()["state"] == "closed"
    assert TransitionLog.objects.filter(application=application).count() == len(steps)


def test_another_organisations_application_id_is_a_404_even_for_admins(cast, api):
    foreign = ApplicationFactory(project=ProjectFactory(company=cast.foreign_company))
    assert api(cast.admin).get(f"/api/v1/applications/{foreign.pk}/").status_code == 404
