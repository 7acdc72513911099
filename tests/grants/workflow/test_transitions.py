"""Every transition of product.md: allowed from each source, 409 from every other state, 403 for
clients, each guard failing with its reason, and the state unchanged after any refusal."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from core.api import Conflict
from grants.models import Disbursement, Dossier, TransitionLog
from grants.models.applications import State
from grants.workflow import TransitionRefused, application_transition, available_transitions
from tests.grants.workflow.conftest import current_dossier_for, prepare, upload_document

# The table of product.md, written out: transition -> (sources, target).
TABLE = {
    "start": (["draft"], "preparing"),
    "request_review": (["preparing"], "internal_review"),
    "return_for_changes": (["internal_review"], "preparing"),
    "approve_review": (["internal_review"], "ready"),
    "submit": (["ready"], "submitted"),
    "start_review": (["submitted"], "under_review"),
    "request_supplement": (["submitted", "under_review"], "supplement_requested"),
    "resubmit": (["supplement_requested"], "under_review"),
    "approve": (["under_review"], "approved"),
    "reject": (["submitted", "under_review"], "rejected"),
    "disburse": (["approved", "funded"], "funded"),
    "close": (["funded"], "closed"),
    "withdraw": (
        [
            "draft",
            "preparing",
            "internal_review",
            "ready",
            "submitted",
            "under_review",
            "supplement_requested",
        ],
        "withdrawn",
    ),
}
ALLOWED = [(name, source) for name, (sources, _) in TABLE.items() for source in sources]
REFUSED = [
    (name, state)
    for name, (sources, _) in TABLE.items()
    for state in State.values
    if state not in sources
]


@pytest.mark.parametrize(("name", "source"), ALLOWED)
def test_it_performs_each_transition_from_each_source(cast, make_app, name, source):
    application = make_app(source)
    fields = prepare(application, name)
    result = application_transition(
        application=application, name=name, actor=cast.consultant, **fields
    )
    assert result.state == TABLE[name][1]
    application.refresh_from_db()
    assert application.state == TABLE[name][1]
    log = TransitionLog.objects.get(application=application)
    assert (log.transition, log.from_state, log.to_state) == (name, source, TABLE[name][1])
    assert log.actor == cast.consultant
    assert log.comment == fields.get("comment", "")


@pytest.mark.parametrize(("name", "state"), REFUSED)
def test_it_refuses_a_transition_from_every_other_state_with_409(cast, make_app, name, state):
    application = make_app(state)
    fields = prepare(application, name)
    with pytest.raises(Conflict) as refused:
        application_transition(application=application, name=name, actor=cast.admin, **fields)
    assert refused.value.conflict_code == "transition_not_allowed"
    application.refresh_from_db()
    assert application.state == state
    assert not TransitionLog.objects.filter(application=application).exists()


@pytest.mark.parametrize(("name", "source"), ALLOWED)
def test_it_refuses_clients_with_403(cast, make_app, name, source):
    application = make_app(source)
    fields = prepare(application, name)
    with pytest.raises(PermissionDenied):
        application_transition(application=application, name=name, actor=cast.client_user, **fields)
    application.refresh_from_db()
    assert application.state == source
    assert not TransitionLog.objects.exists()


def refuse(application, name, actor, **fields) -> TransitionRefused:
    state, logged = application.state, TransitionLog.objects.count()
    with pytest.raises(TransitionRefused) as refused:
        application_transition(application=application, name=name, actor=actor, **fields)
    application.refresh_from_db()
    assert application.state == state
    assert TransitionLog.objects.count() == logged
    return refused.value


def test_request_review_reports_every_failing_reason_at_once(cast, make_app):
    application = make_app("preparing", requested_amount=Decimal("900000.00"))
    upload_document(application, "licence")
    refused = refuse(application, "request_review", cast.consultant)
    text = " ".join(refused.reasons)
    assert "Required document missing: Service contract." in text
    assert "Business licence" not in text
    assert "more than the current estimate" in text and "¥600,000.00" in text


def test_request_review_refuses_a_zero_requested_amount(cast, make_app):
    application = make_app("preparing", requested_amount=Decimal("0"))
    prepare(application, "request_review")
    refused = refuse(application, "request_review", cast.consultant)
    assert refused.reasons == ["The requested amount must be more than 0."]


def test_request_review_refuses_a_project_without_eligible_costs(cast, make_app, project):
    project.costs.all().delete()
    application = make_app("preparing")
    prepare(application, "request_review")
    refused = refuse(application, "request_review", cast.consultant)
    assert any("basis is 0" in r for r in refused.reasons)


@pytest.mark.parametrize("name", ["return_for_changes", "reject", "withdraw"])
def test_it_refuses_a_step_that_needs_a_comment_without_one(cast, make_app, name):
    application = make_app(TABLE[name][0][-1])
    refused = refuse(application, name, cast.consultant, comment="   ")
    assert refused.field_reasons == {"comment": ["A comment is required for this step."]}


def test_four_eyes_rule_refuses_the_requester_as_approver(cast, make_app):
    cast.org.require_second_reviewer = True
    cast.org.save()
    application = make_app("preparing")
    prepare(application, "request_review")
    application_transition(application=application, name="request_review", actor=cast.consultant)
    application.refresh_from_db()
    refused = refuse(application, "approve_review", cast.consultant)
    assert "second reviewer" in refused.reasons[0]
    approved = application_transition(
        application=application, name="approve_review", actor=cast.admin
    )
    assert approved.state == "ready"


def test_submit_needs_a_current_dossier(cast, make_app):
    application = make_app("ready")
    refused = refuse(application, "submit", cast.consultant)
    assert "Generate the dossier first" in refused.reasons[0]


def test_submit_refuses_a_dossier_older_than_the_last_upload(cast, make_app):
    application = make_app("ready")
    dossier = current_dossier_for(application)
    Dossier.objects.filter(pk=dossier.pk).update(
        generated_at=timezone.now() - dt.timedelta(hours=1)
    )
    upload_document(application, "licence")
    refused = refuse(application, "submit", cast.consultant)
    assert "Generate the dossier first" in refused.reasons[0]


def test_submit_refuses_after_the_call_deadline(cast, make_app, programme):
    from tests.factories import CallFactory

    call = CallFactory(
        programme=programme,
        opens_at=timezone.now() - dt.timedelta(days=30),
        deadline=timezone.now() - dt.timedelta(days=1),
    )
    application = make_app("ready", call=call)
    current_dossier_for(application)
    refused = refuse(application, "submit", cast.consultant)
    assert refused.reasons[0].startswith("The call closed on")


def test_submit_freezes_the_copy_of_record_and_logs_it(cast, make_app):
    application = make_app("ready")
    dossier = current_dossier_for(application)
    application_transition(
        application=application, name="submit", actor=cast.consultant, submission_ref=" R-1 "
    )
    dossier.refresh_from_db()
    application.refresh_from_db()
    assert dossier.is_copy_of_record and dossier.frozen_at
    assert application.submission_ref == "R-1" and application.submitted_at
    log = TransitionLog.objects.get(application=application)
    assert log.data == {"submission_ref": "R-1", "copy_of_record": dossier.pk}


def test_request_supplement_needs_a_future_deadline(cast, make_app):
    application = make_app("under_review")
    refused = refuse(application, "request_supplement", cast.consultant)
    assert refused.field_reasons == {"supplement_deadline": ["Give the supplement deadline."]}
    past = timezone.now() - dt.timedelta(minutes=1)
    refused = refuse(application, "request_supplement", cast.consultant, supplement_deadline=past)
    assert refused.field_reasons["supplement_deadline"] == [
        "The supplement deadline must be in the future."
    ]


def test_resubmit_is_refused_after_the_supplement_deadline(cast, make_app):
    application = make_app(
        "supplement_requested", supplement_deadline=timezone.now() - dt.timedelta(hours=1)
    )
    refused = refuse(application, "resubmit", cast.consultant)
    assert refused.reasons[0].startswith("The supplement deadline passed on")


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (None, "Give the approved amount."),
        ("abc", "Give the approved amount."),
        (Decimal("0"), "The approved amount must be more than 0."),
        (Decimal("1000000.01"), "The approved amount may not exceed the programme cap"),
    ],
)
def test_approve_checks_the_approved_amount(cast, make_app, amount, message):
    application = make_app("under_review")
    refused = refuse(application, "approve", cast.consultant, approved_amount=amount)
    assert refused.field_reasons["approved_amount"][0].startswith(message)


def test_approve_records_the_amount(cast, make_app):
    application = make_app("under_review")
    application_transition(
        application=application,
        name="approve",
        actor=cast.consultant,
        approved_amount="450000.005",
    )
    application.refresh_from_db()
    assert application.approved_amount == Decimal("450000.01")
    assert TransitionLog.objects.get().data == {"approved_amount": "450000.01"}


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (None, "Give the amount received."),
        (Decimal("-5"), "The amount must be more than 0."),
        (Decimal("400000.01"), "¥400,000.01 would bring the total received to ¥400,000.01"),
    ],
)
def test_disburse_checks_the_amount(cast, make_app, amount, message):
    application = make_app("approved")
    refused = refuse(application, "disburse", cast.consultant, amount=amount)
    assert refused.field_reasons["amount"][0].startswith(message)
    assert not Disbursement.objects.exists()


def test_disburse_refuses_a_payment_date_in_the_future(cast, make_app):
    application = make_app("approved")
    refused = refuse(
        application,
        "disburse",
        cast.consultant,
        amount=Decimal("1"),
        paid_on=timezone.localdate() + dt.timedelta(days=1),
    )
    assert refused.field_reasons == {"paid_on": ["The date paid cannot be in the future."]}


def test_disbursements_accumulate_until_fully_paid_then_close(cast, make_app):
    application = make_app("approved")
    for amount in ("150000.00", "250000.00"):
        application = application_transition(
            application=application, name="disburse", actor=cast.consultant, amount=amount
        )
    assert application.state == "funded"
    assert application.disbursed_amount == Decimal("400000.00")
    payments = list(Disbursement.objects.order_by("pk").values_list("amount", "paid_on"))
    assert payments == [
        (Decimal("150000.00"), timezone.localdate()),
        (Decimal("250000.00"), timezone.localdate()),
    ]
    assert all(d.log_id for d in Disbursement.objects.all())
    closed = application_transition(application=application, name="close", actor=cast.admin)
    assert closed.state == "closed"


def test_close_is_refused_while_partly_paid(cast, make_app):
    application = make_app("funded", disbursed_amount=Decimal("100000.00"))
    refused = refuse(application, "close", cast.consultant)
    assert refused.reasons == ["Not fully paid: ¥100,000.00 of ¥400,000.00 received."]


def test_a_stale_copy_of_the_application_gets_a_409_concurrent_update(cast, make_app):
    application = make_app("draft")
    stale = type(application).objects.get(pk=application.pk)
    application_transition(application=application, name="start", actor=cast.consultant)
    with pytest.raises(Conflict) as conflict:
        application_transition(
            application=stale, name="withdraw", actor=cast.consultant, comment="x"
        )
    assert conflict.value.conflict_code == "concurrent_update"
    assert TransitionLog.objects.count() == 1


def test_the_state_cannot_be_assigned_directly(make_app):
    application = make_app("draft")
    with pytest.raises(AttributeError):
        application.state = "approved"


def test_available_transitions_follow_state_and_role(cast, make_app):
    application = make_app("under_review")
    assert available_transitions(application, cast.consultant) == [
        "request_supplement",
        "approve",
        "reject",
        "withdraw",
    ]
    assert available_transitions(application, cast.client_user) == []
    assert available_transitions(application, cast.outsider) == []


def test_a_transition_bumps_updated_at(cast, make_app):
    application = make_app("draft")
    before = application.updated_at
    application_transition(application=application, name="start", actor=cast.consultant)
    application.refresh_from_db()
    assert application.updated_at > before
