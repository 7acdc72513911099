"""`manage.py seed_demo`: a living demo organisation, made through the real services, once."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from io import StringIO

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.utils import timezone, translation
from pypdf import PdfReader

from accounts.models import Notification, User
from companies.models import Activity, Company, CostLine, Membership, Organisation, Project
from grants import guards
from grants.demo import data, seed
from grants.demo.seed import quiet_side_effects
from grants.matching import ELIGIBLE, INCOMPLETE
from grants.models import (
    Application,
    Call,
    Disbursement,
    Document,
    Dossier,
    Programme,
    TransitionLog,
)
from grants.models.applications import CLIENT_LABELS, State
from grants.selectors import matches_for_project

pytestmark = pytest.mark.django_db

SUBMITTED_OR_LATER = {
    State.SUBMITTED,
    State.UNDER_REVIEW,
    State.SUPPLEMENT_REQUESTED,
    State.APPROVED,
    State.REJECTED,
    State.FUNDED,
    State.CLOSED,
}
READY_OR_LATER = SUBMITTED_OR_LATER | {State.READY}


@pytest.fixture
def organisation(seeded) -> Organisation:
    return Organisation.objects.get(name=data.ORGANISATION)


@pytest.fixture
def applications(organisation) -> list[Application]:
    return list(
        Application.objects.filter(organisation=organisation)
        .select_related("programme", "call", "project__company")
        .order_by("pk")
    )


def test_it_builds_one_application_in_every_state(applications):
    assert {a.state for a in applications} == set(State.values)


def test_every_history_leads_from_draft_to_the_current_state(applications):
    for application in applications:
        logs = list(application.log.order_by("at", "pk"))
        state = State.DRAFT
        for log in logs:
            assert log.from_state == state, (application.reference, log.transition)
            assert log.actor is not None
            state = log.to_state
        assert state == application.state, application.reference
        if application.state == State.DRAFT:
            assert logs == []


def test_the_history_is_dated_over_the_weeks_before_the_seeding_day(organisation, applications):
    """Founded `HISTORY_DAYS` ago; each application's story runs after its call opened, in
    order, on office hours of earlier days, and nothing is dated after the seeding."""
    now = timezone.now()
    today = timezone.localdate()
    assert timezone.localdate(organisation.created_at) == today - dt.timedelta(
        days=seed.HISTORY_DAYS
    )
    days = set()
    for application in applications:
        moments = [application.created_at]
        moments += [log.at for log in application.log.order_by("pk")]
        moments += [d.uploaded_at for d in application.documents.order_by("pk")]
        assert moments[0] >= min(application.call.opens_at, now - dt.timedelta(days=5))
        assert all(moment <= now for moment in moments), application.reference
        logs = [log.at for log in application.log.order_by("pk")]
        assert logs == sorted(logs), application.reference
        for moment in moments:
            local = timezone.localtime(moment)
            days.add(local.date())
            if local.date() < today:
                assert 9 <= local.hour < 18, (application.reference, local)
    assert len(days) >= 20  # a living history, not one afternoon
    # The files say the day they were uploaded.
    for document in Document.objects.filter(
        application__organisation=organisation, content_type="application/pdf"
    )[:6]:
        with document.file.open("rb") as handle:
            text = "".join(page.extract_text() for page in PdfReader(handle).pages)
        assert timezone.localdate(document.uploaded_at).isoformat() in text, document.filename
    paid = Disbursement.objects.filter(application__organisation=organisation)
    assert len({d.paid_on for d in paid}) == paid.count() > 1


def test_money_follows_the_history(applications):
    for application in applications:
        paid = list(Disbursement.objects.filter(application=application))
        assert sum((d.amount for d in paid), Decimal("0")) == application.disbursed_amount
        assert len(paid) == application.log.filter(transition="disburse").count()
        assert application.requested_amount > 0
        if application.state in (State.APPROVED, State.FUNDED, State.CLOSED):
            assert 0 < application.approved_amount <= (application.programme.cap or Decimal("1e12"))
    by_state = {a.state: a for a in applications}
    funded, closed = by_state[State.FUNDED], by_state[State.CLOSED]
    assert 0 < funded.disbursed_amount < funded.approved_amount  # partly paid
    assert closed.disbursed_amount == closed.approved_amount  # fully paid
    assert Disbursement.objects.filter(application=closed).count() == 2
    assert by_state[State.APPROVED].disbursed_amount == 0


def test_documents_are_uploaded_where_the_state_needs_them(applications):
    for application in applications:
        documents = Document.objects.filter(application=application)
        if application.state == State.DRAFT:
            assert not documents.exists()
        if application.state in READY_OR_LATER | {State.INTERNAL_REVIEW}:
            assert guards.missing_required_slots(application) == [], application.reference
        for document in documents:
            content = document.file.read()
            document.file.close()
            assert hashlib.sha256(content).hexdigest() == document.sha256
            assert content.startswith((b"%PDF-", b"\x89PNG"))
    preparing = next(a for a in applications if a.state == State.PREPARING)
    assert guards.missing_required_slots(preparing), "one application still waits for documents"
    # some documents have a second version (a supplement, a correction) and clients upload too
    assert Document.objects.filter(version=2).count() >= 2
    assert Document.objects.filter(uploaded_by__membership__role="client").exists()
    assert Document.objects.filter(content_type="image/png").exists()


def test_dossiers_exist_only_where_needed_and_submissions_keep_a_copy_of_record(applications):
    for application in applications:
        dossiers = list(Dossier.objects.filter(application=application))
        assert all(d.status == Dossier.Status.READY for d in dossiers)
        if application.state not in READY_OR_LATER:
            assert dossiers == [], application.reference
            continue
        assert len(dossiers) == 1, application.reference
        dossier = dossiers[0]
        assert dossier.pages and dossier.pages > 5
        assert dossier.file.read(5) == b"%PDF-"
        dossier.file.close()
        if application.state == State.READY:
            assert not dossier.is_copy_of_record
            assert guards.current_dossier(application) == dossier  # it can be submitted now
        else:
            assert dossier.is_copy_of_record and dossier.frozen_at is not None
            submit = application.log.get(transition="submit")
            assert submit.data["copy_of_record"] == dossier.pk
            assert application.submitted_at is not None and application.submission_ref


def test_calls_are_demo_calls_dated_from_today(applications):
    now = timezone.now()
    calls = list(Call.objects.all())
    assert calls and all(call.is_demo for call in calls)
    assert {a.call.is_demo for a in applications} == {True}
    statuses = [call.status_at(now) for call in calls]
    assert statuses.count(Call.Status.UPCOMING) == 1
    assert statuses.count(Call.Status.CLOSED) == 1
    days_left = sorted(
        (timezone.localdate(call.deadline) - timezone.localdate()).days
        for call in calls
        if call.status_at(now) == Call.Status.OPEN
    )
    assert {3, 10, 25} <= set(days_left)
    assert set(Programme.objects.values_list("code", flat=True)) == {
        c.programme.code for c in calls
    }


def test_clients_are_real_companies_with_one_left_incomplete(organisation):
    companies = list(Company.objects.filter(organisation=organisation))
    assert len(companies) == 5
    for company in companies:
        company.full_clean()  # the USCC check character among the rest
        assert company.name_zh and company.name and company.contacts.exists()
        assert company.district != "outside"
    incomplete = [c for c in companies if not c.tax_credit_rating]
    assert len(incomplete) == 1
    project = Project.objects.get(company=incomplete[0])
    statuses = {m.match.status for m in matches_for_project(project).matches}
    assert INCOMPLETE in statuses and ELIGIBLE not in statuses
    rich = Project.objects.get(title__startswith="Industrial defect-inspection")
    assert ELIGIBLE in {m.match.status for m in matches_for_project(rich).matches}


def test_cost_lines_cover_the_kinds_related_parties_and_long_leases(organisation):
    costs = CostLine.objects.filter(project__company__organisation=organisation)
    kinds = set(costs.values_list("kind", flat=True))
    assert len(kinds) == 8
    assert costs.filter(related_party=True).exists()
    compute = Programme.objects.get(code="compute_lease")
    assert costs.filter(kind="compute_lease", months__gt=compute.max_months).count() >= 2


def test_members_share_the_demo_password_and_some_read_chinese(organisation):
    memberships = Membership.objects.filter(organisation=organisation).select_related("user")
    roles = sorted(m.role for m in memberships)
    assert roles == ["admin"] + ["client"] * 5 + ["consultant"] * 2
    for membership in memberships:
        assert membership.user.check_password(data.PASSWORD)
    clients = [m.user for m in memberships if m.role == "client"]
    assert any(u.language == "zh-hans" for u in clients)
    assert any(u.language != "zh-hans" for u in clients)


def test_the_first_consultant_is_the_busiest(organisation):
    # bench/bench_load.py signs in as the consultant with the lowest primary key.
    first = User.objects.filter(membership__role="consultant").order_by("pk").first()
    assert first.username == "consultant"
    assigned = Application.objects.filter(assignee=first).count()
    other = Application.objects.filter(assignee__username="consultant2").count()
    assert assigned > other > 0


def test_the_history_is_real_notifications_activity_and_no_email(seeded, organisation):
    assert TransitionLog.objects.count() > 40
    assert Notification.objects.filter(user__username="client1").exists()
    assert Notification.objects.filter(kind=Notification.Kind.TRANSITION).count() > 10
    verbs = set(Activity.objects.filter(organisation=organisation).values_list("verb", flat=True))
    assert {"created", "member_added", "uploaded", "commented", "generated"} <= verbs
    assert "notification emails were held back" in seeded.output


def test_quiet_side_effects_run_tasks_in_process_and_keep_emails(settings):
    from config.celery import app
    from core.tasks import send_email_task

    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    eager_before = app.conf.task_always_eager
    with quiet_side_effects() as outbox:
        assert app.conf.task_always_eager
        send_email_task.delay("application_update", ["x@example.com"], {"title": "t"}, "en")
        assert len(outbox) == 1
    assert settings.EMAIL_BACKEND.endswith("filebased.EmailBackend")
    assert app.conf.task_always_eager == eager_before
    assert mail.outbox is outbox


def test_it_prints_the_logins_the_password_and_the_url(seeded):
    for person in (*data.STAFF, *data.CLIENTS):
        assert person.username in seeded.output
    assert "demo-pass-2026" in seeded.output
    assert f"{settings.SITE_URL}/" in seeded.output
    assert "zh-hans" in seeded.output


def test_a_second_run_changes_nothing_and_says_so(seeded, django_assert_max_num_queries):
    models = (User, Company, Project, CostLine, Application, TransitionLog, Document, Dossier)
    models += (Disbursement, Call, Notification, Activity)
    before = {model: model.objects.count() for model in models}
    out = StringIO()
    with django_assert_max_num_queries(20):
        call_command("seed_demo", stdout=out)
    assert {model: model.objects.count() for model in models} == before
    assert "already exists" in out.getvalue()
    assert "nothing changed" in out.getvalue()
    assert "client1" in out.getvalue()


def test_taken_user_names_get_a_demo_prefix_and_both_taken_is_refused(seeded):
    from grants.demo.seed import DemoSeedError, demo_usernames

    # every plain name is the seeded demo's now, as `admin` may be a developer's superuser
    assert demo_usernames()["admin"] == "demo-admin"
    assert set(demo_usernames().values()) == {f"demo-{p.username}" for p in data.CLIENTS} | {
        f"demo-{p.username}" for p in data.STAFF
    }
    User.objects.create_user("demo-client3")
    with pytest.raises(DemoSeedError, match="client3 and demo-client3"):
        demo_usernames()


PAGES = ("/", "/pipeline/", "/opportunities/", "/applications/", "/reports/", "/activity/")
PAGES += ("/companies/", "/programmes/")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_consultant_pages_render_the_demo_in_both_languages(seeded, login, language):
    consultant = User.objects.get(username="consultant")
    client = login(consultant)
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    chinese = language == "zh-hans"
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Content-Language"] == language, path
    home = client.get("/").content.decode()
    assert ("资金" if chinese else "Funding") in home
    assert ("补充材料" if chinese else "Supplement requested") in home
    pipeline = client.get("/pipeline/").content.decode()
    with translation.override(language):
        for state in State:
            assert str(state.label) in pipeline, state
    for reference in Application.objects.values_list("reference", flat=True):
        assert reference in pipeline
    opportunities = client.get("/opportunities/").content.decode()
    assert ("上海杨浦星河软件有限公司" if chinese else "Yangpu Galaxy Software") in opportunities


def test_the_client_home_shows_labels_needs_and_money_in_chinese(seeded, login):
    # client2's corpus application awaits a supplement; it switches to Chinese
    client = login(User.objects.get(username="client2"))
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    home = client.get("/").content.decode()
    with translation.override("zh-hans"):
        assert str(CLIENT_LABELS[State.SUPPLEMENT_REQUESTED]) in home
        assert str(CLIENT_LABELS[State.REJECTED]) in home
    assert "上海张江智算科技有限公司" not in home  # another client's company
    # client1 reads Chinese already: two programmes paid it 2,500,000 + 1,200,000
    page = login(User.objects.get(username="client1")).get("/").content.decode()
    with translation.override("zh-hans"):
        assert str(CLIENT_LABELS[State.CLOSED]) in page
        assert str(CLIENT_LABELS[State.FUNDED]) in page
    assert "¥3,700,000.00" in page
