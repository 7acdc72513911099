"""A programme's fields and the rules its values obey, for both ways in.

Maintainers write programmes through the API (`grants.api.catalogue`) and the seeded catalogue
file through the loader (`grants.catalogue.loader`). Both check the same rules, here; each words
its errors for its own reader (a translated field error for the API, the file's entry and field
for the loader). The model's validators and check constraints hold the same bounds again.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from companies.models import MAX_AMOUNT

# Everything a programme is written with, in the API's order (the loader adds notes and source;
# the API adds the document slots).
PROGRAMME_FIELDS = (
    "code",
    "name_en",
    "name_zh",
    "policy",
    "basis",
    "ratio",
    "cap",
    "max_months",
    "areas",
    "exclude_related_party",
    "requires_shanghai_registration",
    "allowed_tax_ratings",
    "min_company_age_years",
    "min_basis_amount",
)
# The fields set as they are: not `code` (it names the programme) nor the `areas` relation.
PROGRAMME_SCALARS = tuple(name for name in PROGRAMME_FIELDS if name not in ("code", "areas"))

RATIO_PLACES = 4
MONEY_PLACES = 2


def within_places(value: Decimal, places: int) -> bool:
    """A finite number with at most `places` decimal places."""
    return value.is_finite() and value.as_tuple().exponent >= -places


def ratio_valid(ratio: Decimal) -> bool:
    """The share of the basis paid: more than 0 and at most 1."""
    return 0 < ratio <= 1


def cap_valid(cap: Decimal) -> bool:
    """A cap is more than 0 (no cap is None, not 0) and fits the money columns."""
    return 0 < cap <= MAX_AMOUNT


def min_basis_valid(amount: Decimal) -> bool:
    return 0 <= amount <= MAX_AMOUNT


def repeated(values: Iterable[str]) -> bool:
    """Whether a code is listed twice."""
    values = list(values)
    return len(set(values)) != len(values)
