"""The matching engine: which programmes a project qualifies for, and for how much.

Pure functions over plain data (no queries), implementing the rules of product.md exactly:
rules give pass / fail / missing; status is ineligible if any rule fails, else incomplete if any
is missing, else eligible. The eligible basis sums the project's cost lines of the programme's
kind, leaving out related-party lines when the programme excludes them and prorating lines
longer than `max_months`. The estimate is ratio × basis, capped, computed in Decimal and
rounded once at the end (ROUND_HALF_UP); an ineligible match estimates 0.00.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from companies.choices import SHANGHAI_DISTRICTS, CostKind, District
from core.money import format_money, format_ratio, to_cents

PASS, FAIL, MISSING = "pass", "fail", "missing"
ELIGIBLE, INCOMPLETE, INELIGIBLE = "eligible", "incomplete", "ineligible"
STATUS_ORDER = {ELIGIBLE: 0, INCOMPLETE: 1, INELIGIBLE: 2}
ZERO = Decimal("0")


@dataclass(frozen=True)
class CompanyFacts:
    district: str = ""
    tax_credit_rating: str = ""
    established_on: date | None = None


@dataclass(frozen=True)
class CostFacts:
    kind: str
    amount: Decimal
    months: int | None = None
    related_party: bool = False


@dataclass(frozen=True)
class ProjectFacts:
    areas: frozenset[str] = frozenset()
    costs: tuple[CostFacts, ...] = ()


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


@dataclass(frozen=True)
class RuleResult:
    rule: str
    result: str
    message: str


@dataclass(frozen=True)
class Basis:
    """The eligible basis and how it was reached (for explanations and the dossier)."""

    amount: Decimal
    lines_counted: int = 0
    related_party_excluded: Decimal = ZERO
    prorated: tuple[tuple[Decimal, int, Decimal], ...] = ()  # (amount, months, counted)


@dataclass(frozen=True)
class Match:
    programme: str
    status: str
    basis: Basis
    uncapped: Decimal
    estimated_subsidy: Decimal
    capped: bool
    rules: tuple[RuleResult, ...] = field(default_factory=tuple)

    @property
    def eligible(self) -> bool:
        return self.status == ELIGIBLE

    @property
    def basis_amount(self) -> Decimal:
        return to_cents(self.basis.amount)


def eligible_basis(project: ProjectFacts, programme: ProgrammeRules) -> Basis:
    total = ZERO
    excluded = ZERO
    counted = 0
    prorated = []
    for cost in project.costs:
        if cost.kind != programme.basis:
            continue
        if programme.exclude_related_party and cost.related_party:
            excluded += cost.amount
            continue
        amount = Decimal(cost.amount)
        if programme.max_months and cost.months and cost.months > programme.max_months:
            share = amount * programme.max_months / cost.months
            prorated.append((amount, cost.months, share))
            amount = share
        total += amount
        counted += 1
    return Basis(total, counted, excluded, tuple(prorated))


def estimate(basis: Decimal, ratio: Decimal, cap: Decimal | None) -> tuple[Decimal, Decimal, bool]:
    """(estimate rounded once, the uncapped product, whether the cap bound)."""
    uncapped = Decimal(ratio) * basis
    capped = cap is not None and uncapped > cap
    return to_cents(cap if capped else uncapped), uncapped, capped


def add_years(start: date, years: int) -> date:
    """The anniversary `years` after `start`; 29 February becomes 1 March in common years."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return date(start.year + years, 3, 1)


def _kind_label(kind: str) -> str:
    try:
        return str(CostKind(kind).label)
    except ValueError:
        return kind


def _district_label(code: str) -> str:
    try:
        return str(District(code).label)
    except ValueError:
        return code


def _names(codes: Iterable[str], labels: Mapping[str, str]) -> str:
    return ", ".join(labels.get(code, code) for code in sorted(codes))


def _rule_shanghai(company: CompanyFacts) -> RuleResult:
    rule = "shanghai_registration"
    if not company.district:
        return RuleResult(
            rule,
            MISSING,
            _("The company's district is not recorded: fill it in on the company profile."),
        )
    if company.district in SHANGHAI_DISTRICTS:
        return RuleResult(
            rule,
            PASS,
            _("Registered in Shanghai (%(district)s).")
            % {"district": _district_label(company.district)},
        )
    return RuleResult(
        rule, FAIL, _("Registered outside Shanghai; this programme requires Shanghai registration.")
    )


def _rule_tax(company: CompanyFacts, allowed: tuple[str, ...]) -> RuleResult:
    rule = "tax_rating"
    allowed_text = ", ".join(allowed)
    if not company.tax_credit_rating:
        return RuleResult(
            rule,
            MISSING,
            _(
                "The company's tax credit rating is not recorded: fill it in on the company "
                "profile (allowed: %(allowed)s)."
            )
            % {"allowed": allowed_text},
        )
    params = {"rating": company.tax_credit_rating, "allowed": allowed_text}
    if company.tax_credit_rating in allowed:
        return RuleResult(
            rule, PASS, _("Tax credit rating %(rating)s is allowed (%(allowed)s).") % params
        )
    return RuleResult(
        rule, FAIL, _("Tax credit rating %(rating)s is not allowed (only %(allowed)s).") % params
    )


