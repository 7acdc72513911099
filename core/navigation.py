"""The main navigation. Items whose URL is not installed, or not for the user's role, are hidden."""

from __future__ import annotations

from dataclasses import dataclass

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
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        active = request.path == url if url == "/" else request.path.startswith(url)
        items.append({"url": url, "label": item.label, "icon": item.icon, "active": active})
    return items
