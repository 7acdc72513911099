"""The whole product in one browser journey (issue #8), in Debian's Chromium.

A consultant records a client company (with its Chinese name) and a project with cost lines,
reads the matches, applies, uploads the checklist, asks for internal review; the organisation's
admin, who invited the client user on the members page, approves the review (the four-eyes rule
is on). The consultant generates the dossier, submits, records the supplement request and the
resubmission, the approval and two payments, and closes. The client then opens the invitation
email, chooses a password, signs in, switches to Chinese and sees every step in their own words
and the money received.

Screenshots of the main pages in English and Chinese are saved under
`test-artifacts/screenshots/` (gitignored), for people to look at, not for assertions.

Tasks run in-process (Celery's eager mode, as the workflow tests do): the invitation email lands
in Django's test outbox, where the client reads it, and the dossier is rendered during the
"generate" request. The worker path and the panel's htmx polling are the dossier tests' (they
start a real worker against Redis); here the journey runs wherever Chromium is.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from accounts.models import User
from companies.models import Company, Project
from companies.validators import uscc_check_character
from grants.catalogue.loader import catalogue_load
from grants.demo.files import DemoDocument, render_pdfs
from grants.models import Application, Call, Disbursement, Dossier, Programme, TransitionLog
from grants.models.applications import CLIENT_LABELS, State

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"
CLIENT_EMAIL = "he.yun@xuhui-vision.example"
CLIENT_PASSWORD = "Xuhui-Vision-2026!"
USCC_BODY = "91310104MA1FR7K3P"
USCC = USCC_BODY + uscc_check_character(USCC_BODY)
SLOTS = ("business_licence", "credit_commitment", "contract", "invoices", "payment_proof")


@pytest.fixture(autouse=True)
def eager_celery():
    """Tasks enqueued on commit run in-process: emails land in mail.outbox, dossiers render."""
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def catalogue(cast):
    """The seeded catalogue, an open model-voucher call, and the four-eyes rule switched on."""
    catalogue_load()
    now = timezone.now()
    Call.objects.create(
        programme=Programme.objects.get(code="model_voucher"),
        title="模型券 2026 年第一批 · Model vouchers 2026, round 1",
        opens_at=now - dt.timedelta(days=20),
        deadline=now + dt.timedelta(days=20),
    )
    cast.org.require_second_reviewer = True
    cast.org.save()


@pytest.fixture
def pdfs() -> dict[str, bytes]:
    """One small, real PDF per checklist slot, and a second version of the payment slip."""
    wanted = [*((code, 1) for code in SLOTS), ("payment_proof", 2)]
    documents = [
        DemoDocument(
            key=("journey", code, version),
            slot_code="scan",  # every slot gets a PDF (the demo's licence would be a PNG)
            slot_name_en=code.replace("_", " ").capitalize(),
            slot_name_zh="申报材料",
            version=version,
            company_name="Xuhui Vision Intelligence Co., Ltd.",
            company_name_zh="上海徐汇视界智能科技有限公司",
            uscc=USCC,
            project_title="Retail shelf-vision model",
            programme_name_en="Model vouchers",
            programme_name_zh="模型券",
            dated=timezone.localdate(),
        )
        for code, version in wanted
    ]
    return {f"{key[1]}-v{key[2]}": content for key, content in render_pdfs(documents).items()}


def shoot(page: Page, name: str, language: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{language}-{name}.png"), full_page=True)


def switch_language(page: Page, code: str) -> None:
    page.locator("#language-select").select_option(code)
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN" if code == "zh-hans" else "en")


def take_step(page: Page, label: str, comment: str = "", **fields: str) -> None:
    """Open the step's form in the modal, fill it, confirm; the page reloads (HX-Redirect)."""
    page.get_by_role("link", name=label, exact=True).click()
    form = page.locator("#transition-modal form[data-testid=transition-form]")
    expect(form).to_be_visible()
    for name, value in fields.items():
        form.locator(f"[name={name}]").fill(value)
    if comment:
        form.locator("textarea[name=comment]").fill(comment)
    form.locator("button[type=submit]").click()


def status_is(page: Page, text: str) -> None:
    expect(page.get_by_test_id("application-status")).to_have_text(text)


def upload(page: Page, slot: str, name: str, content: bytes, version: int = 1) -> None:
    item = page.locator(f"li[data-slot={slot}]")
    item.locator("input[type=file]").set_input_files(
        files=[{"name": name, "mimeType": "application/pdf", "buffer": content}]
    )
    item.locator("button[type=submit]").click()
    expect(page.locator(f"li[data-slot={slot}]")).to_contain_text(f"Uploaded, version {version}")


