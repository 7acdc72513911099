"""Money: `Decimal` only, two places, rounded once with ROUND_HALF_UP."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def to_cents(value: Decimal) -> Decimal:
    """Round to 0.01, halves away from zero (the rounding of product.md)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def format_money(value: Decimal | None, *, symbol: str = "¥") -> str:
    """¥1,234,567.89 — the same in both languages (Chinese documents write amounts this way)."""
    if value is None:
        return "—"
    amount = to_cents(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}{symbol}{abs(amount):,.2f}"


def format_ratio(ratio: Decimal) -> str:
    """0.3 → '30%', 0.125 → '12.5%'."""
    percent = (Decimal(ratio) * 100).normalize()
    text = f"{percent:f}"
    return f"{text}%"
