"""Reads of the grants domain, shaped for their use. Matching stays pure: these load the facts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch
from django.utils import timezone

from companies.models import Company, CostLine, Project
from grants import matching
from grants.models import Call, PriorityArea, Programme


def programme_rules(programme: Programme) -> matching.ProgrammeRules:
    """Rules of one programme; its areas must be prefetched (see `active_programmes`)."""
    return matching.ProgrammeRules(
        code=programme.code,
        basis=programme.basis,
        ratio=programme.ratio,
        cap=programme.cap,
        max_months=programme.max_months,
        areas=frozenset(area.code for area in programme.areas.all()),
        exclude_related_party=programme.exclude_related_party,
        requires_shanghai_registration=programme.requires_shanghai_registration,
        allowed_tax_ratings=tuple(programme.allowed_tax_ratings or ()),
        min_company_age_years=programme.min_company_age_years,
        min_basis_amount=programme.min_basis_amount,
    )


def active_programmes() -> list[Programme]:
    return list(
        Programme.objects.filter(is_active=True)
        .select_related("policy")
        .prefetch_related(Prefetch("areas", queryset=PriorityArea.objects.only("code")))
    )


def company_facts(company: Company) -> matching.CompanyFacts:
    return matching.CompanyFacts(
        district=company.district or "",
        tax_credit_rating=company.tax_credit_rating or "",
        established_on=company.established_on,
    )


def project_facts(
    project: Project, costs: Iterable[CostLine] | None = None
) -> matching.ProjectFacts:
    lines = project.costs.all() if costs is None else costs
    return matching.ProjectFacts(
        areas=frozenset(project.areas or ()),
        costs=tuple(matching.CostFacts(c.kind, c.amount, c.months, c.related_party) for c in lines),
    )


def area_labels() -> dict[str, str]:
    return {area.code: area.name for area in PriorityArea.objects.all()}


def open_calls_by_programme(when=None) -> dict[int, Call]:
    """The open call closing soonest, per programme id."""
    result: dict[int, Call] = {}
    for call in Call.objects.open_at(when).order_by("deadline", "id"):
        result.setdefault(call.programme_id, call)
    return result


@dataclass(frozen=True)
class ProjectMatch:
    """A match with what the pages and the API show beside it."""

    match: matching.Match
    programme: Programme
    rules: matching.ProgrammeRules
    open_call: Call | None

    @property
    def formula(self) -> str:
        return matching.explain_formula(self.match, self.rules)


def matches_for_project(project: Project, *, today: date | None = None) -> list[ProjectMatch]:
    """Every active programme matched against the project, in product.md order."""
    today = today or timezone.localdate()
    programmes = {p.code: p for p in active_programmes()}
    rules = {code: programme_rules(p) for code, p in programmes.items()}
    calls = open_calls_by_programme()
    project = Project.objects.select_related("company").prefetch_related("costs").get(pk=project.pk)
    results = matching.match_project(
        company_facts(project.company),
        project_facts(project),
        rules.values(),
        today=today,
        area_labels=area_labels(),
    )
    return [
        ProjectMatch(
            m, programmes[m.programme], rules[m.programme], calls.get(programmes[m.programme].pk)
        )
        for m in results
    ]


def match_for(
    project: Project, programme: Programme, *, today: date | None = None
) -> matching.Match:
    """One programme's match for a project (creation rules, guards, the dossier)."""
    today = today or timezone.localdate()
    programme = Programme.objects.prefetch_related("areas").get(pk=programme.pk)
    project = Project.objects.select_related("company").prefetch_related("costs").get(pk=project.pk)
    return matching.evaluate(
        company_facts(project.company),
        project_facts(project),
        programme_rules(programme),
        today=today,
        area_labels=area_labels(),
    )
