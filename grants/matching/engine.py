"""Evaluating programmes for a project: one match, the bulk outcomes, the ordering and totals.

`evaluate` decides the status from cheap checks (a project without costs of the programme's
kind is ineligible at once) and builds the rule messages only when `Match.rules` is read, in
the language active then; `outcomes` gives status and estimate only, for boards of thousands.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from grants.matching.arithmetic import (
    NO_BASIS,
    ZERO,
    ZERO_CENTS,
    Basis,
    cents,
    eligible_basis,
    estimate,
)
from grants.matching.checks import decide_status
from grants.matching.explanations import RuleResult, explain_rules
from grants.matching.facts import (
    ELIGIBLE,
    INELIGIBLE,
    STATUS_LABELS,
    STATUS_ORDER,
    CompanyFacts,
    ProgrammeRules,
    ProjectFacts,
    Ratio,
)


@dataclass(slots=True, eq=False)
class Match:
    """One programme evaluated for one project. `rules` are explained on first read."""

    programme: str
    status: str
    basis: Basis
    estimated_subsidy: Decimal
    capped: bool = False
    uncapped_exact: Ratio = (0, 1)
    _rules_of: ProgrammeRules | None = field(default=None, repr=False)
    _context: tuple | None = field(default=None, repr=False)  # (company, project, today, labels)
    _rules: tuple[RuleResult, ...] | None = field(default=None, repr=False)

    @property
    def eligible(self) -> bool:
        return self.status == ELIGIBLE

    @property
    def basis_amount(self) -> Decimal:
        """The basis rounded to the cent, as shown and as the API returns it."""
        return self.basis.rounded

    @property
    def uncapped(self) -> Fraction:
        """ratio × basis, exactly, before the cap."""
        return Fraction(*self.uncapped_exact)

    @property
    def uncapped_amount(self) -> Decimal:
        return cents(*self.uncapped_exact)

    @property
    def rules(self) -> tuple[RuleResult, ...]:
        if self._rules is None:
            if self._context is None:
                self._rules = ()
            else:
                company, project, today, labels = self._context
                self._rules = explain_rules(
                    company, project, self._rules_of, self.basis, today, labels
                )
        return self._rules

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


def evaluate(
    company: CompanyFacts,
    project: ProjectFacts,
    programme: ProgrammeRules,
    *,
    today: date,
    area_labels: Mapping[str, str] | None = None,
    _context: tuple | None = None,
) -> Match:
    """One programme for one project: status, basis and estimate; rules explained on demand."""
    context = _context or (company, project, today, area_labels)
    basis = eligible_basis(project, programme)
    if basis is NO_BASIS:  # no cost of the programme's kind: the basis rule fails
        return Match(
            programme.code, INELIGIBLE, basis, ZERO_CENTS, False, (0, 1), programme, context
        )
    status = decide_status(company, project, programme, basis, today)
    amount, uncapped, capped = estimate(basis, programme)
    if status == INELIGIBLE:
        amount = ZERO_CENTS
    return Match(programme.code, status, basis, amount, capped, uncapped, programme, context)


class Outcome(NamedTuple):
    """Status and estimate only: what a board of thousands of projects needs."""

    programme: str
    status: str
    estimated_subsidy: Decimal


class ProgrammeSet:
    """Programmes grouped by basis kind, for matching many projects against the same set."""

    def __init__(self, programmes: Iterable[ProgrammeRules]):
        self.programmes = list(programmes)
        self.by_kind: dict[str, list[ProgrammeRules]] = {}
        for programme in self.programmes:
            self.by_kind.setdefault(programme.basis, []).append(programme)

    def __len__(self) -> int:
        return len(self.programmes)


def outcomes(
    company: CompanyFacts,
    project: ProjectFacts,
    programmes: ProgrammeSet,
    *,
    today: date,
    with_ineligible: bool = True,
) -> list[Outcome]:
    """`evaluate`'s status and estimate for each programme, without building matches.

    The same checks, basis and estimate as `evaluate`, for bulk use. Programmes whose cost kind
    the project does not have are ineligible at once (the basis rule fails); with
    `with_ineligible=False` only the eligible and incomplete outcomes are returned, in no
    particular order (the caller counts the rest as `len(programmes) - len(result)`).
    """
    by_kind = project.costs_by_kind
    result = []
    for kind, group in programmes.by_kind.items():
        if kind not in by_kind:
            if with_ineligible:
                result.extend(Outcome(p.code, INELIGIBLE, ZERO_CENTS) for p in group)
            continue
        for programme in group:
            basis = eligible_basis(project, programme)
            status = decide_status(company, project, programme, basis, today)
            if status != INELIGIBLE:
                result.append(Outcome(programme.code, status, estimate(basis, programme)[0]))
            elif with_ineligible:
                result.append(Outcome(programme.code, INELIGIBLE, ZERO_CENTS))
    return result


def sort_key(match: Match) -> tuple:
    return (STATUS_ORDER[match.status], -match.estimated_subsidy, match.programme)


def match_project(
    company: CompanyFacts,
    project: ProjectFacts,
    programmes: Iterable[ProgrammeRules],
    *,
    today: date,
    area_labels: Mapping[str, str] | None = None,
) -> list[Match]:
    """Every programme evaluated, ordered eligible, incomplete, ineligible; estimate; code."""
    context = (company, project, today, area_labels)  # shared by the project's matches
    matches = [
        evaluate(company, project, programme, today=today, _context=context)
        for programme in programmes
    ]
    matches.sort(key=sort_key)
    return matches


def best_total(
    matches: Iterable[tuple[str, Match]], statuses: tuple[str, ...] = (ELIGIBLE,)
) -> Decimal:
    """The most one project can receive: per cost kind, the best eligible estimate.

    A cost kind that funds one live application cannot fund another of the same project
    (product.md, "No double funding"), so programmes on the same basis do not add up.
    `matches` are (basis kind, match) pairs of one project; `statuses` which matches count
    (eligible only, or eligible and incomplete for "once the missing data is filled in").
    """
    best: dict[str, Decimal] = {}
    for kind, match in matches:
        if match.status in statuses and match.estimated_subsidy > best.get(kind, ZERO):
            best[kind] = match.estimated_subsidy
    return sum(best.values(), ZERO_CENTS)
