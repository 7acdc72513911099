"""Reading ids and other values from query strings and forms without trusting them.

`str.isdigit()` accepts characters such as "²" that `int()` refuses; every id taken from a
request goes through `parse_id`, so a strange value is "not found" or a field error, never a 500.
"""

from __future__ import annotations

MAX_ID = 2**63 - 1  # the largest BigAutoField value: beyond it the database would raise


def parse_id(value: object) -> int | None:
    """A positive database id from a request value, or None if it is not one."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        text = str(value or "").strip()
        if not (text.isascii() and text.isdecimal()):
            return None
        number = int(text)
    return number if 0 < number <= MAX_ID else None


def parse_index(value: object, *, limit: int) -> int | None:
    """A row number 0 <= n < limit from a request value (formset indexes, totals), else None."""
    text = str(value if value is not None else "").strip()
    if not (text.isascii() and text.isdecimal()) or len(text) > len(str(limit)):
        return None
    number = int(text)
    return number if number < limit else None


def safe_next(request, value: str | None) -> str:
    """A redirect target from `?next=`/POST `next`: a path on this site, else ""."""
    from django.utils.http import url_has_allowed_host_and_scheme

    target = (value or "").strip()
    if not target.startswith("/") or target.startswith("//"):
        return ""
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return ""
    return target
