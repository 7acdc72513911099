"""`/api/v1/companies/`, `/api/v1/projects/` and `/api/v1/me/` as api.md says."""

from __future__ import annotations

from decimal import Decimal

import pytest

from companies import hooks
from companies.models import MAX_AMOUNT, Activity, Company, CostLine, Project
from tests.companies.factories import REAL_USCCS
from tests.factories import ApplicationFactory, CostLineFactory, ProjectFactory

COMPANIES = "/api/v1/companies/"
PROJECTS = "/api/v1/projects/"


def company_body(**overrides):
    body = {"name": "Xuhui Corpus Co", "uscc": REAL_USCCS[2], "district": "xuhui"}
    body.update(overrides)
    return body


def project_body(company, **overrides):
    body = {
        "company": company.pk,
        "title": "Corpus platform",
        "areas": ["data_corpora"],
        "costs": [
            {"kind": "corpus_purchase", "amount": "250000.00", "supplier": "Data Exchange"},
            {"kind": "compute_lease", "amount": "1200000", "months": 24, "related_party": True},
        ],
    }
    body.update(overrides)
    return body


# --- companies ----------------------------------------------------------------------------------


def test_it_lists_the_callers_companies_with_the_contract_fields(api, cast):
    response = api(cast.consultant).get(COMPANIES)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 2
    assert set(body["results"][0]) == {
        "id",
        "name",
        "name_zh",
        "uscc",
        "district",
        "established_on",
        "employees",
        "tax_credit_rating",
    }
    assert {c["name"] for c in body["results"]} == {cast.company.name, cast.other_company.name}


def test_the_list_searches_and_filters(api, cast):
    client = api(cast.consultant)
    assert [c["name"] for c in client.get(COMPANIES, {"q": "张江"}).json()["results"]] == [
        cast.other_company.name
    ]
    assert client.get(COMPANIES, {"district": "xuhui"}).json()["count"] == 0


def test_a_client_reads_only_its_own_company(api, cast):
    client = api(cast.client_user)
    body = client.get(COMPANIES).json()
    assert [c["id"] for c in body["results"]] == [cast.company.pk]
    assert client.get(f"{COMPANIES}{cast.company.pk}/").status_code == 200
    assert client.get(f"{COMPANIES}{cast.other_company.pk}/").status_code == 404


