"""Reads of the grants domain, shaped for their use. Matching stays pure: these load the facts.

Every loader here runs a fixed number of queries whatever the number of projects: the catalogue
once, then projects with their companies and all their cost lines in bulk (`values_list`, no
model instances), then the pure engine in Python.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from companies.models import Company, CostLine, Project
from grants import matching
from grants.models import Call, PriorityArea, Programme

if TYPE_CHECKING:
    from accounts.models import User


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
    """Area code → name in the active language."""
    return {area.code: area.name for area in PriorityArea.objects.all()}


def open_calls_by_programme(when: datetime | None = None) -> dict[int, Call]:
    """The open call closing soonest, per programme id."""
    result: dict[int, Call] = {}
    for call in Call.objects.open_at(when).order_by("deadline", "id"):
        result.setdefault(call.programme_id, call)
    return result


@dataclass(frozen=True)
class MatchingCatalogue:
    """What matching needs from the catalogue, loaded once per request (4 queries)."""

    programmes: dict[str, Programme]
    rules: dict[str, matching.ProgrammeRules]
    open_calls: dict[int, Call]
    area_labels: dict[str, str]

    def open_call(self, code: str) -> Call | None:
        return self.open_calls.get(self.programmes[code].pk)


def matching_catalogue(when: datetime | None = None) -> MatchingCatalogue:
    programmes = {p.code: p for p in active_programmes()}
    return MatchingCatalogue(
        programmes=programmes,
        rules={code: programme_rules(p) for code, p in programmes.items()},
        open_calls=open_calls_by_programme(when),
        area_labels=area_labels(),
    )


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

    @property
    def formula_in_words(self) -> str:
        return matching.describe_formula(self.rules)


@dataclass(frozen=True)
class ProjectMatches:
    """A project's matches, in product.md order, and what they add up to."""

    matches: list[ProjectMatch]

    def __iter__(self) -> Iterator[ProjectMatch]:
        return iter(self.matches)

    def __len__(self) -> int:
        return len(self.matches)

    @property
    def eligible(self) -> list[ProjectMatch]:
        return [m for m in self.matches if m.match.eligible]

    @property
    def sum_of_eligible(self) -> Decimal:
        """Every eligible estimate added up (overlapping cost kinds counted twice)."""
        return sum((m.match.estimated_subsidy for m in self.eligible), matching.ZERO_CENTS)

    @property
    def best_total(self) -> Decimal:
        """One programme per cost kind: the most the project can actually receive."""
        return matching.best_total((m.rules.basis, m.match) for m in self.matches)

    @property
    def best_total_if_completed(self) -> Decimal:
        """The best total once the incomplete matches' missing data is filled in."""
        return matching.best_total(
            ((m.rules.basis, m.match) for m in self.matches),
            (matching.ELIGIBLE, matching.INCOMPLETE),
        )

    @property
    def incomplete(self) -> list[ProjectMatch]:
        return [m for m in self.matches if m.match.status == matching.INCOMPLETE]

    @property
    def overlapping_kinds(self) -> list[str]:
        """Cost kinds funded by more than one eligible programme."""
        seen: dict[str, int] = defaultdict(int)
        for m in self.eligible:
            seen[m.rules.basis] += 1
        return sorted(kind for kind, count in seen.items() if count > 1)


def matches_for_project(
    project: Project,
    *,
    today: date | None = None,
    catalogue: MatchingCatalogue | None = None,
) -> ProjectMatches:
    """Every active programme matched against the project, in product.md order."""
    today = today or timezone.localdate()
    catalogue = catalogue or matching_catalogue()
    project = Project.objects.select_related("company").prefetch_related("costs").get(pk=project.pk)
    results = matching.match_project(
        company_facts(project.company),
        project_facts(project),
        catalogue.rules.values(),
        today=today,
        area_labels=catalogue.area_labels,
    )
    return ProjectMatches(
        [
            ProjectMatch(
                m,
                catalogue.programmes[m.programme],
                catalogue.rules[m.programme],
                catalogue.open_call(m.programme),
            )
            for m in results
        ]
    )


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


# --- bulk: many projects at once -------------------------------------------------------------


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small acyclic objects.

    Matching 10,000 projects allocates some 300,000 matches; every few hundred allocations the
    collector would walk the whole young heap, and now and then every object alive. Nothing
    built here forms a cycle (reference counting frees it all), so the pause loses nothing and
    more than halves the time. The collector resumes as it was, whatever happens.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass(frozen=True, slots=True)
