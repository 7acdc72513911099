"""Builders of plain facts for the pure engine (no database)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from grants.matching import CompanyFacts, CostFacts, ProgrammeRules, ProjectFacts

TODAY = date(2025, 10, 15)


def company(**overrides) -> CompanyFacts:
    values = {"district": "pudong", "tax_credit_rating": "A", "established_on": date(2015, 6, 1)}
    return CompanyFacts(**{**values, **overrides})


def cost(kind="rd_investment", amount="1000000.00", months=None, related_party=False) -> CostFacts:
    return CostFacts(kind, Decimal(amount), months, related_party)


def project(*costs: CostFacts, areas=("large_models",)) -> ProjectFacts:
    return ProjectFacts(frozenset(areas), tuple(costs) or (cost(),))


def programme(**overrides) -> ProgrammeRules:
    values = {
        "code": "critical_tech",
        "basis": "rd_investment",
        "ratio": Decimal("0.30"),
        "cap": Decimal("50000000"),
        "requires_shanghai_registration": True,
        "allowed_tax_ratings": ("A", "B", "M"),
    }
    return ProgrammeRules(**{**values, **overrides})
