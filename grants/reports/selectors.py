"""The figures of the dashboards and reports. Every read is scoped by `visible_to(user)` and
takes a constant number of queries, however many applications there are.

Definitions (the same on the home page, the reports page and in the exports):
- *requested*: the requested amount of applications sent to the government (submitted, or in a
  state after submission), in the year of submission;
- *approved*: the approved amount, in the year of the `approve` transition;
- *disbursed*: the tranches received (`Disbursement` rows), in the year they were paid.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import (
    Count,
    DateTimeField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Window,
)
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone
from django.utils.translation import get_language

from companies.models import Membership, membership_of
from grants.models import Application, Disbursement, Document, DocumentSlot, TransitionLog
from grants.models.applications import CALL_DEADLINE_STATES, State

if TYPE_CHECKING:
    from accounts.models import User

ZERO = Decimal("0.00")
# States an application reaches only after it was sent to the government.
SENT_STATES = frozenset(
    {
        State.SUBMITTED,
        State.UNDER_REVIEW,
        State.SUPPLEMENT_REQUESTED,
        State.APPROVED,
        State.REJECTED,
        State.FUNDED,
        State.CLOSED,
    }
)
# Where the client still has to provide documents: before submission, and when asked again.
CLIENT_ACTION_STATES = CALL_DEADLINE_STATES | {State.SUPPLEMENT_REQUESTED}
PANEL_LIMIT = 8


def is_staff_user(user: User | None) -> bool:
    membership = membership_of(user)
    return membership is not None and membership.is_staff_role


def is_client_user(user: User | None) -> bool:
    membership = membership_of(user)
    return membership is not None and membership.role == Membership.Role.CLIENT


def _bilingual(en: str, zh: str) -> str:
    if (get_language() or "").startswith("zh") and zh:
        return zh
    return en or zh


# --- the pipeline --------------------------------------------------------------------------


@dataclass(frozen=True)
class StateFigure:
    state: str
    label: str
    count: int
    requested: Decimal
    share: int  # percent of the largest count, for the bar beside the number


def pipeline_by_state(user: User) -> list[StateFigure]:
    """Count and requested amount per state, every state in workflow order (one query)."""
    rows = {
        row["state"]: row
        for row in Application.objects.visible_to(user)
        .order_by()
        .values("state")
        .annotate(count=Count("id"), requested=Sum("requested_amount"))
    }
    peak = max((row["count"] for row in rows.values()), default=0)
    figures = []
    for state in State:
        row = rows.get(state.value, {})
        count = row.get("count", 0)
        figures.append(
            StateFigure(
                state=state.value,
                label=state.label,
                count=count,
                requested=row.get("requested") or ZERO,
                share=round(100 * count / peak) if peak else 0,
            )
        )
    return figures


# --- funding ----------------------------------------------------------------------------------


@dataclass
class FundingRow:
    key: str
    label: str
    full_label: str
    requested: Decimal = ZERO
    approved: Decimal = ZERO
    disbursed: Decimal = ZERO

    @property
    def values(self) -> tuple[Decimal, Decimal, Decimal]:
        return (self.requested, self.approved, self.disbursed)


@dataclass
class FundingReport:
    by_programme: list[FundingRow] = field(default_factory=list)
    by_client: list[FundingRow] = field(default_factory=list)
    by_year: list[FundingRow] = field(default_factory=list)
    total: FundingRow = field(default_factory=lambda: FundingRow("total", "", ""))

    @property
    def is_empty(self) -> bool:
        return not any(self.total.values)

    def dimensions(self) -> list[tuple[str, list[FundingRow]]]:
        return [
            ("programme", self.by_programme),
            ("client", self.by_client),
            ("year", self.by_year),
        ]


def _approved_at() -> Coalesce:
    """When the application was approved: its `approve` transition, else its last change."""
    log = (
        TransitionLog.objects.filter(application=OuterRef("pk"), transition="approve")
        .order_by("-at")
        .values("at")[:1]
    )
    return Coalesce(Subquery(log, output_field=DateTimeField()), "updated_at")


_GROUP = (
    "programme__code",
    "programme__name_en",
    "programme__name_zh",
    "company_id",
    "company__name",
    "company__name_zh",
)


def funding_report(
    user: User,
    *,
    year: int | None = None,
    programme: str | None = None,
    company: int | None = None,
) -> FundingReport:
    """Requested, approved and disbursed by programme, client and year (three queries)."""
    applications = Application.objects.visible_to(user).order_by()
    if programme:
        applications = applications.filter(programme__code=programme)
    if company:
        applications = applications.filter(company_id=company)

    requested = applications.filter(
        Q(state__in=SENT_STATES) | Q(submitted_at__isnull=False)
    ).annotate(year=ExtractYear(Coalesce("submitted_at", "created_at")))
    approved = applications.filter(approved_amount__isnull=False).annotate(
        year=ExtractYear(_approved_at())
    )
    disbursed = (
        Disbursement.objects.filter(application__in=applications.values("pk"))
        .order_by()
        .annotate(year=ExtractYear("paid_on"))
    )
    if year:
        requested = requested.filter(year=year)
        approved = approved.filter(year=year)
        disbursed = disbursed.filter(year=year)

    facts: list[tuple[str, dict]] = []
    for measure, queryset, amount in (
        ("requested", requested, "requested_amount"),
        ("approved", approved, "approved_amount"),
        ("disbursed", disbursed, "amount"),
    ):
        prefix = "application__" if queryset.model is Disbursement else ""
        keys = [f"{prefix}{name}" for name in _GROUP]
        for row in queryset.values(*keys, "year").annotate(total=Sum(amount)):
            facts.append((measure, {name: row[f"{prefix}{name}"] for name in _GROUP} | row))
    return _roll_up(facts)


def _roll_up(facts: Iterable[tuple[str, dict]]) -> FundingReport:
    programmes: dict[str, FundingRow] = {}
    clients: dict[int, FundingRow] = {}
    years: dict[int, FundingRow] = {}
    report = FundingReport()
    for measure, row in facts:
        total = row["total"] or ZERO
        code = row["programme__code"]
        name = _bilingual(row["programme__name_en"], row["programme__name_zh"])
        zh = row["company__name_zh"]
        targets = (
            programmes.setdefault(code, FundingRow(code, name, f"{name} ({code})")),
            clients.setdefault(
                row["company_id"],
                FundingRow(
                    str(row["company_id"]),
                    _bilingual(row["company__name"], zh),
                    f"{row['company__name']} ({zh})" if zh else row["company__name"],
                ),
            ),
            years.setdefault(row["year"], FundingRow(str(row["year"]), str(row["year"]), "")),
            report.total,
        )
        for target in targets:
            setattr(target, measure, getattr(target, measure) + total)
    for row in years.values():
        row.full_label = row.label
    report.by_programme = sorted(programmes.values(), key=lambda r: (-r.requested, r.key))
    report.by_client = sorted(clients.values(), key=lambda r: (-r.requested, r.full_label))
    report.by_year = sorted(years.values(), key=lambda r: r.key)
    return report


# --- what is waiting, and on whom ------------------------------------------------------------


def missing_slots_by_application(applications: list[Application]) -> dict[int, list]:
    """`grants.guards.missing_required_slots` for many applications in two queries."""
    if not applications:
        return {}
    programme_ids = {a.programme_id for a in applications}
    slots = defaultdict(list)
    for slot in DocumentSlot.objects.filter(programme_id__in=programme_ids, required=True):
        slots[slot.programme_id].append(slot)
    uploaded = set(
        Document.objects.filter(application__in=[a.pk for a in applications])
        .order_by()
        .values_list("application_id", "slot_id")
        .distinct()
    )
    return {
        a.pk: [s for s in slots[a.programme_id] if (a.pk, s.pk) not in uploaded]
        for a in applications
    }


@dataclass
class Waiting:
    """Applications waiting on someone: documents, a reviewer, the client's supplement."""

    missing_documents: list[tuple[Application, list]]
    missing_documents_count: int
    in_review: list[Application]
    in_review_count: int
    supplements: list[Application]
    supplements_count: int

    @property
    def is_empty(self) -> bool:
        return not (self.missing_documents_count or self.in_review_count or self.supplements_count)


