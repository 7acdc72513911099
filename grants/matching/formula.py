"""A programme's formula and conditions in words, and a match's calculation with its figures."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from companies.choices import CostKind
from core.money import format_money, format_ratio
from grants.matching.explanations import area_names, kind_label
from grants.matching.facts import ProgrammeRules

if TYPE_CHECKING:
    from grants.matching.engine import Match

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
        "basis": BASIS_PHRASES.get(programme.basis, kind_label(programme.basis)),
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
            % {"areas": area_names(programme.areas, labels)}
        )
    else:
        conditions.append(_("Any priority area."))
    conditions.append(_describe_basis(programme))
    if programme.min_basis_amount is not None:
        conditions.append(
            _("The eligible costs are at least %(minimum)s.")
            % {"minimum": format_amount(programme.min_basis_amount)}
        )
    return conditions


def _describe_basis(programme: ProgrammeRules) -> str:
    """The basis condition: the cost kind, related parties, the lease prorating."""
    basis = _("Eligible costs: %(kind)s.") % {"kind": kind_label(programme.basis)}
    if programme.exclude_related_party:
        basis += " " + _("Costs bought from related parties do not count.")
    if programme.max_months:
        basis += " " + _(
            "A lease longer than %(months)d months counts in proportion (amount × %(months)d / "
            "months)."
        ) % {"months": programme.max_months}
    return basis
