"""A real browser: a consultant records a client company and a project; the client sees only it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from companies.models import Company, Project
from tests.companies.factories import REAL_USCCS
from tests.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_consultant_records_a_company_and_project_and_the_client_sees_only_it(
    page, live_server, sign_in, cast
):
    sign_in(page, cast.consultant)
    page.goto(f"{live_server.url}/companies/")
    page.get_by_test_id("company-create").click()

    page.locator("#id_name").fill("Minhang Embodied Robotics Ltd")
    page.get_by_label("Chinese name").fill("闵行具身机器人有限公司")
    page.get_by_label("Unified social credit code").fill(REAL_USCCS[3].lower())
    page.get_by_label("District").select_option("minhang")
    page.get_by_label("Established on").fill("2021-04-15")
    page.locator('[name="contacts-0-name"]').fill("Chen Jing")
    page.get_by_test_id("save").click()
    expect(page.locator("h1")).to_contain_text("闵行具身机器人有限公司")
    expect(page.locator("body")).to_contain_text(REAL_USCCS[3])
    company = Company.objects.get(name="Minhang Embodied Robotics Ltd")

    page.get_by_test_id("project-create").click()
    page.get_by_label("Title").fill("Warehouse humanoid pilot")
    page.get_by_label("Embodied Ai").check()
    add = page.get_by_test_id("add-cost-line")
    add.click()
    add.click()  # three rows, added in the page (no reload)
    expect(page.locator("tbody[data-formset-body] tr")).to_have_count(3)
    lines = [
        ("robot_deployment", "1000000", ""),
        ("compute_lease", "240000", "12"),
        ("compute_lease", "60000.50", "6"),
    ]
    for index, (kind, amount, months) in enumerate(lines):
        page.locator(f'[name="costs-{index}-kind"]').select_option(kind)
        page.locator(f'[name="costs-{index}-amount"]').fill(amount)
        page.locator(f'[name="costs-{index}-months"]').fill(months)
    # The last line goes first with its up button (handled in the page).
    page.locator("tbody[data-formset-body] tr").nth(2).locator('[data-formset-move="up"]').click()
    page.locator("tbody[data-formset-body] tr").nth(1).locator('[data-formset-move="up"]').click()
    page.get_by_test_id("save").click()

    expect(page.get_by_test_id("grand-total")).to_contain_text("¥1,300,000.50")
    expect(page.locator('tr.kind-total[data-kind="compute_lease"]')).to_contain_text("¥300,000.50")
    expect(page.locator('tr.kind-total[data-kind="robot_deployment"]')).to_contain_text(
        "¥1,000,000.00"
    )
    project = Project.objects.get(title="Warehouse humanoid pilot")
    assert [str(c.amount) for c in project.costs.all()] == ["60000.50", "1000000.00", "240000.00"]
    assert project.areas == ["embodied_ai"]

    client_user = UserFactory(username="min_client")
    MembershipFactory(user=client_user, organisation=cast.org, role="client", company=company)
    page.locator(".navbar .dropdown-toggle").click()
    page.get_by_test_id("sign-out").click()
    sign_in(page, client_user)
    page.goto(f"{live_server.url}/companies/")
    rows = page.locator("table.company-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("闵行具身机器人有限公司")
    expect(page.locator("body")).not_to_contain_text(cast.company.name)
    expect(page.get_by_test_id("company-create")).to_have_count(0)
    response = page.goto(f"{live_server.url}/companies/{cast.company.pk}/")
    assert response.status == 404
