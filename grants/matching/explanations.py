"""Each rule's result with its message, in the language active when the messages are read."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import NamedTuple

from django.utils.translation import gettext as _

from companies.choices import CostKind, District
from core.money import format_money
from grants.matching.arithmetic import Basis, ProratedLine, add_years, round_cents
from grants.matching.checks import (
    check_area,
    check_basis,
    check_company_age,
    check_min_basis,
    check_shanghai_registration,
    check_tax_rating,
)
from grants.matching.facts import (
    FAIL,
    MISSING,
    PASS,
    RULE_LABELS,
    RULE_SUBJECT,
    CompanyFacts,
    ProgrammeRules,
    ProjectFacts,
)


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


def kind_label(kind: str) -> str:
    try:
        return str(CostKind(kind).label)
    except ValueError:
        return kind


def district_label(code: str) -> str:
    try:
        return str(District(code).label)
    except ValueError:
        return code


def area_names(codes: Iterable[str], labels: Mapping[str, str]) -> str:
    return ", ".join(labels.get(code, code) for code in sorted(codes))


def _explain_shanghai(company: CompanyFacts) -> RuleResult:
    rule, result = "shanghai_registration", check_shanghai_registration(company)
    if result == MISSING:
        message = _("The company's district is not recorded: fill it in on the company profile.")
    elif result == PASS:
        message = _("Registered in Shanghai (%(district)s).") % {
            "district": district_label(company.district)
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
        ) % {"areas": area_names(areas, labels)}
    elif result == PASS:
        message = _("The project's areas include %(areas)s, which this programme supports.") % {
            "areas": area_names(project.areas & areas, labels)
        }
    else:
        message = _(
            "None of the project's areas (%(project)s) is supported; this programme supports "
            "%(areas)s."
        ) % {"project": area_names(project.areas, labels), "areas": area_names(areas, labels)}
    return RuleResult(rule, result, message)


def _explain_basis(basis: Basis, programme: ProgrammeRules) -> RuleResult:
    kind = kind_label(programme.basis)
    if check_basis(basis) == PASS:
        parts = [
            _("Eligible costs (%(kind)s): %(amount)s.")
            % {"kind": kind, "amount": format_money(basis.rounded)}
        ]
        parts += [_prorated_line(line, programme) for line in basis.prorated]
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


def _prorated_line(line: ProratedLine, programme: ProgrammeRules) -> str:
    return _(
        "A line of %(amount)s over %(months)d months counts %(counted)s "
        "(%(max)d of %(months)d months)."
    ) % {
        "amount": format_money(line.amount),
        "months": line.months,
        "counted": format_money(round_cents(line.counted)),
        "max": programme.max_months,
    }


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
