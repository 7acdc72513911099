"""A known data set for the figures: two programmes, the cast's two client companies, and a
foreign organisation's application that must never show."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from grants.models import Application, Programme
from tests.factories import ApplicationFactory, ProgrammeFactory, ProjectFactory
from tests.grants.dashboard.factories import DisbursementFactory, TransitionLogFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
UTC = dt.UTC


def at(year, month, day, hour=10, tz=SHANGHAI) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=tz)


def make_application(company, programme, state, requested, **fields) -> Application:
    project = fields.pop("project", None) or ProjectFactory(company=company)
    return ApplicationFactory(
        project=project,
        programme=programme,
        state=state,
        requested_amount=Decimal(requested),
        **fields,
    )


@dataclass
class Funding:
    voucher: Programme
    compute: Programme
    draft: Application
    submitted: Application
    approved: Application
    funded: Application
    rejected: Application
    preparing: Application
    foreign: Application


@pytest.fixture
def funding(cast) -> Funding:
    voucher = ProgrammeFactory(code="model_voucher", name_en="Model voucher", name_zh="模型券")
    compute = ProgrammeFactory(code="compute_lease", name_en="Compute lease", name_zh="算力券")
    a, b = cast.company, cast.other_company
    draft = make_application(a, voucher, "draft", "100000.00")
    submitted = make_application(a, voucher, "submitted", "200000.00", submitted_at=at(2025, 3, 1))
    approved = make_application(
        a,
        compute,
        "approved",
        "500000.00",
        approved_amount=Decimal("400000.00"),
        submitted_at=at(2025, 1, 15),
    )
    TransitionLogFactory(
        application=approved,
        transition="approve",
        from_state="under_review",
        to_state="approved",
        actor=cast.consultant,
        at=at(2025, 6, 10),
    )
    funded = make_application(
        b,
        voucher,
        "funded",
        "300000.00",
        approved_amount=Decimal("250000.00"),
        disbursed_amount=Decimal("150000.00"),
        submitted_at=at(2024, 11, 20),
    )
    TransitionLogFactory(
        application=funded,
        transition="approve",
        from_state="under_review",
        to_state="approved",
        actor=cast.admin,
        at=at(2025, 1, 5),
    )
    DisbursementFactory(
        application=funded, amount=Decimal("100000.00"), paid_on=dt.date(2025, 2, 1)
    )
    DisbursementFactory(
        application=funded, amount=Decimal("50000.00"), paid_on=dt.date(2026, 1, 10)
    )
    # 2024-12-31 17:00 UTC is 2025-01-01 01:00 in Shanghai: a 2025 submission.
    rejected = make_application(
        b, compute, "rejected", "80000.00", submitted_at=dt.datetime(2024, 12, 31, 17, tzinfo=UTC)
    )
    preparing = make_application(a, compute, "preparing", "60000.00")
    foreign = make_application(
        cast.foreign_company,
        voucher,
        "funded",
        "9000000.00",
        approved_amount=Decimal("8000000.00"),
        disbursed_amount=Decimal("8000000.00"),
        submitted_at=at(2025, 2, 2),
    )
    DisbursementFactory(
        application=foreign, amount=Decimal("8000000.00"), paid_on=dt.date(2025, 4, 1)
    )
    return Funding(
        voucher, compute, draft, submitted, approved, funded, rejected, preparing, foreign
    )