def _rule_age(company: CompanyFacts, years: int, today: date) -> RuleResult:
    rule = "company_age"
    if company.established_on is None:
        return RuleResult(
            rule,
            MISSING,
            _(
                "The company's date of establishment is not recorded: fill it in on the company "
                "profile (at least %(years)d years required)."
            )
            % {"years": years},
        )
    params = {"date": company.established_on.isoformat(), "years": years}
    if add_years(company.established_on, years) <= today:
        return RuleResult(
            rule, PASS, _("Established on %(date)s: at least %(years)d years ago.") % params
        )
    return RuleResult(
        rule, FAIL, _("Established on %(date)s: less than the %(years)d years required.") % params
    )


def _rule_area(
    project: ProjectFacts, areas: frozenset[str], labels: Mapping[str, str]
) -> RuleResult:
    rule = "area"
    if not project.areas:
        return RuleResult(
            rule,
            MISSING,
            _(
                "The project has no priority areas: choose them on the project (this programme "
                "supports %(areas)s)."
            )
            % {"areas": _names(areas, labels)},
        )
    shared = project.areas & areas
    if shared:
        return RuleResult(
            rule,
            PASS,
            _("The project's areas include %(areas)s, which this programme supports.")
            % {"areas": _names(shared, labels)},
        )
    return RuleResult(
        rule,
        FAIL,
        _(
            "None of the project's areas (%(project)s) is supported; this programme supports "
            "%(areas)s."
        )
        % {"project": _names(project.areas, labels), "areas": _names(areas, labels)},
    )


def _rule_basis(basis: Basis, programme: ProgrammeRules) -> RuleResult:
    kind = _kind_label(programme.basis)
    if basis.amount > 0:
        message = _("Eligible %(kind)s: %(amount)s.") % {
            "kind": kind,
            "amount": format_money(basis.amount),
        }
        if basis.prorated:
            message += " " + _("Lines longer than %(months)d months count in proportion.") % {
                "months": programme.max_months
            }
        if basis.related_party_excluded:
            message += " " + _("Related-party costs of %(amount)s are left out.") % {
                "amount": format_money(basis.related_party_excluded)
            }
        return RuleResult("basis", PASS, message)
    message = _("No eligible costs of kind %(kind)s.") % {"kind": kind}
    if basis.related_party_excluded:
        message += " " + _(
            "Costs of %(amount)s bought from related parties do not count for this programme."
        ) % {"amount": format_money(basis.related_party_excluded)}
    else:
        message += " " + _("Add a cost line of this kind to the project.")
    return RuleResult("basis", FAIL, message)


def _rule_min_basis(basis: Basis, minimum: Decimal) -> RuleResult:
    params = {"amount": format_money(basis.amount), "minimum": format_money(minimum)}
    if basis.amount >= minimum:
        return RuleResult(
            "min_basis",
            PASS,
            _("The basis of %(amount)s reaches the minimum of %(minimum)s.") % params,
        )
    return RuleResult(
        "min_basis",
        FAIL,
        _("The basis of %(amount)s is below the minimum of %(minimum)s.") % params,
    )


def evaluate(
    company: CompanyFacts,
    project: ProjectFacts,
    programme: ProgrammeRules,
    *,
    today: date,
    area_labels: Mapping[str, str] | None = None,
) -> Match:
    """Apply each rule the programme uses, in the order of product.md."""
    labels = area_labels or {}
    basis = eligible_basis(project, programme)
    rules: list[RuleResult] = []
    if programme.requires_shanghai_registration:
        rules.append(_rule_shanghai(company))
    if programme.allowed_tax_ratings:
        rules.append(_rule_tax(company, programme.allowed_tax_ratings))
    if programme.min_company_age_years is not None:
        rules.append(_rule_age(company, programme.min_company_age_years, today))
    if programme.areas:
        rules.append(_rule_area(project, programme.areas, labels))
    rules.append(_rule_basis(basis, programme))
    if programme.min_basis_amount is not None:
        rules.append(_rule_min_basis(basis, programme.min_basis_amount))

    results = {r.result for r in rules}
    status = INELIGIBLE if FAIL in results else INCOMPLETE if MISSING in results else ELIGIBLE
    amount, uncapped, capped = estimate(basis.amount, programme.ratio, programme.cap)
    if status == INELIGIBLE:
        amount = to_cents(ZERO)
    return Match(programme.code, status, basis, uncapped, amount, capped, tuple(rules))


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
    matches = [
        evaluate(company, project, programme, today=today, area_labels=area_labels)
        for programme in programmes
    ]
    return sorted(matches, key=sort_key)


def explain_formula(match: Match, programme: ProgrammeRules) -> str:
    """The calculation in words: basis × ratio, capped, = estimate."""
    text = _("%(ratio)s × %(basis)s = %(product)s") % {
        "ratio": format_ratio(programme.ratio),
        "basis": format_money(match.basis.amount),
        "product": format_money(match.uncapped),
    }
    if match.capped:
        text += "; " + _("capped at %(cap)s") % {"cap": format_money(programme.cap)}
    return text