def waiting_on_someone(user: User, *, limit: int = PANEL_LIMIT) -> Waiting:
    """Six queries, whatever the number of applications: the review and supplement lists are
    ordered, counted (a window) and cut in the database; of the draft and preparing
    applications only ids and programmes are read whole, for their checklists, and the first
    `limit` that lack a document are then loaded."""
    visible = Application.objects.visible_to(user)
    shown = ("company", "programme", "review_requested_by")
    review_since = (
        TransitionLog.objects.filter(application=OuterRef("pk"), to_state=State.INTERNAL_REVIEW)
        .order_by("-at")
        .values("at")[:1]
    )
    in_review = list(
        visible.filter(state=State.INTERNAL_REVIEW)
        .select_related(*shown)
        .annotate(
            review_since=Subquery(review_since, output_field=DateTimeField()),
            listed=Window(Count("id")),
        )
        .order_by(Coalesce("review_since", "updated_at").asc(), "id")[:limit]
    )
    supplements = list(
        visible.filter(state=State.SUPPLEMENT_REQUESTED)
        .select_related(*shown)
        .annotate(listed=Window(Count("id")))
        .order_by(F("supplement_deadline").asc(nulls_last=True), "created_at", "id")[:limit]
    )
    preparing = list(
        visible.filter(state__in=(State.DRAFT, State.PREPARING))
        .only("id", "programme_id", "state")  # the FSM mixin reads the state on load
        .order_by("created_at", "id")
    )
    missing = missing_slots_by_application(preparing)
    lacking = [a.pk for a in preparing if missing[a.pk]]
    rows = visible.select_related(*shown).in_bulk(lacking[:limit])
    return Waiting(
        missing_documents=[(rows[pk], missing[pk]) for pk in lacking[:limit]],
        missing_documents_count=len(lacking),
        in_review=in_review,
        in_review_count=in_review[0].listed if in_review else 0,
        supplements=supplements,
        supplements_count=supplements[0].listed if supplements else 0,
    )


