"""The words and the plain data the engine reads: statuses, rule names, labels and facts.

Facts are built by `grants.selectors` from the database; the engine never queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import NamedTuple

from django.utils.translation import gettext_lazy

PASS, FAIL, MISSING = "pass", "fail", "missing"
ELIGIBLE, INCOMPLETE, INELIGIBLE = "eligible", "incomplete", "ineligible"
STATUSES = (ELIGIBLE, INCOMPLETE, INELIGIBLE)
STATUS_ORDER = {ELIGIBLE: 0, INCOMPLETE: 1, INELIGIBLE: 2}
RULES = ("shanghai_registration", "tax_rating", "company_age", "area", "basis", "min_basis")
# Which record a rule reads, i.e. what to edit when it fails or misses data.
RULE_SUBJECT = {
    "shanghai_registration": "company",
    "tax_rating": "company",
    "company_age": "company",
    "area": "project",
    "basis": "project",
    "min_basis": "project",
}
RULE_LABELS = {
    "shanghai_registration": gettext_lazy("Shanghai registration"),
    "tax_rating": gettext_lazy("Tax credit rating"),
    "company_age": gettext_lazy("Company age"),
    "area": gettext_lazy("Priority area"),
    "basis": gettext_lazy("Eligible costs"),
    "min_basis": gettext_lazy("Minimum basis"),
}
STATUS_LABELS = {
    ELIGIBLE: gettext_lazy("Eligible"),
    INCOMPLETE: gettext_lazy("Incomplete"),
    INELIGIBLE: gettext_lazy("Ineligible"),
}
RESULT_LABELS = {
    PASS: gettext_lazy("Passed"),
    FAIL: gettext_lazy("Failed"),
    MISSING: gettext_lazy("Missing data"),
}

Ratio = tuple[int, int]  # an exact non-negative rational: (numerator, denominator > 0)


def _decimal(value, name: str) -> Decimal:
    if isinstance(value, float):
        raise TypeError(f"{name} must be a Decimal, not a float ({value!r})")
    return value if isinstance(value, Decimal) else Decimal(value)


@dataclass(frozen=True)
class CompanyFacts:
    district: str = ""
    tax_credit_rating: str = ""
    established_on: date | None = None


class CostFacts(NamedTuple):
    kind: str
    amount: Decimal
    months: int | None = None
    related_party: bool = False


@dataclass(frozen=True)
class ProjectFacts:
    areas: frozenset[str] = frozenset()
    costs: tuple[CostFacts, ...] = ()

    @cached_property
    def costs_by_kind(self) -> dict[str, tuple[CostFacts, ...]]:
        grouped: dict[str, list[CostFacts]] = {}
        for cost in self.costs:
            grouped.setdefault(cost.kind, []).append(cost)
        return {kind: tuple(lines) for kind, lines in grouped.items()}


@dataclass(frozen=True)
class ProgrammeRules:
    code: str
    basis: str
    ratio: Decimal
    cap: Decimal | None = None
    max_months: int | None = None
    areas: frozenset[str] = frozenset()
    exclude_related_party: bool = False
    requires_shanghai_registration: bool = False
    allowed_tax_ratings: tuple[str, ...] = ()
    min_company_age_years: int | None = None
    min_basis_amount: Decimal | None = None

    def __post_init__(self) -> None:
        # Money and ratios are Decimal; a float here would already have lost the cent.
        set_ = object.__setattr__
        set_(self, "ratio", _decimal(self.ratio, "ratio"))
        if self.cap is not None:
            set_(self, "cap", _decimal(self.cap, "cap"))
        if self.min_basis_amount is not None:
            set_(self, "min_basis_amount", _decimal(self.min_basis_amount, "min_basis_amount"))
        set_(self, "areas", frozenset(self.areas))
        set_(self, "allowed_tax_ratings", tuple(self.allowed_tax_ratings))

    @cached_property
    def ratio_exact(self) -> Ratio:
        return self.ratio.as_integer_ratio()

    @cached_property
    def cap_exact(self) -> Ratio | None:
        return None if self.cap is None else self.cap.as_integer_ratio()

    @cached_property
    def min_basis_exact(self) -> Ratio | None:
        return None if self.min_basis_amount is None else self.min_basis_amount.as_integer_ratio()
