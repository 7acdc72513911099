"""The matching engine: which programmes a project qualifies for, and for how much.

Pure functions over plain data (no queries), implementing the rules of product.md exactly:

- each rule the programme uses gives pass / fail / missing, in the order of product.md
  (Shanghai registration, tax rating, company age, area, basis, minimum basis);
- status is ineligible if any rule fails, else incomplete if any is missing, else eligible;
- the eligible basis sums the project's cost lines of the programme's kind, leaving out
  related-party lines when the programme excludes them; a line with more months than
  `max_months` counts `amount × max_months / months`;
- the estimate is `ratio × basis`, capped at `cap`, computed exactly and rounded once, at the
  end, to 0.01 with ROUND_HALF_UP; an ineligible match estimates 0.00.

Exactness: amounts, ratios and caps are `Decimal` (a float is refused). Prorating divides, and
`amount × 12 / 36` has no finite decimal, so the engine computes with exact fractions: each
Decimal becomes an integer ratio (`Decimal.as_integer_ratio`, exact), sums and products stay
integer ratios, and the only rounding is the last one, to the cent, half up. (Plain integers
rather than `fractions.Fraction` because matching ten thousand projects makes hundreds of
thousands of these operations; `Basis.exact` and `Match.uncapped` give Fractions for reading.)

Speed: `evaluate` decides the status from cheap checks (a project without costs of the
programme's kind is ineligible at once) and builds the rule messages only when `Match.rules` is
read, in the language active then. Matching thousands of projects for the opportunities page
builds no message at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import NamedTuple

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from companies.choices import SHANGHAI_DISTRICTS, CostKind, District
from core.money import format_money, format_ratio

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

ZERO = Decimal("0")
ZERO_CENTS = Decimal("0.00")

Ratio = tuple[int, int]  # an exact non-negative rational: (numerator, denominator > 0)


def _decimal(value, name: str) -> Decimal:
    if isinstance(value, float):
        raise TypeError(f"{name} must be a Decimal, not a float ({value!r})")
    return value if isinstance(value, Decimal) else Decimal(value)


def cents(numerator: int, denominator: int) -> Decimal:
    """numerator / denominator rounded once to 0.01, halves away from zero (ROUND_HALF_UP)."""
    if numerator >= 0:
        whole = (200 * numerator + denominator) // (2 * denominator)
    else:
        whole = -((-200 * numerator + denominator) // (2 * denominator))
    return Decimal(whole).scaleb(-2)


def round_cents(value: Decimal | Fraction) -> Decimal:
    """Any exact value rounded once to the cent, half up."""
    return cents(*value.as_integer_ratio())


# --- the facts -----------------------------------------------------------------------------


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


# --- the results ---------------------------------------------------------------------------


class RuleResult(NamedTuple):
    rule: str
    result: str
    message: str

    @property
    def subject(self) -> str:
        """'company' or 'project': the record to edit to change this result."""
        return RULE_SUBJECT[self.rule]

    @property
    def label(self) -> str:
        return str(RULE_LABELS[self.rule])


class ProratedLine(NamedTuple):
    amount: Decimal
    months: int
    counted: Fraction


class Basis(NamedTuple):
    """The eligible basis, exactly (numerator / denominator), and how it was reached."""

    numerator: int
    denominator: int = 1
    lines_counted: int = 0
    related_party_excluded: Decimal = ZERO
    prorated: tuple[ProratedLine, ...] = ()

    @property
    def exact(self) -> Fraction:
        return Fraction(self.numerator, self.denominator)

    @property
    def amount(self) -> Decimal:
        """The basis as a Decimal (exact unless a prorated share has no finite decimal)."""
        return Decimal(self.numerator) / Decimal(self.denominator)

    @property
    def rounded(self) -> Decimal:
        return cents(self.numerator, self.denominator)


NO_BASIS = Basis(0)


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


# --- arithmetic ---------------------------------------------------------------------------


def eligible_basis(project: ProjectFacts, programme: ProgrammeRules) -> Basis:
    """Sum of the project's lines of the programme's kind, as product.md defines it, exactly."""
    lines = project.costs_by_kind.get(programme.basis)
    if not lines:
        return NO_BASIS
    num, den = 0, 1
    excluded = ZERO
    counted = 0
    prorated: list[ProratedLine] = []
    max_months = programme.max_months
    for cost in lines:
        if cost.related_party and programme.exclude_related_party:
            excluded += cost.amount
            continue
        counted += 1
        n, d = cost.amount.as_integer_ratio()
        if max_months and cost.months and cost.months > max_months:
            n, d = n * max_months, d * cost.months  # amount × max_months / months
            prorated.append(ProratedLine(cost.amount, cost.months, Fraction(n, d)))
        if d == den:
            num += n
        else:
            num, den = num * d + n * den, den * d
    return Basis(num, den, counted, excluded, tuple(prorated))


def estimate(basis: Basis, programme: ProgrammeRules) -> tuple[Decimal, Ratio, bool]:
    """(the estimate rounded once, ratio × basis exactly, whether the cap bound)."""
    rn, rd = programme.ratio_exact
    un, ud = basis.numerator * rn, basis.denominator * rd
    cap = programme.cap_exact
    if cap is not None and un * cap[1] > cap[0] * ud:
        return cents(*cap), (un, ud), True
    return cents(un, ud), (un, ud), False


def add_years(start: date, years: int) -> date:
    """The date `years` after `start`.

    29 February has no anniversary in a common year: the period then ends on the last day of
    February (Civil Code of the PRC, art. 202: with no corresponding day in the final month, its
    last day ends the period), so a company founded 2020-02-29 is one year old on 2021-02-28,
    just as one founded 2020-06-01 is one year old on 2021-06-01.
    """
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return date(start.year + years, 2, 28)


# --- the checks: one per rule, shared by the status and the explanation ----------------------


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


def _status(
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
    status = _status(company, project, programme, basis, today)
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
            status = _status(company, project, programme, basis, today)
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


# --- explanations ----------------------------------------------------------------------------


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


def _explain_shanghai(company: CompanyFacts) -> RuleResult:
    rule, result = "shanghai_registration", check_shanghai_registration(company)
    if result == MISSING:
        message = _("The company's district is not recorded: fill it in on the company profile.")
    elif result == PASS:
        message = _("Registered in Shanghai (%(district)s).") % {
            "district": _district_label(company.district)
        }
    elif company.district == District.OUTSIDE:
        message = _("Registered outside Shanghai; this programme requires Shanghai registration.")
    else:
        message = _(
            "The district %(district)s is not a Shanghai district; this programme requires "
            "Shanghai registration."
        ) % {"district": company.district}
    return RuleResult(rule, result, message)


def _explain_tax(company: CompanyFacts, allowed: tuple[str, ...]) -> RuleResult:
    rule, result = "tax_rating", check_tax_rating(company, allowed)
    params = {"rating": company.tax_credit_rating, "allowed": ", ".join(allowed)}
    if result == MISSING:
        message = _(
            "The company's tax credit rating is not recorded: fill it in on the company "
            "profile (allowed: %(allowed)s)."
        )
    elif result == PASS:
        message = _("Tax credit rating %(rating)s is allowed (%(allowed)s).")
    else:
        message = _("Tax credit rating %(rating)s is not allowed (only %(allowed)s).")
    return RuleResult(rule, result, message % params)


def _explain_age(company: CompanyFacts, years: int, today: date) -> RuleResult:
    rule, result = "company_age", check_company_age(company, years, today)
    if result == MISSING:
        message = _(
            "The company's date of establishment is not recorded: fill it in on the company "
            "profile (at least %(years)d years required)."
        ) % {"years": years}
        return RuleResult(rule, result, message)
    params = {
        "date": company.established_on.isoformat(),
        "years": years,
        "since": add_years(company.established_on, years).isoformat(),
    }
    if result == PASS:
        message = _("Established on %(date)s: at least %(years)d years ago.")
    else:
        message = _(
            "Established on %(date)s: less than the %(years)d years required (reached on "
            "%(since)s)."
        )
    return RuleResult(rule, result, message % params)


def _explain_area(
    project: ProjectFacts, areas: frozenset[str], labels: Mapping[str, str]
) -> RuleResult:
    rule, result = "area", check_area(project, areas)
    if result == MISSING:
        message = _(
            "The project has no priority areas: choose them on the project (this programme "
            "supports %(areas)s)."
        ) % {"areas": _names(areas, labels)}
    elif result == PASS:
        message = _("The project's areas include %(areas)s, which this programme supports.") % {
            "areas": _names(project.areas & areas, labels)
        }
    else:
        message = _(
            "None of the project's areas (%(project)s) is supported; this programme supports "
            "%(areas)s."
        ) % {"project": _names(project.areas, labels), "areas": _names(areas, labels)}
    return RuleResult(rule, result, message)


def _explain_basis(basis: Basis, programme: ProgrammeRules) -> RuleResult:
    kind = _kind_label(programme.basis)
    result = check_basis(basis)
    if result == PASS:
        parts = [
            _("Eligible costs (%(kind)s): %(amount)s.")
            % {"kind": kind, "amount": format_money(basis.rounded)}
        ]
        for line in basis.prorated:
            parts.append(
                _(
                    "A line of %(amount)s over %(months)d months counts %(counted)s "
                    "(%(max)d of %(months)d months)."
                )
                % {
                    "amount": format_money(line.amount),
                    "months": line.months,
                    "counted": format_money(round_cents(line.counted)),
                    "max": programme.max_months,
                }
            )
        if basis.related_party_excluded:
            parts.append(
                _("Related-party costs of %(amount)s are left out.")
                % {"amount": format_money(basis.related_party_excluded)}
            )
        return RuleResult("basis", PASS, " ".join(parts))
    parts = [_("No eligible costs of kind %(kind)s.") % {"kind": kind}]
    if basis.related_party_excluded:
        parts.append(
            _("Costs of %(amount)s bought from related parties do not count for this programme.")
            % {"amount": format_money(basis.related_party_excluded)}
        )
    else:
        parts.append(_("Add a cost line of this kind to the project."))
    return RuleResult("basis", FAIL, " ".join(parts))


def _explain_min_basis(basis: Basis, programme: ProgrammeRules) -> RuleResult:
    result = check_min_basis(basis, programme)
    params = {
        "amount": format_money(basis.rounded),
        "minimum": format_money(programme.min_basis_amount),
    }
    if result == PASS:
        message = _("The basis of %(amount)s reaches the minimum of %(minimum)s.")
    else:
        message = _("The basis of %(amount)s is below the minimum of %(minimum)s.")
    return RuleResult("min_basis", result, message % params)


def explain_rules(
    company: CompanyFacts,
    project: ProjectFacts,
    programme: ProgrammeRules,
    basis: Basis,
    today: date,
    area_labels: Mapping[str, str] | None = None,
) -> tuple[RuleResult, ...]:
    """Each rule the programme uses, in the order of product.md, with its message."""
    labels = area_labels or {}
    rules: list[RuleResult] = []
    if programme.requires_shanghai_registration:
        rules.append(_explain_shanghai(company))
    if programme.allowed_tax_ratings:
        rules.append(_explain_tax(company, programme.allowed_tax_ratings))
    if programme.min_company_age_years is not None:
        rules.append(_explain_age(company, programme.min_company_age_years, today))
    if programme.areas:
        rules.append(_explain_area(project, programme.areas, labels))
    rules.append(_explain_basis(basis, programme))
    if programme.min_basis_amount is not None:
        rules.append(_explain_min_basis(basis, programme))
    return tuple(rules)


def status_of(rules: Iterable[RuleResult]) -> str:
    """The status product.md gives a list of rule results."""
    results = {rule.result for rule in rules}
    return INELIGIBLE if FAIL in results else INCOMPLETE if MISSING in results else ELIGIBLE


# --- the formula in words ----------------------------------------------------------------------

BASIS_PHRASES = {
    CostKind.RD_INVESTMENT: gettext_lazy("verified R&D investment"),
    CostKind.COMPUTE_LEASE: gettext_lazy("computing-power lease costs"),
    CostKind.MODEL_SERVICE: gettext_lazy("the model-service contract value"),
    CostKind.CORPUS_PURCHASE: gettext_lazy("the corpus-purchase contract value"),
    CostKind.SCENARIO_INVESTMENT: gettext_lazy("verified scenario investment"),
    CostKind.SOFTWARE_CONTRACT: gettext_lazy("the software contract value"),
    CostKind.PLATFORM_INVESTMENT: gettext_lazy("verified platform investment"),
    CostKind.ROBOT_DEPLOYMENT: gettext_lazy("the robot-deployment contract value"),
}


def format_amount(value: Decimal) -> str:
    """¥50,000,000 for whole yuan, ¥1,234.50 otherwise (caps and minimums in prose)."""
    text = format_money(value)
    return text.removesuffix(".00")


def describe_formula(programme: ProgrammeRules) -> str:
    """'30% of verified R&D investment, at most ¥50,000,000' in the active language."""
    params = {
        "ratio": format_ratio(programme.ratio),
        "basis": BASIS_PHRASES.get(programme.basis, _kind_label(programme.basis)),
    }
    if programme.cap is not None:
        text = _("%(ratio)s of %(basis)s, at most %(cap)s") % {
            **params,
            "cap": format_amount(programme.cap),
        }
    else:
        text = _("%(ratio)s of %(basis)s, with no cap") % params
    if programme.max_months:
        text = _("%(formula)s; at most %(months)d months of a lease count") % {
            "formula": text,
            "months": programme.max_months,
        }
    return text


def explain_formula(match: Match, programme: ProgrammeRules) -> str:
    """The calculation with the project's figures: ratio × basis = product, capped."""
    text = _("%(ratio)s × %(basis)s = %(product)s") % {
        "ratio": format_ratio(programme.ratio),
        "basis": format_money(match.basis_amount),
        "product": format_money(match.uncapped_amount),
    }
    if match.capped:
        text = _("%(calculation)s; capped at %(cap)s") % {
            "calculation": text,
            "cap": format_money(programme.cap),
        }
    return text


