"""Validation of the unified social credit code (统一社会信用代码), GB 32100-2015, and dates."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The standard's alphabet: digits and capitals without I, O, S, V and Z.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
USCC_LENGTH = 18


def uscc_check_character(first17: str) -> str:
    """The 18th character the standard computes from the first 17 (a weighted sum mod 31)."""
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def normalise_uscc(value: str) -> str:
    return (value or "").strip().upper()


def validate_uscc(value: str) -> None:
    code = normalise_uscc(value)
    if len(code) != USCC_LENGTH:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(count)d."),
            code="uscc_length",
            params={"count": len(code)},
        )
    bad = sorted({c for c in code if c not in USCC_ALPHABET})
    if bad:
        raise ValidationError(
            _("These characters cannot appear in a unified social credit code: %(chars)s."),
            code="uscc_alphabet",
            params={"chars": " ".join(bad)},
        )
    expected = uscc_check_character(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _(
                "The check character does not match: the last character should be %(expected)s "
                "for this code. Please check it against the business licence."
            ),
            code="uscc_check",
            params={"expected": expected},
        )


def validate_not_in_future(value: dt.date | None) -> None:
    """A date that has happened: today or earlier, by the Shanghai calendar (TIME_ZONE)."""
    if value is not None and value > timezone.localdate():
        raise ValidationError(
            _("The date cannot be in the future (today is %(today)s)."),
            code="date_in_future",
            params={"today": timezone.localdate().isoformat()},
        )
