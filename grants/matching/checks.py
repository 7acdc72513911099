"""One check per rule, shared by the status (`evaluate`, `outcomes`) and the explanations."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from companies.choices import SHANGHAI_DISTRICTS
from grants.matching.arithmetic import Basis, add_years
from grants.matching.facts import (
    ELIGIBLE,
    FAIL,
    INCOMPLETE,
    INELIGIBLE,
    MISSING,
    PASS,
    CompanyFacts,
    ProgrammeRules,
    ProjectFacts,
)

if TYPE_CHECKING:
    from grants.matching.explanations import RuleResult


def check_shanghai_registration(company: CompanyFacts) -> str:
    if not company.district:
        return MISSING
    return PASS if company.district in SHANGHAI_DISTRICTS else FAIL


def check_tax_rating(company: CompanyFacts, allowed: tuple[str, ...]) -> str:
    if not company.tax_credit_rating:
        return MISSING
    return PASS if company.tax_credit_rating in allowed else FAIL


def check_company_age(company: CompanyFacts, years: int, today: date) -> str:
    if company.established_on is None:
        return MISSING
    return PASS if add_years(company.established_on, years) <= today else FAIL


def check_area(project: ProjectFacts, areas: frozenset[str]) -> str:
    if not project.areas:
        return MISSING
    return PASS if project.areas & areas else FAIL


def check_basis(basis: Basis) -> str:
    return PASS if basis.numerator > 0 else FAIL


def check_min_basis(basis: Basis, programme: ProgrammeRules) -> str:
    mn, md = programme.min_basis_exact
    return PASS if basis.numerator * md >= mn * basis.denominator else FAIL


def decide_status(
    company: CompanyFacts,
    project: ProjectFacts,
    programme: ProgrammeRules,
    basis: Basis,
    today: date,
) -> str:
    """The status the rules give, checking the cheapest decisive ones first."""
    if basis.numerator <= 0:
        return INELIGIBLE  # the basis rule fails
    if programme.min_basis_amount is not None and check_min_basis(basis, programme) == FAIL:
        return INELIGIBLE
    missing = False
    if programme.requires_shanghai_registration:
        result = check_shanghai_registration(company)
        if result == FAIL:
            return INELIGIBLE
        missing = result == MISSING
    if programme.allowed_tax_ratings:
        result = check_tax_rating(company, programme.allowed_tax_ratings)
        if result == FAIL:
            return INELIGIBLE
        missing = missing or result == MISSING
    if programme.min_company_age_years is not None:
        result = check_company_age(company, programme.min_company_age_years, today)
        if result == FAIL:
            return INELIGIBLE
        missing = missing or result == MISSING
    if programme.areas:
        result = check_area(project, programme.areas)
        if result == FAIL:
            return INELIGIBLE
        missing = missing or result == MISSING
    return INCOMPLETE if missing else ELIGIBLE


def status_of(rules: Iterable[RuleResult]) -> str:
    """The status product.md gives a list of rule results."""
    results = {rule.result for rule in rules}
    return INELIGIBLE if FAIL in results else INCOMPLETE if MISSING in results else ELIGIBLE