def test_a_consultant_creates_a_company_with_only_the_required_fields(api, cast):
    response = api(cast.consultant).post(
        COMPANIES, company_body(uscc=REAL_USCCS[2].lower()), format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["uscc"] == REAL_USCCS[2]
    assert body["name_zh"] == "" and body["tax_credit_rating"] == ""
    assert body["established_on"] is None and body["employees"] is None
    company = Company.objects.get(pk=body["id"])
    assert company.organisation == cast.org
    assert Activity.objects.filter(verb="created", object_id=str(company.pk)).exists()


def test_nulls_are_accepted_for_optional_fields(api, cast):
    body = company_body(name_zh=None, tax_credit_rating=None, employees=None, established_on=None)
    response = api(cast.consultant).post(COMPANIES, body, format="json")
    assert response.status_code == 201, response.json()


@pytest.mark.parametrize("field", ["name", "uscc", "district"])
def test_required_company_fields(api, cast, field):
    body = company_body()
    del body[field]
    response = api(cast.consultant).post(COMPANIES, body, format="json")
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize(
    ("uscc", "message"),
    [
        ("91330100799655058C", "the last character should be B"),
        ("9133010079965505", "has 18 characters; this one has 16"),
        ("91330100799655058BX", "has 18 characters; this one has 19"),
        ("9133010079965505IB", "cannot appear"),
        ("91330100799655O58B", "cannot appear"),
        ("9133010079965S058B", "cannot appear"),
        ("913301007996V5058B", "cannot appear"),
        ("91330100799Z55058B", "cannot appear"),
    ],
)
def test_a_bad_uscc_is_a_400_naming_the_field(api, cast, uscc, message):
    response = api(cast.consultant).post(COMPANIES, company_body(uscc=uscc), format="json")
    assert response.status_code == 400
    assert message in response.json()["uscc"][0]


@pytest.mark.parametrize("uscc", REAL_USCCS)
def test_real_codes_pass(api, cast, uscc):
    response = api(cast.consultant).post(COMPANIES, company_body(uscc=uscc), format="json")
    assert response.status_code == 201, response.json()


def test_a_duplicate_uscc_is_a_400(api, cast):
    response = api(cast.consultant).post(
        COMPANIES, company_body(uscc=cast.company.uscc), format="json"
    )
    assert response.status_code == 400
    assert "already exists in your organisation" in response.json()["uscc"][0]


@pytest.mark.parametrize(
    ("field", "value"),
    [("district", "atlantis"), ("tax_credit_rating", "Z"), ("employees", -3)],
)
def test_bad_company_fields_are_400s(api, cast, field, value):
    response = api(cast.consultant).post(COMPANIES, company_body(**{field: value}), format="json")
    assert response.status_code == 400 and field in response.json()


def test_patch_changes_named_fields_and_put_is_not_offered(api, cast):
    client = api(cast.consultant)
    url = f"{COMPANIES}{cast.company.pk}/"
    response = client.patch(url, {"employees": 300, "uscc": cast.company.uscc}, format="json")
    assert response.status_code == 200 and response.json()["employees"] == 300
    assert response.json()["name"] == cast.company.name
    assert client.put(url, company_body(), format="json").status_code == 405


def test_clients_may_not_create_change_or_delete_companies(api, cast):
    client = api(cast.client_user)
    assert client.post(COMPANIES, company_body(), format="json").status_code == 403
    url = f"{COMPANIES}{cast.company.pk}/"
    assert client.patch(url, {"name": "Hacked"}, format="json").status_code == 403
    assert client.delete(url).status_code == 403
    assert Company.objects.get(pk=cast.company.pk).name == "Lujiazui Vision Ltd"


def test_outsiders_and_other_clients_get_404_on_a_company(api, cast):
    url = f"{COMPANIES}{cast.company.pk}/"
    for user in (cast.outsider, cast.other_client):
        client = api(user)
        assert client.get(url).status_code == 404
        assert client.patch(url, {"name": "Hacked"}, format="json").status_code == 404
        assert client.delete(url).status_code == 404
    assert Company.objects.get(pk=cast.company.pk).name == "Lujiazui Vision Ltd"


def test_without_credentials_it_is_401(api, cast):
    assert api().get(COMPANIES).status_code == 401
    assert api().get(f"{COMPANIES}{cast.company.pk}/").status_code == 401
    assert api().get(PROJECTS).status_code == 401


def test_delete_works_and_is_refused_with_reasons_while_applications_are_live(api, cast):
    client = api(cast.consultant)
    project = ProjectFactory(company=cast.company)
    ApplicationFactory(project=project)
    response = client.delete(f"{COMPANIES}{cast.company.pk}/")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "This company cannot be deleted."
    assert any("live application" in r for r in body["reasons"])
    assert Company.objects.filter(pk=cast.company.pk).exists()

    spare = Company.objects.create(
        organisation=cast.org, name="Spare", uscc=REAL_USCCS[3], district="jiading"
    )
    assert client.delete(f"{COMPANIES}{spare.pk}/").status_code == 204
    assert not Company.objects.filter(pk=spare.pk).exists()


def test_a_registered_blocker_refuses_deletion(api, cast):
    def blocker(obj):
        return ["Frozen by support."] if isinstance(obj, Company) else []

    hooks.add_deletion_blocker(blocker)
    try:
        response = api(cast.consultant).delete(f"{COMPANIES}{cast.other_company.pk}/")
    finally:
        hooks._deletion_blockers.remove(blocker)
    assert response.status_code == 400
    assert "Frozen by support." in response.json()["reasons"]


# --- projects -----------------------------------------------------------------------------------


def test_a_consultant_creates_a_project_with_nested_costs(api, cast):
    response = api(cast.consultant).post(PROJECTS, project_body(cast.company), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["company"] == cast.company.pk
    assert body["areas"] == ["data_corpora"]
    assert body["summary"] == "" and body["start_date"] is None
    assert body["costs"] == [
        {
            "kind": "corpus_purchase",
            "amount": "250000.00",
            "months": None,
            "supplier": "Data Exchange",
            "related_party": False,
            "description": "",
        },
        {
            "kind": "compute_lease",
            "amount": "1200000.00",
            "months": 24,
            "supplier": "",
            "related_party": True,
            "description": "",
        },
    ]


def test_a_project_needs_only_company_and_title(api, cast):
    client = api(cast.consultant)
    response = client.post(PROJECTS, {"company": cast.company.pk, "title": "Bare"}, format="json")
    assert response.status_code == 201
    assert response.json()["costs"] == [] and response.json()["areas"] == []
    response = client.post(PROJECTS, {}, format="json")
    assert response.status_code == 400
    assert set(response.json()) >= {"company", "title"}


def test_patch_writes_costs_whole_and_keeps_them_when_left_out(api, cast):
    project = ProjectFactory(company=cast.company)
    CostLineFactory(project=project, amount=Decimal("1.00"))
    CostLineFactory(project=project, amount=Decimal("2.00"))
    client = api(cast.consultant)
    url = f"{PROJECTS}{project.pk}/"
    response = client.patch(url, {"title": "Renamed"}, format="json")
    assert [c["amount"] for c in response.json()["costs"]] == ["1.00", "2.00"]
    new_costs = [{"kind": "model_service", "amount": "9.99"}]
    response = client.patch(url, {"costs": new_costs}, format="json")
    assert response.status_code == 200
    assert [(c["kind"], c["amount"]) for c in response.json()["costs"]] == [
        ("model_service", "9.99")
    ]
    assert CostLine.objects.filter(project=project).count() == 1
    assert client.patch(url, {"costs": []}, format="json").json()["costs"] == []


def test_patching_costs_moves_updated_at(api, cast):
    project = ProjectFactory(company=cast.company)
    before = project.updated_at
    api(cast.consultant).patch(
        f"{PROJECTS}{project.pk}/", {"costs": [{"kind": "rd_investment", "amount": "5"}]}
    )
    project.refresh_from_db()
    assert project.updated_at > before


@pytest.mark.parametrize(
    ("cost", "field"),
    [
        ({"kind": "rd_investment", "amount": "-0.01"}, "amount"),
        ({"kind": "rd_investment", "amount": str(MAX_AMOUNT + Decimal("0.01"))}, "amount"),
        ({"kind": "rd_investment", "amount": "1e30"}, "amount"),
        ({"kind": "rd_investment", "amount": "NaN"}, "amount"),
        ({"kind": "rd_investment", "amount": "1", "months": 0}, "months"),
        ({"kind": "rd_investment", "amount": "1", "months": -2}, "months"),
        ({"kind": "snacks", "amount": "1"}, "kind"),
        ({"amount": "1"}, "kind"),
        ({"kind": "rd_investment"}, "amount"),
    ],
)
def test_bad_cost_lines_are_400s_naming_the_field(api, cast, cost, field):
    body = project_body(cast.company, costs=[cost])
    response = api(cast.consultant).post(PROJECTS, body, format="json")
    assert response.status_code == 400
    errors = response.json()["costs"]  # DRF names the line by its index: {"0": {field: [...]}}
    assert field in (errors["0"] if isinstance(errors, dict) else errors[0])
    assert not Project.objects.filter(title="Corpus platform").exists()


def test_an_unknown_area_is_a_400_naming_areas(api, cast):
    body = project_body(cast.company, areas=["large_models", "crypto"])
    response = api(cast.consultant).post(PROJECTS, body, format="json")
    assert response.status_code == 400
    assert "crypto" in response.json()["areas"][0]


def test_the_end_date_must_not_be_before_the_start(api, cast):
    body = project_body(cast.company, start_date="2026-01-01", end_date="2025-12-31")
    response = api(cast.consultant).post(PROJECTS, body, format="json")
    assert response.status_code == 400 and "end_date" in response.json()


def test_a_project_cannot_be_created_for_a_company_one_cannot_see(api, cast):
    for user, company in (
        (cast.outsider, cast.company),
        (cast.consultant, cast.foreign_company),
    ):
        response = api(user).post(PROJECTS, project_body(company), format="json")
        assert response.status_code == 400 and "company" in response.json()
    project = ProjectFactory(company=cast.company)
    response = api(cast.consultant).patch(
        f"{PROJECTS}{project.pk}/", {"company": cast.foreign_company.pk}, format="json"
    )
    assert response.status_code == 400
    assert not Project.objects.filter(company=cast.foreign_company).exists()


def test_clients_read_their_projects_and_change_nothing(api, cast):
    mine = ProjectFactory(company=cast.company)
    ProjectFactory(company=cast.other_company)
    client = api(cast.client_user)
    assert [p["id"] for p in client.get(PROJECTS).json()["results"]] == [mine.pk]
    assert client.post(PROJECTS, project_body(cast.company), format="json").status_code == 403
    url = f"{PROJECTS}{mine.pk}/"
    assert client.patch(url, {"title": "X"}, format="json").status_code == 403
    assert client.delete(url).status_code == 403


def test_outsiders_and_other_clients_get_404_on_a_project(api, cast):
    project = ProjectFactory(company=cast.company, title="Secret")
    url = f"{PROJECTS}{project.pk}/"
    for user in (cast.outsider, cast.other_client):
        client = api(user)
        assert client.get(url).status_code == 404
        assert client.patch(url, {"title": "Hacked"}, format="json").status_code == 404
        assert client.delete(url).status_code == 404
        assert project.pk not in [p["id"] for p in client.get(PROJECTS).json()["results"]]
    assert Project.objects.get(pk=project.pk).title == "Secret"


def test_the_projects_list_filters_by_company(api, cast):
    ProjectFactory(company=cast.company)
    other = ProjectFactory(company=cast.other_company)
    body = api(cast.consultant).get(PROJECTS, {"company": cast.other_company.pk}).json()
    assert [p["id"] for p in body["results"]] == [other.pk]


def test_project_delete_is_refused_with_reasons(api, cast):
    project = ProjectFactory(company=cast.company)
    ApplicationFactory(project=project)
    response = api(cast.consultant).delete(f"{PROJECTS}{project.pk}/")
    assert response.status_code == 400
    assert response.json()["detail"] == "This project cannot be deleted."
    assert response.json()["reasons"]
    spare = ProjectFactory(company=cast.company)
    assert api(cast.consultant).delete(f"{PROJECTS}{spare.pk}/").status_code == 204


def test_pagination_follows_the_contract(api, cast):
    for _ in range(3):
        ProjectFactory(company=cast.company)
    body = api(cast.consultant).get(PROJECTS, {"page_size": 2}).json()
    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]
    assert api(cast.consultant).get(PROJECTS, {"page": 99}).status_code == 404


# --- me -------------------------------------------------------------------------------------------


def test_me_names_organisation_role_and_company(api, cast):
    body = api(cast.client_user).get("/api/v1/me/").json()
    assert body["username"] == cast.client_user.username
    assert body["organisation"] == "Bund Grants Consulting"
    assert body["role"] == "client" and body["company"] == cast.company.pk
    consultant = api(cast.consultant).get("/api/v1/me/").json()
    assert consultant["role"] == "consultant" and consultant["company"] is None


def test_the_schema_describes_the_endpoints(api, cast):
    response = api(cast.consultant).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/companies/" in paths and "/api/v1/projects/{id}/" in paths
    assert "put" not in paths["/api/v1/projects/{id}/"]