def describe_conditions(
    programme: ProgrammeRules, area_labels: Mapping[str, str] | None = None
) -> list[str]:
    """The programme's conditions in words, in the order of the rules."""
    labels = area_labels or {}
    conditions = []
    if programme.requires_shanghai_registration:
        conditions.append(_("The company is registered in one of Shanghai's 16 districts."))
    if programme.allowed_tax_ratings:
        conditions.append(
            _("Tax credit rating: %(ratings)s.")
            % {"ratings": ", ".join(programme.allowed_tax_ratings)}
        )
    if programme.min_company_age_years:
        conditions.append(
            _("The company was established at least %(years)d years ago.")
            % {"years": programme.min_company_age_years}
        )
    if programme.areas:
        conditions.append(
            _("The project is in one of these priority areas: %(areas)s.")
            % {"areas": _names(programme.areas, labels)}
        )
    else:
        conditions.append(_("Any priority area."))
    basis = _("Eligible costs: %(kind)s.") % {"kind": _kind_label(programme.basis)}
    if programme.exclude_related_party:
        basis += " " + _("Costs bought from related parties do not count.")
    if programme.max_months:
        basis += " " + _(
            "A lease longer than %(months)d months counts in proportion (amount × %(months)d / "
            "months)."
        ) % {"months": programme.max_months}
    conditions.append(basis)
    if programme.min_basis_amount is not None:
        conditions.append(
            _("The eligible costs are at least %(minimum)s.")
            % {"minimum": format_amount(programme.min_basis_amount)}
        )
    return conditions
