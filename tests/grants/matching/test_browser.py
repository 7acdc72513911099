"""A consultant reads why a programme is not yet eligible, fixes the data, sees the estimate.

Two versions of the story: on the project's matches page, fixing the company's tax rating
directly in the database; and on the project page through the company edit page
(`companies:edit`), as a consultant would.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from grants.catalogue.loader import catalogue_load
from tests.factories import CostLineFactory, ProjectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def project(cast):
    catalogue_load()
    company = cast.company
    company.tax_credit_rating = ""  # not recorded yet
    company.save()
    project = ProjectFactory(company=company, title="Inspection model")
    CostLineFactory(project=project, kind="model_service", amount="800000.00")
    return project


def rule_row(page, code: str, rule: str):
    return page.locator(f'[data-testid="match-{code}"] [data-rule="{rule}"]')


def test_a_consultant_fixes_the_missing_tax_rating_and_sees_the_estimate(
    page, live_server, sign_in, cast, project
):
    sign_in(page, cast.consultant)
    page.goto(f"{live_server.url}/projects/{project.pk}/matches/")
    voucher = page.locator('[data-testid="match-model_voucher"]')
    expect(voucher.locator('[data-testid="status"]')).to_have_text("Incomplete")
    # incomplete explanations are open: the missing rule says what to fill in
    tax = rule_row(page, "model_voucher", "tax_rating")
    expect(tax).to_be_visible()
    expect(tax).to_contain_text("tax credit rating is not recorded")
    expect(tax).to_have_attribute("data-result", "missing")

    # an ineligible programme explains itself when opened
    critical = page.locator('[data-testid="match-critical_tech"]')
    expect(critical.locator('[data-testid="status"]')).to_have_text("Ineligible")
    critical.locator("summary").click()
    expect(rule_row(page, "critical_tech", "basis")).to_contain_text("No eligible costs")

    # The fix, straight in the database (the next test goes through the company edit page).
    cast.company.tax_credit_rating = "B"
    cast.company.save()

    page.reload()
    expect(voucher.locator('[data-testid="status"]')).to_have_text("Eligible")
    expect(voucher.locator('[data-testid="estimate"]')).to_have_text("¥400,000.00")
    expect(page.locator('[data-testid="best-total"]')).to_have_text("¥400,000.00")
    voucher.locator("summary").click()
    expect(rule_row(page, "model_voucher", "tax_rating")).to_contain_text(
        "Tax credit rating B is allowed"
    )


def test_through_the_project_page_and_the_company_edit_page(
    page, live_server, sign_in, cast, project
):
    project_page = reverse("companies:project_detail", args=[project.pk])
    sign_in(page, cast.consultant)
    page.goto(f"{live_server.url}{project_page}")
    voucher = page.locator('[data-testid="match-model_voucher"]')
    expect(voucher.locator('[data-testid="status"]')).to_have_text("Incomplete")
    expect(rule_row(page, "model_voucher", "tax_rating")).to_contain_text("not recorded")
    voucher.locator('[data-testid="fix-company"]').click()
    page.get_by_label("Tax credit rating").select_option("A")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}{project_page}")
    expect(voucher.locator('[data-testid="status"]')).to_have_text("Eligible")
    expect(voucher.locator('[data-testid="estimate"]')).to_have_text("¥400,000.00")