def test_a_year_of_one_application_from_the_first_visit_to_the_last_payment(
    page, browser, live_server, sign_in, cast, catalogue, pdfs
):
    base = live_server.url

    # --- the consultant records the client company -----------------------------------------
    sign_in(page, cast.consultant)
    page.goto(f"{base}/companies/")
    page.get_by_test_id("company-create").click()
    page.locator("#id_name").fill("Xuhui Vision Intelligence Co., Ltd.")
    page.get_by_label("Chinese name").fill("上海徐汇视界智能科技有限公司")
    page.get_by_label("Unified social credit code").fill(USCC)
    page.get_by_label("District").select_option("xuhui")
    page.get_by_label("Established on").fill("2018-03-09")
    page.get_by_label("Employees").fill("96")
    page.get_by_label("Tax credit rating").select_option("A")
    page.locator('[name="contacts-0-name"]').fill("何云 He Yun")
    page.locator('[name="contacts-0-email"]').fill(CLIENT_EMAIL)
    page.get_by_test_id("save").click()
    expect(page.locator("h1")).to_contain_text("上海徐汇视界智能科技有限公司")
    company = Company.objects.get(uscc=USCC)

    # --- the admin adds the client's user on the members page (admins manage members) -------
    admin_context = browser.new_context()
    admin_page = admin_context.new_page()
    sign_in(admin_page, cast.admin)
    admin_page.goto(f"{base}/companies/members/")
    invite = admin_page.get_by_test_id("invite-form")
    invite.get_by_label("Email").fill(CLIENT_EMAIL)
    invite.get_by_label("Role").select_option("client")
    invite.get_by_label("Company").select_option(str(company.pk))
    invite.locator("button[type=submit]").click()
    expect(admin_page.locator(f'tr[data-member="{CLIENT_EMAIL}"]')).to_contain_text("Invited")
    invitation = next(m for m in mail.outbox if m.to == [CLIENT_EMAIL])

    # --- a project with cost lines; the matches on its page --------------------------------
    page.get_by_test_id("project-create").click()
    page.get_by_label("Title").fill("Retail shelf-vision model / 零售货架视觉大模型")
    page.locator("input[name=areas][value=large_models]").check()
    page.get_by_label("Start date").fill("2026-01-05")
    page.get_by_label("End date").fill("2027-06-30")
    add = page.get_by_test_id("add-cost-line")
    add.click()
    add.click()
    expect(page.locator("tbody[data-formset-body] tr")).to_have_count(3)
    lines = [
        ("model_service", "1800000", "", "Huangpu Large Model Tech", False),
        ("model_service", "400000", "", "Xuhui Vision Cloud (affiliate)", True),
        ("compute_lease", "720000", "24", "Lingang Computing Centre", False),
    ]
    for index, (kind, amount, months, supplier, related) in enumerate(lines):
        page.locator(f'[name="costs-{index}-kind"]').select_option(kind)
        page.locator(f'[name="costs-{index}-amount"]').fill(amount)
        page.locator(f'[name="costs-{index}-months"]').fill(months)
        page.locator(f'[name="costs-{index}-supplier"]').fill(supplier)
        if related:
            page.locator(f'[name="costs-{index}-related_party"]').check()
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("grand-total")).to_contain_text("¥2,920,000.00")
    project = Project.objects.get(company=company)

    voucher = page.get_by_test_id("match-model_voucher")
    expect(voucher.get_by_test_id("status")).to_have_text("Eligible")
    # half of the 1,800,000 bought at arm's length; the affiliate's 400,000 does not count
    expect(voucher.get_by_test_id("estimate")).to_have_text("¥900,000.00")
    lease = page.get_by_test_id("match-compute_lease")
    expect(lease.get_by_test_id("estimate")).to_have_text("¥360,000.00")  # 12 of 24 months
    expect(page.get_by_test_id("match-critical_tech").get_by_test_id("status")).to_have_text(
        "Ineligible"
    )

    # --- apply, upload the checklist, ask for review ------------------------------------------
    voucher.get_by_test_id("apply").click()
    expect(page.locator("#id_requested_amount")).to_have_value("900000.00")
    page.get_by_role("button", name="Create the application").click()
    status_is(page, "Draft")
    application = Application.objects.get(project=project)
    application_url = page.url
    take_step(page, "Start preparing")
    status_is(page, "Preparing")
    for slot in SLOTS:
        upload(page, slot, f"{slot}.pdf", pdfs[f"{slot}-v1"])
    take_step(page, "Request internal review")
    status_is(page, "Internal review")

    # The four-eyes rule: whoever asked for the review may not approve it.
    take_step(page, "Approve review")
    modal = page.locator("#transition-modal")
    expect(modal).to_contain_text("A second reviewer is required")
    modal.get_by_role("link", name="Cancel").click()
    expect(modal).to_be_hidden()

    admin_page.goto(application_url)
    take_step(admin_page, "Approve review", comment="Checked against the invoices.")
    status_is(admin_page, "Ready to submit")
    admin_context.close()

    # --- the dossier, the submission, the government's questions and answer -----------------
    page.reload()
    status_is(page, "Ready to submit")
    page.get_by_test_id("dossier-generate").click()
    expect(page.get_by_test_id("dossier-download").first).to_be_visible(timeout=90_000)
    expect(page.get_by_test_id("dossier-currency")).to_contain_text("Current")
    take_step(page, "Record submission", submission_ref="SHEITC-2026-01288")
    status_is(page, "Submitted")
    expect(page.get_by_test_id("copy-of-record")).to_be_visible()
    take_step(page, "Government review started")
    status_is(page, "Under review")
    due = timezone.localtime() + dt.timedelta(days=5)
    take_step(
        page,
        "Record a supplement request",
        comment="请补充第二期付款凭证。Please add the second payment slip.",
        supplement_deadline=due.strftime("%Y-%m-%dT17:00"),
    )
    status_is(page, "Supplement requested")
    upload(page, "payment_proof", "付款凭证-第二期.pdf", pdfs["payment_proof-v2"], version=2)
    take_step(page, "Resubmit", comment="Second payment slip added.")
    status_is(page, "Under review")

    # --- approval, two payments, closing ----------------------------------------------------
    take_step(page, "Record approval", approved_amount="800000")
    status_is(page, "Approved")
    today = timezone.localdate().isoformat()
    take_step(page, "Record a payment", amount="500000", paid_on=today)
    status_is(page, "Funded")
    take_step(page, "Record a payment", amount="300000", paid_on=today)
    status_is(page, "Funded")
    expect(page.get_by_test_id("disbursements")).to_contain_text("¥800,000.00")
    take_step(page, "Close the application", comment="Fully paid.")
    status_is(page, "Closed")

    application.refresh_from_db()
    assert application.state == State.CLOSED
    assert application.approved_amount == application.disbursed_amount == Decimal("800000.00")
    assert Disbursement.objects.filter(application=application).count() == 2
    assert [log.transition for log in TransitionLog.objects.filter(application=application)] == [
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
    assert TransitionLog.objects.get(application=application, transition="approve_review").actor
    assert Dossier.objects.get(application=application).is_copy_of_record

    # --- screenshots of the main pages, in English and in Chinese -----------------------------
    pages = {
        "home": "/",
        "companies": "/companies/",
        "company": f"/companies/{company.pk}/",
        "project-matches": f"/companies/projects/{project.pk}/",
        "application": f"/applications/{application.pk}/",
        "pipeline": "/pipeline/",
        "opportunities": "/opportunities/",
        "catalogue": "/programmes/",
        "reports": "/reports/",
    }
    for language in ("en", "zh-hans"):
        page.goto(f"{base}/")
        switch_language(page, language)
        for name, path in pages.items():
            page.goto(f"{base}{path}")
            expect(page.locator("main, body").first).to_be_visible()
            shoot(page, name, "en" if language == "en" else "zh")

    # --- the client: the invitation, a password, Chinese, and every step ---------------------
    link = re.search(r"https?://\S+?(/accounts/password/reset/\S+/)", invitation.body)
    assert link, invitation.body
    client_context = browser.new_context()
    client_page = client_context.new_page()
    client_page.goto(f"{base}{link.group(1)}")
    client_page.locator("#id_new_password1").fill(CLIENT_PASSWORD)
    client_page.locator("#id_new_password2").fill(CLIENT_PASSWORD)
    client_page.locator("form button[type=submit]").click()
    expect(client_page).to_have_url(re.compile(r"/accounts/password/reset/complete/$"))
    client_user = User.objects.get(username=CLIENT_EMAIL)
    sign_in(client_page, client_user, password=CLIENT_PASSWORD)
    switch_language(client_page, "zh-hans")
    client_user.refresh_from_db()
    assert client_user.language == "zh-hans"  # pages and emails follow the choice

    with translation.override("zh-hans"):
        labels = {state: str(label) for state, label in CLIENT_LABELS.items()}
    home = client_page.locator("main")
    expect(home).to_contain_text(application.reference)
    expect(home).to_contain_text(labels[State.CLOSED])
    expect(home).to_contain_text("¥800,000.00")
    shoot(client_page, "client-home", "zh")

    client_page.goto(application_url)
    status_is(client_page, labels[State.CLOSED])
    timeline = client_page.get_by_test_id("timeline")
    for state in (
        State.SUBMITTED,
        State.UNDER_REVIEW,
        State.SUPPLEMENT_REQUESTED,
        State.APPROVED,
        State.FUNDED,
        State.CLOSED,
    ):
        expect(timeline).to_contain_text(labels[state])
    expect(timeline).to_contain_text("请补充第二期付款凭证")
    expect(timeline).to_contain_text("¥500,000.00")
    expect(timeline).to_contain_text("¥300,000.00")
    expect(client_page.get_by_test_id("disbursements")).to_contain_text("¥800,000.00")
    expect(client_page.locator("a[data-transition]")).to_have_count(0)  # clients do not act
    shoot(client_page, "client-application", "zh")
    client_context.close()
