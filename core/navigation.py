"""The main navigation. Items whose URL is not installed, or not for the user's role, are hidden."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str
    icon: str
    roles: frozenset[str] = frozenset({"admin", "consultant", "client"})


STAFF = frozenset({"admin", "consultant"})
ITEMS = (
    NavItem("home", _("Home"), "house"),
    NavItem("companies:list", _("Companies"), "buildings"),
    NavItem("grants:opportunities", _("Opportunities"), "lightbulb", STAFF),
    NavItem("grants:application_list", _("Applications"), "folder2-open"),
    NavItem("grants:pipeline", _("Pipeline"), "kanban", STAFF),
    NavItem("grants:catalogue", _("Programmes"), "journal-text"),
    NavItem("grants:reports", _("Reports"), "bar-chart", STAFF),
)


@functools.cache
def _url(url_name: str) -> str | None:
    """The item's URL, or None where that page is not installed. Reversed once per process."""
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return None


@receiver(setting_changed)
def _forget_urls(setting: str, **kwargs) -> None:
    if setting == "ROOT_URLCONF":  # tests that swap the URL configuration
        _url.cache_clear()


def navigation_for(request) -> list[dict]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    membership = getattr(user, "membership", None)
    role = membership.role if membership else None
    items = []
    for item in ITEMS:
        if role not in item.roles and item.url_name != "home":
            continue
        url = _url(item.url_name)
        if url is None:
            continue
        active = request.path == url if url == "/" else request.path.startswith(url)
        items.append({"url": url, "label": item.label, "icon": item.icon, "active": active})
    return items
