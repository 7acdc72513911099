"""The "waiting on someone" lists: ordered, counted and cut in the database, for any number."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from grants.models import TransitionLog
from grants.reports.selectors import waiting_on_someone
from tests.factories import DocumentSlotFactory, ProgrammeFactory
from tests.grants.dashboard.conftest import make_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme():
    programme = ProgrammeFactory(code="waiting_voucher")
    DocumentSlotFactory(programme=programme, code="licence", required=True)
    return programme


def test_each_list_is_ordered_cut_at_the_limit_and_counted_in_full(cast, programme):
    now = timezone.now()
    reviews = []
    for i in range(5):
        application = make_application(cast.company, programme, "internal_review", "100")
        TransitionLog.objects.create(
            application=application,
            from_state="preparing",
            to_state="internal_review",
            transition="request_review",
            actor=cast.consultant,
            at=now - dt.timedelta(days=10 - i * 2 if i != 3 else 20),  # the 4th waits longest
        )
        reviews.append(application)
    supplements = [
        make_application(
            cast.company,
            programme,
            "supplement_requested",
            "100",
            supplement_deadline=now + dt.timedelta(days=days) if days else None,
        )
        for days in (9, None, 2, 5)
    ]
    drafts = [make_application(cast.other_company, programme, "draft", "100") for _ in range(4)]
    make_application(cast.foreign_company, programme, "draft", "100")  # another organisation

    waiting = waiting_on_someone(cast.consultant, limit=3)

    assert waiting.in_review_count == 5
    assert waiting.in_review == [reviews[3], reviews[0], reviews[1]]
    assert waiting.supplements_count == 4
    assert waiting.supplements == [supplements[2], supplements[3], supplements[0]]
    assert waiting.missing_documents_count == 4
    assert [a for a, _missing in waiting.missing_documents] == drafts[:3]
    assert all([s.code for s in slots] == ["licence"] for _a, slots in waiting.missing_documents)


def test_nothing_waiting_counts_zero(cast, programme):
    make_application(cast.company, programme, "submitted", "100")
    waiting = waiting_on_someone(cast.consultant)
    assert (waiting.in_review_count, waiting.supplements_count) == (0, 0)
    assert waiting.missing_documents == [] and waiting.missing_documents_count == 0
