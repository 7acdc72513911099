"""The transition log and the disbursements record what happened: written once, never changed
or deleted, neither one row at a time nor in bulk."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from grants.models import Disbursement, TransitionLog
from grants.models.applications import ImmutableRowsError
from grants.workflow import application_transition


@pytest.fixture
def paid(cast, make_app):
    """An approved application with one payment recorded through the workflow."""
    application = make_app("approved")
    application_transition(
        application=application,
        name="disburse",
        actor=cast.consultant,
        amount=Decimal("100000.00"),
        paid_on=timezone.localdate(),
    )
    application.refresh_from_db()
    return application


def test_it_refuses_to_update_the_transition_log_in_bulk(paid):
    logs = TransitionLog.objects.filter(application=paid)
    with pytest.raises(ImmutableRowsError):
        logs.update(at=timezone.now() - dt.timedelta(days=30))
    with pytest.raises(ImmutableRowsError):
        paid.log.update(comment="rewritten")
    with pytest.raises(ImmutableRowsError):
        TransitionLog.objects.bulk_update(list(logs), ["comment"])
    assert list(logs.values_list("comment", flat=True)) == [""]


def test_it_refuses_to_delete_the_transition_log_in_bulk(paid):
    with pytest.raises(ImmutableRowsError):
        TransitionLog.objects.filter(application=paid).delete()
    with pytest.raises(ImmutableRowsError):
        paid.log.all().delete()
    assert TransitionLog.objects.filter(application=paid).count() == 1


def test_it_refuses_to_update_or_delete_disbursements_in_bulk(paid):
    with pytest.raises(ImmutableRowsError):
        Disbursement.objects.filter(application=paid).update(amount=Decimal("1.00"))
    with pytest.raises(ImmutableRowsError):
        paid.disbursements.update(amount=Decimal("1.00"))
    with pytest.raises(ImmutableRowsError):
        Disbursement.objects.all().delete()
    assert list(paid.disbursements.values_list("amount", flat=True)) == [Decimal("100000.00")]


def test_it_still_refuses_changes_one_row_at_a_time(paid):
    log = TransitionLog.objects.get(application=paid)
    log.comment = "rewritten"
    with pytest.raises(ImmutableRowsError):
        log.save()
    with pytest.raises(ImmutableRowsError):
        log.delete()
    payment = Disbursement.objects.get(application=paid)
    with pytest.raises(ImmutableRowsError):
        payment.delete()


def test_reading_and_recording_still_work(cast, paid):
    assert TransitionLog.objects.visible_to(cast.consultant).count() == 1
    application_transition(
        application=paid,
        name="disburse",
        actor=cast.consultant,
        **{
            "amount": Decimal("300000.00"),
            "paid_on": timezone.localdate(),
        },
    )
    assert TransitionLog.objects.filter(application=paid).count() == 2
    assert Disbursement.objects.filter(application=paid).count() == 2