# --- the client's view ------------------------------------------------------------------------


@dataclass
class ClientNeed:
    """An application that needs something from the client now."""

    application: Application
    missing: list  # required slots without an upload
    slots: list  # every slot of the programme (a supplement may need any of them)

    @property
    def is_supplement(self) -> bool:
        return self.application.state == State.SUPPLEMENT_REQUESTED


@dataclass
class ClientOverview:
    applications: list[Application]
    needs: list[ClientNeed]
    disbursements: list[Disbursement]
    requested: Decimal
    approved: Decimal
    received: Decimal


def client_overview(user: User) -> ClientOverview:
    """A client's applications, what they must provide now, and what they received (4 queries)."""
    applications = list(
        Application.objects.visible_to(user)
        .select_related("programme", "project", "call")
        .order_by("-created_at", "-id")
    )
    acting = [a for a in applications if a.state in CLIENT_ACTION_STATES]
    needs: list[ClientNeed] = []
    if acting:
        slots = defaultdict(list)
        for slot in DocumentSlot.objects.filter(programme_id__in={a.programme_id for a in acting}):
            slots[slot.programme_id].append(slot)
        uploaded = set(
            Document.objects.filter(application__in=[a.pk for a in acting])
            .order_by()
            .values_list("application_id", "slot_id")
            .distinct()
        )
        for application in sorted(acting, key=_deadline_key):
            every = slots[application.programme_id]
            missing = [s for s in every if s.required and (application.pk, s.pk) not in uploaded]
            if missing or application.state == State.SUPPLEMENT_REQUESTED:
                needs.append(ClientNeed(application, missing, every))
    disbursements = list(
        Disbursement.objects.filter(application__in=[a.pk for a in applications])
        .select_related("application__programme")
        .order_by("-paid_on", "-id")
    )
    return ClientOverview(
        applications=applications,
        needs=needs,
        disbursements=disbursements,
        requested=sum((a.requested_amount for a in applications), ZERO),
        approved=sum((a.approved_amount or ZERO for a in applications), ZERO),
        received=sum((d.amount for d in disbursements), ZERO),
    )


def _deadline_key(application: Application) -> tuple[int, datetime]:
    deadline = application.deadline
    return (0, deadline) if deadline else (1, timezone.now())


# --- the applications report --------------------------------------------------------------------


def applications_for_report(
    user: User,
    *,
    state: str | None = None,
    company: int | None = None,
    programme: str | None = None,
    assignee: str | None = None,
    q: str | None = None,
) -> QuerySet[Application]:
    """The applications list of the report and its export, filtered (one query to read)."""
    applications = Application.objects.visible_to(user).select_related(
        "company", "project", "programme", "call", "assignee"
    )
    if state:
        applications = applications.filter(state=state)
    if company:
        applications = applications.filter(company_id=company)
    if programme:
        applications = applications.filter(programme__code=programme)
    if assignee:
        applications = applications.filter(assignee__username=assignee)
    if q:
        applications = applications.filter(
            Q(reference__icontains=q)
            | Q(company__name__icontains=q)
            | Q(company__name_zh__icontains=q)
        )
    return applications.order_by("-created_at", "-id")
