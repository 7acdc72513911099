"""Pages: the catalogue (programmes, policies, priority areas), for every signed-in user."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from grants.catalogue.loader import support_measures
from grants.catalogue.selectors import areas_by_group, policies_by_tier, programme_cards


def _query(request) -> str:
    return request.GET.get("q", "").strip()[:200]


def programme_list(request):
    q = _query(request)
    return render(
        request,
        "grants/catalogue/programme_list.html",
        {"cards": programme_cards(q=q), "q": q, "support": support_measures()},
    )


def programme_detail(request, code: str):
    cards = programme_cards(code=code, all_calls=True)
    if not cards:
        raise Http404
    card = cards[0]
    admin_url = None
    if request.user.is_staff:
        try:
            admin_url = reverse("admin:grants_programme_change", args=[card.programme.pk])
        except NoReverseMatch:
            admin_url = None
    return render(
        request, "grants/catalogue/programme_detail.html", {"card": card, "admin_url": admin_url}
    )


def policy_list(request):
    q = _query(request)
    return render(
        request, "grants/catalogue/policy_list.html", {"tiers": policies_by_tier(q=q), "q": q}
    )


def area_list(request):
    groups, any_area = areas_by_group()
    return render(
        request, "grants/catalogue/area_list.html", {"groups": groups, "any_area": any_area}
    )


def register_panels() -> None:
    """Add this area's sections to other pages (core.panels); called once at start-up."""
