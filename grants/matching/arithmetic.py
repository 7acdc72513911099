"""The eligible basis and the estimate, computed exactly and rounded once, to the cent.

Every Decimal becomes an integer ratio (`Decimal.as_integer_ratio`, exact); sums and products
stay integer ratios, and `cents` is the only rounding (half up). Plain integers rather than
`fractions.Fraction` because bulk matching makes hundreds of thousands of these operations.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from grants.matching.facts import ProgrammeRules, ProjectFacts, Ratio

ZERO = Decimal("0")
ZERO_CENTS = Decimal("0.00")


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
