"""A consultant takes an application from draft to ready in a real browser, uploads included;
the client, who reads Chinese, sees the status change in their words."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from grants.models import Application, Document, TransitionLog
from tests.grants.workflow.conftest import PDF_BYTES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def take_step(page, label: str, comment: str = "") -> None:
    page.get_by_role("link", name=label, exact=True).click()
    form = page.locator("#transition-modal form[data-testid=transition-form]")
    expect(form).to_be_visible()
    if comment:
        form.locator("textarea[name=comment]").fill(comment)
    form.get_by_role("button", name=label).click()


def test_a_consultant_prepares_an_application_and_the_client_sees_it_in_chinese(
    page, browser, live_server, sign_in, cast, make_app
):
    cast.client_user.language = "zh-hans"
    cast.client_user.save()
    application = make_app("draft")
    url = f"{live_server.url}/applications/{application.pk}/"

    client_context = browser.new_context()
    client_page = client_context.new_page()
    sign_in(client_page, cast.client_user)
    client_page.goto(url)
    status = client_page.get_by_test_id("application-status")
    expect(status).to_have_text("准备中")
    expect(client_page.get_by_role("link", name="开始准备")).to_have_count(0)

    sign_in(page, cast.consultant)
    page.goto(url)
    expect(page.get_by_test_id("application-status")).to_have_text("Draft")
    take_step(page, "Start preparing")
    expect(page.get_by_test_id("application-status")).to_have_text("Preparing")

    for slot, name in (("licence", "营业执照.pdf"), ("contract", "contract.pdf")):
        item = page.locator(f"li[data-slot={slot}]")
        item.locator("input[type=file]").set_input_files(
            files=[{"name": name, "mimeType": "application/pdf", "buffer": PDF_BYTES}]
        )
        item.get_by_role("button", name="Upload").click()
        expect(page.locator(f"li[data-slot={slot}]")).to_contain_text("Uploaded, version 1")
    expect(page.locator("li[data-slot=licence]")).to_contain_text("营业执照.pdf")

    take_step(page, "Request internal review")
    expect(page.get_by_test_id("application-status")).to_have_text("Internal review")
    take_step(page, "Approve review", comment="Checked the figures.")
    expect(page.get_by_test_id("application-status")).to_have_text("Ready to submit")
    expect(page.locator("[data-testid=timeline]")).to_contain_text("Checked the figures.")

    client_page.reload()
    expect(status).to_have_text("待提交")
    expect(client_page.locator("h1")).to_contain_text(re.compile("待提交"))
    expect(client_page.locator("[data-testid=timeline]")).to_contain_text("内部核查中")

    application.refresh_from_db()
    assert application.state == "ready"
    assert Document.objects.filter(application=application).count() == 2
    assert [log.transition for log in TransitionLog.objects.order_by("pk")] == [
        "start",
        "request_review",
        "approve_review",
    ]
    assert Application.objects.count() == 1
    client_context.close()