class ProjectRow:
    """A project's facts as loaded in bulk, without model instances."""

    id: int
    title: str
    company_id: int
    company_name: str
    company_name_zh: str
    company: matching.CompanyFacts
    facts: matching.ProjectFacts


def project_rows(projects: QuerySet[Project]) -> list[ProjectRow]:
    """The projects of a queryset with their companies and cost lines: two queries."""
    with gc_paused():
        return _project_rows(projects)


def _project_rows(projects: QuerySet[Project]) -> list[ProjectRow]:
    rows = list(
        projects.order_by().values_list(
            "id",
            "title",
            "areas",
            "company_id",
            "company__name",
            "company__name_zh",
            "company__district",
            "company__tax_credit_rating",
            "company__established_on",
        )
    )
    costs: dict[int, list[matching.CostFacts]] = defaultdict(list)
    lines = (
        CostLine.objects.filter(project__in=projects.order_by().values("id"))
        .order_by("project_id", "position", "id")
        .values_list("project_id", "kind", "amount", "months", "related_party")
    )
    for project_id, kind, amount, months, related_party in lines:
        costs[project_id].append(matching.CostFacts(kind, amount, months, related_party))
    companies: dict[int, matching.CompanyFacts] = {}
    result = []
    for pid, title, areas, cid, name, name_zh, district, rating, established in rows:
        company = companies.get(cid)
        if company is None:
            company = companies[cid] = matching.CompanyFacts(
                district or "", rating or "", established
            )
        facts = matching.ProjectFacts(frozenset(areas or ()), tuple(costs.get(pid, ())))
        result.append(ProjectRow(pid, title, cid, name, name_zh or "", company, facts))
    return result


def match_rows(
    rows: Iterable[ProjectRow],
    rules: Iterable[matching.ProgrammeRules],
    *,
    today: date,
    area_labels: dict[str, str] | None = None,
) -> list[tuple[ProjectRow, list[matching.Match]]]:
    """Each project's matches in product.md order (the pure engine, in Python)."""
    rules = list(rules)
    with gc_paused():
        return [
            (
                row,
                matching.match_project(
                    row.company, row.facts, rules, today=today, area_labels=area_labels
                ),
            )
            for row in rows
        ]


class Opportunity(NamedTuple):
    """One project × programme on the opportunities page.

    Plain values only (no match object): a board keeps tens of thousands of these, and tuples of
    strings and numbers cost the garbage collector nothing.
    """

    estimate: Decimal
    status: str
    programme: str
    project_id: int
    project_title: str
    company_id: int
    company_name: str
    company_name_zh: str

    @property
    def status_label(self) -> str:
        return str(matching.STATUS_LABELS[self.status])


@dataclass
class ClientTotal:
    company_id: int
    name: str
    name_zh: str
    projects: int = 0
    eligible: int = 0
    incomplete: int = 0
    sum_of_eligible: Decimal = matching.ZERO_CENTS
    best_total: Decimal = matching.ZERO_CENTS
    best_if_completed: Decimal = matching.ZERO_CENTS


@dataclass
class OpportunityBoard:
    """Every project of the organisation's clients matched at once, with totals."""

    opportunities: list[Opportunity]
    clients: list[ClientTotal]
    projects: int
    sum_of_eligible: Decimal = matching.ZERO_CENTS
    best_total: Decimal = matching.ZERO_CENTS
    best_if_completed: Decimal = matching.ZERO_CENTS
    counts: dict[str, int] = field(default_factory=dict)
    catalogue: MatchingCatalogue | None = None


OPPORTUNITY_STATUSES = {
    "open": (matching.ELIGIBLE, matching.INCOMPLETE),
    matching.ELIGIBLE: (matching.ELIGIBLE,),
    matching.INCOMPLETE: (matching.INCOMPLETE,),
    matching.INELIGIBLE: (matching.INELIGIBLE,),
    "all": matching.STATUSES,
}


