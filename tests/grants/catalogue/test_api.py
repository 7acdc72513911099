"""The catalogue API (api.md, "Catalogue"): reads for anyone signed in, writes for is_staff."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.admin.models import LogEntry
from django.utils import timezone

from grants.models import Call, Programme
from tests.factories import ApplicationFactory, CallFactory, UserFactory

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def staff(cast):
    user = cast.consultant
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def new_programme(**overrides) -> dict:
    body = {
        "code": "city_ai_grant",
        "name_en": "City AI grant",
        "name_zh": "城市人工智能资助",
        "policy": "sh-ai-applications",
        "basis": "model_service",
        "ratio": "0.25",
        "cap": "100000.00",
        "max_months": None,
        "areas": ["healthcare"],
        "exclude_related_party": True,
        "requires_shanghai_registration": True,
        "allowed_tax_ratings": ["A", "B"],
        "min_company_age_years": 2,
        "min_basis_amount": "10000.00",
        "document_slots": [
            {"code": "business_licence", "name_en": "Business licence", "name_zh": "营业执照"},
            {"code": "contract", "name_en": "Contract", "required": False},
        ],
    }
    return {**body, **overrides}


# --- reads ------------------------------------------------------------------------------------


def test_policies_are_listed_with_the_contract_fields(api, cast, seeded):
    response = api(cast.client_user).get("/api/v1/policies/?page_size=200")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 20
    tiers = [p["tier"] for p in body["results"]]
    assert tiers == sorted(tiers, key=["national", "top_level", "vertical", "call_notice"].index)
    national = next(p for p in body["results"] if p["code"] == "cn-ai-plus-2025")
    assert set(national) == {
        "id",
        "code",
        "title_en",
        "title_zh",
        "tier",
        "issuer",
        "doc_number",
        "issued_on",
    }
    assert national["issued_on"] == "2025-08-21"
    assert national["tier"] == "national"
    unknown = next(p for p in body["results"] if p["code"] == "sh-hr-services-ai")
    assert unknown["issued_on"] is None and unknown["doc_number"] == ""


def test_policies_filter_by_tier_and_refuse_an_unknown_tier(api, cast, seeded):
    assert api(cast.client_user).get("/api/v1/policies/?tier=vertical").json()["count"] == 11
    response = api(cast.client_user).get("/api/v1/policies/?tier=federal")
    assert response.status_code == 400
    assert "tier" in response.json()


def test_areas_are_listed(api, cast, seeded):
    body = api(cast.outsider).get("/api/v1/areas/").json()
    assert body["count"] == 12
    assert body["results"][0] == {
        "code": "large_models",
        "name_en": "Large-model stack",
        "name_zh": "大模型",
        "group": "foundation",
    }


def test_programmes_read_as_the_contract_says(api, cast, seeded):
    response = api(cast.client_user).get("/api/v1/programmes/compute_lease/")
    assert response.status_code == 200
    body = response.json()
    assert body["ratio"] == "1.00"
    assert body["cap"] is None
    assert body["max_months"] == 12
    assert body["policy"] == "sh-ai-applications"
    assert body["areas"] == []
    assert body["allowed_tax_ratings"] == ["A", "B", "M"]
    assert [s["code"] for s in body["document_slots"]] == [
        "business_licence",
        "credit_commitment",
        "contract",
        "invoices",
        "payment_proof",
    ]
    critical = api(cast.client_user).get("/api/v1/programmes/critical_tech/").json()
    assert (critical["ratio"], critical["cap"]) == ("0.30", "50000000.00")


def test_the_programme_list_has_constant_queries(api, cast, seeded, django_assert_max_num_queries):
    client = api(cast.client_user)
    client.get("/api/v1/programmes/")
    with django_assert_max_num_queries(8):
        body = client.get("/api/v1/programmes/").json()
    assert body["count"] == 8


def test_an_unknown_programme_is_404(api, cast, seeded):
    assert api(cast.client_user).get("/api/v1/programmes/nope/").status_code == 404


def test_the_catalogue_needs_credentials(api, seeded):
    for url in ("/api/v1/policies/", "/api/v1/areas/", "/api/v1/programmes/", "/api/v1/calls/"):
        assert api().get(url).status_code == 401


# --- writes: staff only -----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["client_user", "consultant", "admin", "outsider"])
def test_only_catalogue_maintainers_write(api, cast, seeded, who):
    client = api(getattr(cast, who))
    assert client.post("/api/v1/programmes/", new_programme(), format="json").status_code == 403
    response = client.patch("/api/v1/programmes/model_voucher/", {"ratio": "0.9"}, format="json")
    assert response.status_code == 403
    assert Programme.objects.get(code="model_voucher").ratio == 0.5
    call = {
        "programme": "model_voucher",
        "title": "x",
        "opens_at": "2026-01-01T09:00:00+08:00",
        "deadline": "2026-02-01T17:00:00+08:00",
    }
    assert client.post("/api/v1/calls/", call, format="json").status_code == 403


def test_a_maintainer_creates_a_programme_with_its_checklist(api, staff, seeded):
    response = api(staff).post("/api/v1/programmes/", new_programme(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["ratio"] == "0.25"
    assert body["cap"] == "100000.00"
    assert body["min_basis_amount"] == "10000.00"
    assert body["areas"] == ["healthcare"]
    assert body["allowed_tax_ratings"] == ["A", "B"]
    assert body["document_slots"] == [
        {
            "code": "business_licence",
            "name_en": "Business licence",
            "name_zh": "营业执照",
            "required": True,
        },
        {"code": "contract", "name_en": "Contract", "name_zh": "", "required": False},
    ]
    programme = Programme.objects.get(code="city_ai_grant")
    assert LogEntry.objects.filter(object_id=str(programme.pk), user=staff).exists()


def test_document_slots_are_written_whole_on_patch(api, staff, seeded):
    slots = [
        {"code": "contract", "name_en": "Signed contract", "name_zh": "合同", "required": True},
        {"code": "quote", "name_en": "Supplier quote", "required": False},
    ]
    response = api(staff).patch(
        "/api/v1/programmes/model_voucher/", {"document_slots": slots}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert [s["code"] for s in response.json()["document_slots"]] == ["contract", "quote"]
    programme = Programme.objects.get(code="model_voucher")
    assert list(programme.document_slots.values_list("code", "name_en", "position")) == [
        ("contract", "Signed contract", 0),
        ("quote", "Supplier quote", 1),
    ]


def test_a_slot_with_uploads_cannot_be_removed(api, staff, seeded, cast):
    from grants.models import Document

    programme = Programme.objects.get(code="model_voucher")
    slot = programme.document_slots.get(code="contract")
    application = ApplicationFactory(programme=programme, project__company=cast.company)
    Document.objects.create(
        application=application,
        slot=slot,
        version=1,
        file="documents/x.pdf",
        filename="x.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
    )
    response = api(staff).patch(
        "/api/v1/programmes/model_voucher/",
        {"document_slots": [{"code": "invoices", "name_en": "Invoices"}]},
        format="json",
    )
    assert response.status_code == 400
    assert "document_slots" in response.json()
    assert programme.document_slots.filter(code="contract").exists()


def test_patch_changes_only_the_given_fields(api, staff, seeded):
    response = api(staff).patch(
        "/api/v1/programmes/model_voucher/", {"cap": None, "areas": ["finance"]}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["cap"] is None
    assert body["areas"] == ["finance"]
    assert body["ratio"] == "0.50"
    assert len(body["document_slots"]) == 5


def test_put_is_not_offered(api, staff, seeded):
    response = api(staff).put("/api/v1/programmes/model_voucher/", new_programme(), format="json")
    assert response.status_code == 405


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("ratio", "0"),
        ("ratio", "1.01"),
        ("ratio", "-0.3"),
        ("ratio", "abc"),
        ("ratio", "0.123456"),
        ("ratio", None),
        ("cap", "0"),
        ("cap", "-5"),
        ("cap", "12.345"),
        ("basis", "salaries"),
        ("areas", ["atlantis"]),
        ("max_months", 0),
        ("allowed_tax_ratings", ["A", "X"]),
        ("allowed_tax_ratings", ["A", "A"]),
        ("min_company_age_years", -1),
        ("min_basis_amount", "-1"),
        ("policy", "no-such-policy"),
        ("code", "not a slug!"),
        ("document_slots", [{"code": "a", "name_en": "A"}, {"code": "a", "name_en": "B"}]),
        ("document_slots", [{"code": "a"}]),
    ],
)
def test_bad_programme_input_is_a_400_naming_the_field(api, staff, seeded, field, value):
    response = api(staff).post(
        "/api/v1/programmes/", new_programme(**{field: value}), format="json"
    )
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Programme.objects.filter(code="city_ai_grant").exists()


def test_a_duplicate_code_is_a_400(api, staff, seeded):
    response = api(staff).post(
        "/api/v1/programmes/", new_programme(code="model_voucher"), format="json"
    )
    assert response.status_code == 400
    assert "code" in response.json()


def test_the_code_of_a_programme_does_not_change(api, staff, seeded):
    response = api(staff).patch(
        "/api/v1/programmes/model_voucher/", {"code": "renamed"}, format="json"
    )
    assert response.status_code == 400
    assert "code" in response.json()


@pytest.mark.parametrize("ratio", ["1", 1, "0.3", 0.3, "0.0001"])
def test_a_ratio_may_be_a_string_or_a_number(api, staff, seeded, ratio):
    response = api(staff).patch(
        "/api/v1/programmes/model_voucher/", {"ratio": ratio}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["ratio"] in {"1.00", "0.30", "0.0001"}


# --- calls ------------------------------------------------------------------------------------


@time_machine.travel(dt.datetime(2026, 3, 1, 12, 0, tzinfo=SHANGHAI), tick=False)
def test_calls_have_a_computed_status_and_filters(api, cast, seeded, django_assert_max_num_queries):
    lease = Programme.objects.get(code="compute_lease")
    voucher = Programme.objects.get(code="model_voucher")
    now = timezone.now()
    CallFactory(
        programme=lease,
        title="past",
        opens_at=now - dt.timedelta(days=60),
        deadline=now - dt.timedelta(days=1),
    )
    CallFactory(
        programme=lease,
        title="open",
        opens_at=now - dt.timedelta(days=1),
        deadline=now + dt.timedelta(days=30),
    )
    CallFactory(
        programme=voucher,
        title="upcoming",
        opens_at=now + dt.timedelta(days=10),
        deadline=now + dt.timedelta(days=40),
    )
    client = api(cast.client_user)
    with django_assert_max_num_queries(6):
        body = client.get("/api/v1/calls/").json()
    assert {c["title"]: c["status"] for c in body["results"]} == {
        "past": "closed",
        "open": "open",
        "upcoming": "upcoming",
    }
    assert body["results"][0]["deadline"].endswith("+08:00")
    assert [c["title"] for c in client.get("/api/v1/calls/?status=open").json()["results"]] == [
        "open"
    ]
    titles = [
        c["title"] for c in client.get("/api/v1/calls/?programme=compute_lease").json()["results"]
    ]
    assert titles == ["past", "open"]
    bad = client.get("/api/v1/calls/?status=soon")
    assert bad.status_code == 400 and "status" in bad.json()


def test_a_maintainer_creates_and_moves_a_call(api, staff, seeded):
    client = api(staff)
    response = client.post(
        "/api/v1/calls/",
        {
            "programme": "model_voucher",
            "title": "2026 model vouchers, round 1",
            "opens_at": "2026-04-01T09:00:00+08:00",
            "deadline": "2026-05-15T17:00:00+08:00",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    call_id = response.json()["id"]
    assert response.json()["programme"] == "model_voucher"
    moved = client.patch(
        f"/api/v1/calls/{call_id}/", {"deadline": "2026-05-31T17:00:00+08:00"}, format="json"
    )
    assert moved.status_code == 200
    assert moved.json()["deadline"] == "2026-05-31T17:00:00+08:00"
    assert Call.objects.get(pk=call_id).deadline == dt.datetime(2026, 5, 31, 9, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"deadline": "2026-03-01T09:00:00+08:00"}, "deadline"),  # before opening
        ({"deadline": "2026-04-01T09:00:00+08:00"}, "deadline"),  # equal to opening
        ({"deadline": "not a date"}, "deadline"),
        ({"programme": "nope"}, "programme"),
        ({"title": ""}, "title"),
    ],
)
def test_bad_call_input_is_a_400_naming_the_field(api, staff, seeded, body, field):
    data = {
        "programme": "model_voucher",
        "title": "Round 1",
        "opens_at": "2026-04-01T09:00:00+08:00",
        "deadline": "2026-05-15T17:00:00+08:00",
        **body,
    }
    response = api(staff).post("/api/v1/calls/", data, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_moving_a_deadline_before_the_opening_is_refused(api, staff, seeded):
    call = CallFactory(programme=Programme.objects.get(code="model_voucher"))
    response = api(staff).patch(
        f"/api/v1/calls/{call.pk}/",
        {"deadline": (call.opens_at - dt.timedelta(days=1)).isoformat()},
        format="json",
    )
    assert response.status_code == 400
    assert "deadline" in response.json()


def test_the_programme_of_a_call_with_applications_cannot_change(api, staff, seeded, cast):
    programme = Programme.objects.get(code="model_voucher")
    call = CallFactory(programme=programme)
    ApplicationFactory(programme=programme, call=call, project__company=cast.company)
    response = api(staff).patch(
        f"/api/v1/calls/{call.pk}/", {"programme": "compute_lease"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["programme"]
    call.refresh_from_db()
    assert call.programme == programme
    assert not LogEntry.objects.filter(object_id=str(call.pk)).exists()


def test_the_programme_of_a_call_without_applications_may_change(api, staff, seeded):
    call = CallFactory(programme=Programme.objects.get(code="model_voucher"))
    client = api(staff)
    same = client.patch(f"/api/v1/calls/{call.pk}/", {"programme": "model_voucher"}, format="json")
    assert same.status_code == 200
    response = client.patch(
        f"/api/v1/calls/{call.pk}/", {"programme": "compute_lease"}, format="json"
    )
    assert response.status_code == 200 and response.json()["programme"] == "compute_lease"


def test_a_user_without_membership_reads_but_does_not_write(api, seeded):
    user = UserFactory(username="reader")
    assert api(user).get("/api/v1/programmes/").status_code == 200
    assert api(user).post("/api/v1/programmes/", new_programme(), format="json").status_code == 403


@pytest.mark.parametrize("url", ["/api/v1/policies/", "/api/v1/areas/", "/api/v1/calls/"])
def test_catalogue_lists_take_constant_queries(api, cast, seeded, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from grants.models import Policy, PriorityArea

    client = api(cast.client_user)
    CallFactory(programme=Programme.objects.get(code="model_voucher"))
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for index in range(12):
        Policy.objects.create(code=f"extra-{index}", title_en=f"Extra {index}", tier="vertical")
        PriorityArea.objects.create(
            code=f"extra_{index}", name_en=f"Extra {index}", group="vertical"
        )
        CallFactory(programme=Programme.objects.get(code="compute_lease"))
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.json()["count"] > 12
    assert len(many) == len(few)
