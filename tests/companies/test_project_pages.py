"""Project pages: the form with its inline cost lines, the project page with its totals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from companies.models import MAX_AMOUNT, Activity, CostLine, Project
from core import panels
from tests.companies.factories import project_post
from tests.factories import ApplicationFactory, CostLineFactory, ProjectFactory


def create_url(company):
    return reverse("companies:project_create", kwargs={"company_pk": company.pk})


def edit_url(project):
    return reverse("companies:project_edit", kwargs={"pk": project.pk})


def detail_url(project):
    return reverse("companies:project_detail", kwargs={"pk": project.pk})


THREE_LINES = [
    {"kind": "compute_lease", "amount": "1200000.00", "months": "12", "supplier": "SH Compute"},
    {"kind": "rd_investment", "amount": "3000000", "description": "Model training staff"},
    {"kind": "compute_lease", "amount": "300000.50", "related_party": True},
]


def test_a_consultant_creates_a_project_with_cost_lines_in_order(login, cast):
    response = login(cast.consultant).post(create_url(cast.company), project_post(THREE_LINES))
    project = Project.objects.get(title="Inspection model")
    assert response.status_code == 302 and response["Location"] == detail_url(project)
    assert project.company == cast.company
    assert project.areas == ["large_models", "manufacturing"]
    lines = list(project.costs.all())
    assert [(c.kind, c.amount, c.months, c.related_party) for c in lines] == [
        ("compute_lease", Decimal("1200000.00"), 12, False),
        ("rd_investment", Decimal("3000000.00"), None, False),
        ("compute_lease", Decimal("300000.50"), None, True),
    ]
    assert Activity.objects.filter(verb="created", object_type="project").count() == 1


def test_the_project_page_shows_totals_by_kind_and_the_grand_total(login, cast):
    login(cast.consultant).post(create_url(cast.company), project_post(THREE_LINES))
    project = Project.objects.get(title="Inspection model")
    response = login(cast.client_user).get(detail_url(project))
    summary = response.context["summary"]
    assert [(t.kind, t.amount, t.lines) for t in summary.by_kind] == [
        ("rd_investment", Decimal("3000000.00"), 1),
        ("compute_lease", Decimal("1500000.50"), 2),
    ]
    assert summary.total == Decimal("4500000.50")
    html = response.content.decode()
    assert "¥4,500,000.50" in html and "¥1,500,000.50" in html and "¥3,000,000.00" in html
    assert "Large Models" in html  # area labels from the catalogue


def test_the_order_field_decides_the_order(login, cast):
    lines = [
        {"kind": "rd_investment", "amount": "1", "ORDER": "3"},
        {"kind": "rd_investment", "amount": "2", "ORDER": "1"},
        {"kind": "rd_investment", "amount": "3", "ORDER": "2"},
    ]
    login(cast.consultant).post(create_url(cast.company), project_post(lines))
    project = Project.objects.get(title="Inspection model")
    assert [int(c.amount) for c in project.costs.all()] == [2, 3, 1]


def test_editing_replaces_removes_and_keeps_lines(login, cast):
    project = ProjectFactory(company=cast.company)
    first = CostLineFactory(project=project, amount=Decimal("10.00"), position=0)
    CostLineFactory(project=project, amount=Decimal("20.00"), position=1)
    client = login(cast.consultant)
    form = client.get(edit_url(project)).context["costs"]
    assert [f.initial["amount"] for f in form.initial_forms] == [Decimal("10.00"), Decimal("20.00")]
    data = project_post(
        [
            {"kind": first.kind, "amount": "10.00"},
            {"kind": "rd_investment", "amount": "20.00", "DELETE": "on"},
            {"kind": "model_service", "amount": "5.00"},
        ],
        **{"costs-INITIAL_FORMS": "2"},
        title=project.title,
    )
    assert client.post(edit_url(project), data).status_code == 302
    assert [(c.kind, c.amount) for c in project.costs.all()] == [
        ("rd_investment", Decimal("10.00")),
        ("model_service", Decimal("5.00")),
    ]


@pytest.mark.parametrize(
    ("line", "field", "message"),
    [
        ({"amount": "-1"}, "amount", "greater than or equal to 0"),
        ({"amount": str(MAX_AMOUNT + 1)}, "amount", "digits"),
        ({"amount": "1000000000000000"}, "amount", "digits"),
        ({"amount": "12.345"}, "amount", "decimal places"),
        ({"amount": "lots"}, "amount", "Enter a number"),
        ({"months": "0"}, "months", "greater than or equal to 1"),
        ({"kind": "bribes"}, "kind", "Select a valid choice"),
    ],
)
def test_bad_cost_lines_are_errors_beside_their_fields(login, cast, line, field, message):
    response = login(cast.consultant).post(create_url(cast.company), project_post([line]))
    assert response.status_code == 200
    errors = response.context["costs"].forms[0].errors
    assert message in " ".join(errors[field])
    assert "invalid-feedback" in response.content.decode()
    assert not Project.objects.filter(title="Inspection model").exists()


def test_an_amount_at_the_maximum_is_accepted(login, cast):
    response = login(cast.consultant).post(
        create_url(cast.company), project_post([{"amount": str(MAX_AMOUNT)}])
    )
    assert response.status_code == 302
    assert CostLine.objects.get().amount == MAX_AMOUNT


def test_an_unknown_area_is_a_field_error(login, cast):
    data = project_post(areas=["large_models", "astrology"])
    response = login(cast.consultant).post(create_url(cast.company), data)
    assert response.status_code == 200
    assert "astrology" in response.context["form"].errors["areas"][0]


def test_the_end_must_not_come_before_the_start(login, cast):
    data = project_post(start_date="2026-01-01", end_date="2025-01-01")
    response = login(cast.consultant).post(create_url(cast.company), data)
    assert "end date must not be before" in response.context["form"].errors["end_date"][0]


def test_a_blank_extra_row_is_ignored(login, cast):
    data = project_post([{"kind": "rd_investment", "amount": "5"}, {"kind": "", "amount": ""}])
    assert login(cast.consultant).post(create_url(cast.company), data).status_code == 302
    assert CostLine.objects.count() == 1


def test_rows_move_up_and_down_without_javascript(login, cast):
    lines = [{"amount": "1", "supplier": "A"}, {"amount": "2", "supplier": "B"}]
    data = project_post(lines, formset_action="costs:down:0")
    response = login(cast.consultant).post(create_url(cast.company), data)
    assert response.status_code == 200
    costs = response.context["costs"]
    assert [f.initial["supplier"] for f in costs.initial_forms] == ["B", "A"]
    html = response.content.decode()
    assert html.index('value="B"') < html.index('value="A"')
    assert not Project.objects.exists()  # nothing saved by a row action
    assert response.context["form"].initial["title"] == "Inspection model"

    up = project_post(lines, formset_action="costs:up:1")
    costs = login(cast.consultant).post(create_url(cast.company), up).context["costs"]
    assert [f.initial["supplier"] for f in costs.initial_forms] == ["B", "A"]


def test_a_row_is_added_without_javascript(login, cast):
    data = project_post([{"amount": "1"}], formset_action="costs:add")
    response = login(cast.consultant).post(create_url(cast.company), data)
    assert len(response.context["costs"].forms) == 3
    assert "errorlist" not in response.content.decode()


def test_the_form_loads_sortable_and_its_script_from_the_app(login, cast):
    html = login(cast.consultant).get(create_url(cast.company)).content.decode()
    assert "/static/vendor/sortablejs/Sortable.min.js" in html
    assert "/static/js/companies.js" in html
    assert "<script>" not in html and " onclick=" not in html
    assert (
        login(cast.consultant).get("/static/vendor/sortablejs/Sortable.min.js").status_code == 200
    )


def test_saving_the_project_or_only_its_costs_moves_updated_at(login, cast):
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC), tick=False):
        project = ProjectFactory(company=cast.company, title="Stable")
    before = project.updated_at
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC), tick=False):
        data = project_post([{"amount": "7"}], title="Stable", areas=project.areas)
        data.update(start_date="2025-01-01", end_date="2026-12-31", summary=project.summary)
        login(cast.consultant).post(edit_url(project), data)
    project.refresh_from_db()
    assert project.updated_at > before
    assert project.updated_at == dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)


def test_the_project_page_renders_the_project_panels(login, cast):
    project = ProjectFactory(company=cast.company)

    def panel(request, obj):
        return f"<section id='matches'>matches of {obj.pk}</section>"

    panels.add("project", panel)
    try:
        html = login(cast.consultant).get(detail_url(project)).content.decode()
    finally:
        panels.remove("project", panel)
    assert f"<section id='matches'>matches of {project.pk}</section>" in html


def test_a_project_without_costs_has_an_empty_state(login, cast):
    project = ProjectFactory(company=cast.company)
    assert "No cost lines yet" in login(cast.consultant).get(detail_url(project)).content.decode()


def test_clients_read_their_projects_but_do_not_change_them(login, cast):
    project = ProjectFactory(company=cast.company)
    client = login(cast.client_user)
    assert client.get(detail_url(project)).status_code == 200
    assert client.get(edit_url(project)).status_code == 403
    assert client.get(create_url(cast.company)).status_code == 403
    assert client.post(edit_url(project), project_post()).status_code == 403


def test_outsiders_and_other_clients_get_404_on_every_project_page(login, cast):
    project = ProjectFactory(company=cast.company, title="Secret Plan")
    urls = [
        reverse(name, args=[project.pk])
        for name in (
            "companies:project_detail",
            "companies:project_edit",
            "companies:project_delete",
        )
    ]
    for user in (cast.outsider, cast.other_client):
        client = login(user)
        for url in urls:
            assert client.get(url).status_code == 404
            assert client.post(url, project_post()).status_code in (404, 405)
    project.refresh_from_db()
    assert project.title == "Secret Plan"


def test_delete_confirms_then_deletes(login, cast):
    project = ProjectFactory(company=cast.company)
    CostLineFactory(project=project)
    client = login(cast.consultant)
    url = reverse("companies:project_delete", args=[project.pk])
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response["Location"] == reverse("companies:detail", args=[cast.company.pk])
    assert not Project.objects.filter(pk=project.pk).exists()


def test_delete_is_refused_while_an_application_is_live(login, cast):
    project = ProjectFactory(company=cast.company)
    ApplicationFactory(project=project)
    client = login(cast.consultant)
    url = reverse("companies:project_delete", args=[project.pk])
    assert "live application" in client.get(url).content.decode()
    response = client.post(url, follow=True)
    assert Project.objects.filter(pk=project.pk).exists()
    assert "This project cannot be deleted." in response.content.decode()
