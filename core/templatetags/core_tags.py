"""Template tags and filters: query strings, money, ratios, dates in Shanghai time."""

from __future__ import annotations

from django import template
from django.utils import timezone

from core.forms import style_widget
from core.money import format_money, format_ratio

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context, **changes) -> str:
    """The current query string with some parameters replaced (pagination, sorting)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


@register.filter
def money(value) -> str:
    return format_money(value)


@register.filter
def percent(value) -> str:
    return format_ratio(value) if value is not None else "—"


@register.filter
def local_datetime(value) -> str:
    """An aware datetime in Asia/Shanghai as 'YYYY-MM-DD HH:MM'."""
    if value is None:
        return "—"
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


@register.filter
def minutes(value) -> int:
    """A timedelta in whole minutes, rounded up (lockout messages)."""
    if value is None:
        return 0
    return max(1, -(-int(value.total_seconds()) // 60))


@register.filter
def styled(bound_field) -> str:
    """A form field's widget with Bootstrap classes, marked invalid when it has errors.

    The form template renders every field through this, so forms that do not use
    StyledFormMixin (Django's sign-in and password forms) look the same, and an error a view
    adds after validation still outlines its field.
    """
    style_widget(bound_field.field.widget, invalid=bool(bound_field.errors))
    return bound_field.as_widget()
