"""Reads for the catalogue pages: programmes with their rules in words, policies, areas."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from companies.choices import CostKind
from grants import matching
from grants.models import Call, DocumentSlot, Policy, PriorityArea, Programme
from grants.selectors import area_labels, programme_rules

TIER_ORDER = [tier.value for tier in Policy.Tier]
PROGRAMME_SEARCH = (
    "code",
    "name_en",
    "name_zh",
    "notes_en",
    "notes_zh",
    "policy__title_en",
    "policy__title_zh",
    "areas__name_en",
    "areas__name_zh",
)
POLICY_SEARCH = ("code", "title_en", "title_zh", "issuer", "doc_number")


def _contains(word: str, fields: tuple[str, ...]) -> Q:
    """Any of `fields` contains `word`, ignoring case."""
    condition = Q()
    for name in fields:
        condition |= Q(**{f"{name}__icontains": word})
    return condition


@dataclass(frozen=True)
class ProgrammeCard:
    """A programme as the catalogue pages show it."""

    programme: Programme
    rules: matching.ProgrammeRules
    formula: str
    conditions: list[str]
    slots: list[DocumentSlot]
    calls: list[Call]
    area_names: list[str]


def _search(programmes: QuerySet[Programme], q: str) -> QuerySet[Programme]:
    words = q.split()
    for word in words:
        kinds = [kind.value for kind in CostKind if word.lower() in str(kind.label).lower()]
        programmes = programmes.filter(_contains(word, PROGRAMME_SEARCH) | Q(basis__in=kinds))
    return programmes.distinct() if words else programmes


def programme_cards(
    *,
    q: str = "",
    code: str | None = None,
    all_calls: bool = False,
    when: datetime | None = None,
) -> list[ProgrammeCard]:
    """Active programmes (or the one `code`, active or not) with open and upcoming calls.

    A fixed number of queries: programmes, areas, slots, calls and the area names.
    """
    when = when or timezone.now()
    calls = Call.objects.order_by("deadline", "id")
    if not all_calls:
        calls = calls.filter(deadline__gte=when)
    programmes = (
        Programme.objects.select_related("policy")
        .prefetch_related(
            "areas",
            Prefetch("document_slots", queryset=DocumentSlot.objects.order_by("position", "id")),
            Prefetch("calls", queryset=calls, to_attr="listed_calls"),
        )
        .order_by("code")
    )
    programmes = programmes.filter(code=code) if code else programmes.filter(is_active=True)
    programmes = _search(programmes, q)
    labels = area_labels()
    cards = []
    for programme in programmes:
        rules = programme_rules(programme)
        cards.append(
            ProgrammeCard(
                programme=programme,
                rules=rules,
                formula=matching.describe_formula(rules),
                conditions=matching.describe_conditions(rules, labels),
                slots=list(programme.document_slots.all()),
                calls=list(programme.listed_calls),
                area_names=[labels.get(a, a) for a in sorted(rules.areas)],
            )
        )
    return cards


@dataclass(frozen=True)
class PolicyTier:
    tier: str
    label: str
    policies: list[Policy]


def policies_by_tier(*, q: str = "") -> list[PolicyTier]:
    policies = Policy.objects.prefetch_related(
        Prefetch("programmes", queryset=Programme.objects.filter(is_active=True).order_by("code"))
    )
    for word in q.split():
        policies = policies.filter(_contains(word, POLICY_SEARCH))
    grouped: dict[str, list[Policy]] = {tier: [] for tier in TIER_ORDER}
    for policy in policies.order_by("code"):
        grouped.setdefault(policy.tier, []).append(policy)
    labels = dict(Policy.Tier.choices)
    return [
        PolicyTier(tier, str(labels.get(tier, tier)), items)
        for tier, items in grouped.items()
        if items
    ]


@dataclass(frozen=True)
class AreaGroup:
    group: str
    label: str
    areas: list[PriorityArea]


def areas_by_group() -> tuple[list[AreaGroup], list[Programme]]:
    """The areas by group (each with the programmes that name it), and the any-area programmes."""
    active = Programme.objects.filter(is_active=True).order_by("code")
    areas = PriorityArea.objects.prefetch_related(
        Prefetch("programmes", queryset=active, to_attr="active_programmes")
    ).order_by("position", "code")
    labels = dict(PriorityArea.Group.choices)
    groups: dict[str, list[PriorityArea]] = {g.value: [] for g in PriorityArea.Group}
    for area in areas:
        groups.setdefault(area.group, []).append(area)
    any_area = list(active.filter(areas__isnull=True))
    return (
        [AreaGroup(g, str(labels.get(g, g)), items) for g, items in groups.items() if items],
        any_area,
    )
