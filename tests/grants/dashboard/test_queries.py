"""The number of queries of every page and export does not grow with the number of rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import panels
from grants.models import DocumentSlot
from grants.views import dashboard
from tests.factories import ProgrammeFactory
from tests.grants.dashboard.conftest import at, make_application
from tests.grants.dashboard.factories import (
    ActivityFactory,
    DisbursementFactory,
    DocumentFactory,
    TransitionLogFactory,
)

STATES = (
    "preparing",
    "supplement_requested",
    "internal_review",
    "funded",
    "draft",
    "submitted",
    "approved",
)


def populate(cast, n: int, *, start: int = 0) -> None:
    """n more applications over every state that a panel treats differently, with their rows."""
    programmes = [
        ProgrammeFactory(code="model_voucher", name_en="Model voucher", name_zh="模型券"),
        ProgrammeFactory(code="compute_lease", name_en="Compute lease", name_zh="算力券"),
    ]
    for programme in programmes:
        for code in ("licence", "plan"):
            DocumentSlot.objects.get_or_create(
                programme=programme, code=f"{programme.code}_{code}", defaults={"name_en": code}
            )
    companies = [cast.company, cast.company, cast.other_company]
    for index in range(start, start + n):
        state = STATES[index % len(STATES)]
        company = companies[index % len(companies)]
        programme = programmes[index % 2]
        application = make_application(
            company,
            programme,
            state,
            "100000.00",
            assignee=cast.consultant,
            submitted_at=at(2025, 1 + index % 12, 1)
            if state not in ("draft", "preparing")
            else None,
            approved_amount=Decimal("80000.00") if state in ("approved", "funded") else None,
            disbursed_amount=Decimal("50000.00") if state == "funded" else Decimal("0"),
            supplement_deadline=at(2030, 1, 1) if state == "supplement_requested" else None,
        )
        DocumentFactory(application=application, slot=programme.document_slots.first())
        TransitionLogFactory(
            application=application,
            transition="start",
            actor=cast.consultant,
            at=at(2025, 1, 1) + dt.timedelta(hours=index),
        )
        if state == "funded":
            DisbursementFactory(application=application, amount=Decimal("50000.00"))
        ActivityFactory(
            company=company,
            actor=cast.admin,
            object_type="project",
            object_label=f"项目 {index}",
            at=at(2025, 2, 1) + dt.timedelta(hours=index),
        )


# path, user, and the queries it takes with this area's panels only (the home page also shows
# other areas' panels, whose queries test_the_whole_page_stays_flat covers).
CASES = {
    # 12 for the figures, 6 for the potential support (the opportunities board, matched in bulk).
    "consultant home": ("consultant", "/", 18),
    "client home": ("client_user", "/", 9),
    "funding report": ("consultant", "/reports/?year=2025", 10),
    "applications report": ("consultant", "/reports/applications/?assignee=carol_consultant", 10),
    "applications csv": ("consultant", "/reports/applications.csv", 5),
    "applications xlsx": ("consultant", "/reports/applications.xlsx?state=funded", 5),
    "funding csv": ("consultant", "/reports/funding.csv", 6),
    "funding xlsx": ("consultant", "/reports/funding.xlsx?programme=model_voucher", 7),
    "activity log": ("consultant", "/activity/", 11),
}


@pytest.fixture
def dashboard_panels_only(monkeypatch):
    mine = [e for e in panels._panels["home"] if e.panel.__module__ == dashboard.__name__]
    monkeypatch.setitem(panels._panels, "home", mine)


@pytest.mark.parametrize("n", [1, 40])
@pytest.mark.parametrize("case", CASES)
def test_queries_stay_flat(
    login, cast, django_assert_max_num_queries, dashboard_panels_only, n, case
):
    role, path, limit = CASES[case]
    populate(cast, n)
    client = login(getattr(cast, role))
    with django_assert_max_num_queries(limit):
        response = client.get(path)
    assert response.status_code == 200


@pytest.mark.parametrize("role", ["consultant", "client_user"])
def test_the_whole_home_page_stays_flat(login, cast, role):
    client = login(getattr(cast, role))
    populate(cast, 1)
    cache.clear()  # measure a full render, not the per-user page cache
    with CaptureQueriesContext(connection) as one:
        assert client.get("/").status_code == 200
    populate(cast, 39, start=1)
    cache.clear()
    with CaptureQueriesContext(connection) as forty:
        assert client.get("/").status_code == 200
    assert len(forty.captured_queries) == len(one.captured_queries)
