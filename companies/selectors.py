"""Reads of the companies domain, shaped for their pages. All scoped by `visible_to(user)`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from companies import hooks
from companies.choices import CostKind
from companies.models import Company, CostLine, Membership, Organisation, Project

if TYPE_CHECKING:
    from accounts.models import User

# ?sort= values of the companies list, and the ordering each means. Every ordering ends in the
# primary key so pages never overlap; `name` is served by the (organisation, name) index.
COMPANY_SORTS = {
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "name_zh": ("name_zh", "id"),
    "district": ("district", "name", "id"),
    "-established_on": ("-established_on", "name", "id"),
    "established_on": ("established_on", "name", "id"),
    "-created_at": ("-created_at", "-id"),
}
COMPANY_SORT_LABELS = {
    "name": _("Name (A–Z)"),
    "-name": _("Name (Z–A)"),
    "name_zh": _("Chinese name"),
    "district": _("District"),
    "-established_on": _("Newest established"),
    "established_on": _("Oldest established"),
    "-created_at": _("Recently added"),
}
DEFAULT_COMPANY_SORT = "name"


def company_search(
    queryset: QuerySet[Company], *, query: str = "", district: str = ""
) -> QuerySet[Company]:
    query = (query or "").strip()
    if query:
        queryset = queryset.filter(
            Q(name__icontains=query) | Q(name_zh__icontains=query) | Q(uscc__icontains=query)
        )
    if district:
        queryset = queryset.filter(district=district)
    return queryset


def company_list(
    *, user: User, query: str = "", district: str = "", sort: str = DEFAULT_COMPANY_SORT
) -> QuerySet[Company]:
    ordering = COMPANY_SORTS.get(sort, COMPANY_SORTS[DEFAULT_COMPANY_SORT])
    return company_search(
        Company.objects.visible_to(user), query=query, district=district
    ).order_by(*ordering)


def project_counts(company_ids: Iterable[int]) -> dict[int, int]:
    """Projects per company, for one page of companies (one query, whatever the page size)."""
    rows = (
        Project.objects.filter(company_id__in=list(company_ids))
        .values("company_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["company_id"]: row["n"] for row in rows}


def company_for(user: User, pk: int) -> Company:
    """The company if the user may see it; 404 otherwise (whether or not it exists)."""
    return get_object_or_404(Company.objects.visible_to(user).select_related("organisation"), pk=pk)


def company_projects(company: Company) -> QuerySet[Project]:
    return company.projects.annotate(total=Sum("costs__amount"), lines=Count("costs")).order_by(
        "title", "id"
    )


def project_for(user: User, pk: int) -> Project:
    return get_object_or_404(
        Project.objects.visible_to(user).select_related("company", "company__organisation"),
        pk=pk,
    )


def project_list(user: User, *, company_id: int | None = None) -> QuerySet[Project]:
    projects = Project.objects.visible_to(user)
    if company_id is not None:
        projects = projects.filter(company_id=company_id)
    return projects


def area_labels() -> dict[str, str]:
    return dict(hooks.area_choices())


@dataclass(frozen=True)
class KindTotal:
    kind: str
    label: str
    amount: Decimal
    lines: int


@dataclass(frozen=True)
class CostSummary:
    by_kind: list[KindTotal]
    total: Decimal


def cost_summary(costs: Iterable[CostLine]) -> CostSummary:
    """Totals by cost kind (in the order of `CostKind`) and the grand total, in Decimal."""
    amounts: dict[str, Decimal] = defaultdict(Decimal)
    lines: dict[str, int] = defaultdict(int)
    for line in costs:
        amounts[line.kind] += line.amount
        lines[line.kind] += 1
    by_kind = [
        KindTotal(kind.value, str(kind.label), amounts[kind.value], lines[kind.value])
        for kind in CostKind
        if kind.value in amounts
    ]
    return CostSummary(by_kind, sum(amounts.values(), Decimal("0.00")))


def members_of(organisation: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user", "company")
        .order_by("user__username")
    )


def organisation_companies(organisation: Organisation) -> QuerySet[Company]:
    """The companies a member of this organisation may be attached to (form choices)."""
    return Company.objects.filter(organisation=organisation).order_by("name", "id")