def opportunity_board(
    *,
    user: User,
    today: date | None = None,
    catalogue: MatchingCatalogue | None = None,
    programme: str | None = None,
    company_id: int | None = None,
    statuses: Iterable[str] = OPPORTUNITY_STATUSES["open"],
    sort: str = "-estimate",
) -> OpportunityBoard:
    """Match every project the user may see (`Project.objects.visible_to`): for a consultant,
    every project of every company of the organisation. A constant number of queries.

    Totals cover every project that passes the programme and client filters; `statuses` only
    chooses which rows are listed. A project's best total takes one programme per cost kind.
    Each project's matches are summed up and dropped before the next project is matched, so
    memory stays flat however many projects there are.
    """
    today = today or timezone.localdate()
    catalogue = catalogue or matching_catalogue()
    rules = list(catalogue.rules.values())
    if programme:
        rules = [r for r in rules if r.code == programme]
    projects = Project.objects.visible_to(user)
    if company_id:
        projects = projects.filter(company_id=company_id)
    with gc_paused():
        board = _board(rules, project_rows(projects), set(statuses), today)
    _sort_opportunities(board.opportunities, sort)
    board.catalogue = catalogue
    return board


def _board(
    rules: list[matching.ProgrammeRules],
    rows: Iterable[ProjectRow],
    wanted: set[str],
    today: date,
) -> OpportunityBoard:
    programmes = matching.ProgrammeSet(rules)
    basis_of = {r.code: r.basis for r in rules}
    with_ineligible = matching.INELIGIBLE in wanted
    clients: dict[int, ClientTotal] = {}
    board = OpportunityBoard([], [], 0, counts=dict.fromkeys(matching.STATUSES, 0))
    for row in rows:
        client = clients.get(row.company_id)
        if client is None:
            client = clients[row.company_id] = ClientTotal(
                row.company_id, row.company_name, row.company_name_zh
            )
        client.projects += 1
        results = matching.outcomes(
            row.company, row.facts, programmes, today=today, with_ineligible=with_ineligible
        )
        if not with_ineligible:
            board.counts[matching.INELIGIBLE] += len(programmes) - len(results)
        _tally(board, client, row, results, basis_of, wanted)
    board.clients = sorted(
        clients.values(), key=lambda c: (-c.best_total, -c.best_if_completed, c.name, c.company_id)
    )
    for client in board.clients:
        board.projects += client.projects
        board.sum_of_eligible += client.sum_of_eligible
        board.best_total += client.best_total
        board.best_if_completed += client.best_if_completed
    return board


def _tally(
    board: OpportunityBoard,
    client: ClientTotal,
    row: ProjectRow,
    results: list[matching.Outcome],
    basis_of: dict[str, str],
    wanted: set[str],
) -> None:
    """Count one project's outcomes into the board and its client; list the wanted ones.

    A project's best total takes the best estimate per cost kind (no double funding): from
    eligible outcomes only, and from eligible or incomplete ones for "once completed".
    """
    counts = board.counts
    best: dict[str, Decimal] = {}  # per cost kind, eligible only
    reachable: dict[str, Decimal] = {}  # per cost kind, eligible or incomplete
    for code, status, estimate in results:
        counts[status] += 1
        if status != matching.INELIGIBLE:
            kind = basis_of[code]
            if estimate > reachable.get(kind, matching.ZERO):
                reachable[kind] = estimate
            if status == matching.ELIGIBLE:
                client.eligible += 1
                client.sum_of_eligible += estimate
                if estimate > best.get(kind, matching.ZERO):
                    best[kind] = estimate
            else:
                client.incomplete += 1
        if status in wanted:
            board.opportunities.append(
                Opportunity(
                    estimate,
                    status,
                    code,
                    row.id,
                    row.title,
                    row.company_id,
                    row.company_name,
                    row.company_name_zh,
                )
            )
    if best:
        client.best_total += sum(best.values(), matching.ZERO_CENTS)
    if reachable:
        client.best_if_completed += sum(reachable.values(), matching.ZERO_CENTS)


def _sort_opportunities(opportunities: list[Opportunity], sort: str) -> None:
    """By estimate (largest first unless `estimate`), eligible before incomplete at equal
    estimates, then client, project and programme; or by client (`client`)."""
    order = matching.STATUS_ORDER
    if sort == "client":
        opportunities.sort(
            key=lambda o: (
                o.company_name,
                o.project_title,
                o.project_id,
                order[o.status],
                -o.estimate,
                o.programme,
            )
        )
    else:
        sign = 1 if sort == "estimate" else -1
        opportunities.sort(
            key=lambda o: (
                sign * o.estimate,
                order[o.status],
                o.company_name,
                o.project_title,
                o.project_id,
                o.programme,
            )
        )
