"""Reads for the workflow pages and API: lists, the pipeline board, the timeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, QuerySet, Sum, Window
from django.db.models.functions import RowNumber

from grants.models import Application, ApplicationComment, Document, TransitionLog
from grants.models.applications import State

if TYPE_CHECKING:
    from accounts.models import User

# Cards shown per pipeline column; the rest are behind a "show more" link to the list.
CARDS_PER_COLUMN = 10


@dataclass
class Column:
    state: str
    label: str
    count: int = 0
    total: Decimal = Decimal("0")
    cards: list[Application] = field(default_factory=list)

    @property
    def more(self) -> int:
        return self.count - len(self.cards)


def filter_applications(
    queryset: QuerySet[Application], params: dict[str, Any]
) -> QuerySet[Application]:
    """The filters shared by the list, the board and the API (already-parsed values)."""
    if params.get("state"):
        queryset = queryset.filter(state__in=params["state"])
    if params.get("company"):
        queryset = queryset.filter(company_id=params["company"])
    if params.get("programme"):
        queryset = queryset.filter(programme__code=params["programme"])
    if params.get("assignee"):
        queryset = queryset.filter(assignee__username=params["assignee"])
    return queryset


def pipeline_board(
    user: User, params: dict[str, Any], *, per_column: int = CARDS_PER_COLUMN
) -> list[Column]:
    """One column per state: count and requested total in SQL, the first cards of each.

    Three queries whatever the number of applications: an aggregate per state, the ids of the
    top `per_column` cards of every state at once (ROW_NUMBER() over each state), the cards.
    """
    queryset = filter_applications(Application.objects.visible_to(user), params)
    columns = {state.value: Column(state.value, str(state.label)) for state in State}
    totals = (
        queryset.order_by().values("state").annotate(n=Count("pk"), total=Sum("requested_amount"))
    )
    for row in totals:
        column = columns[row["state"]]
        column.count, column.total = row["n"], row["total"] or Decimal("0")
    # The window runs over the bare rows (and the call, for the deadline); only the winners
    # are then fetched with what a card shows.
    top = (
        queryset.with_deadline()
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("state")],
                order_by=[F("current_deadline").asc(nulls_last=True), F("pk").desc()],
            )
        )
        .filter(rank__lte=per_column)
        .values_list("pk", flat=True)
    )
    cards = (
        Application.objects.filter(pk__in=list(top))
        .select_related("company", "programme", "call", "assignee")
        .with_deadline()
        .order_by(F("current_deadline").asc(nulls_last=True), "-pk")
    )
    for card in cards:
        columns[card.state].cards.append(card)
    return list(columns.values())


@dataclass
class TimelineEntry:
    kind: str  # transition, comment or upload
    at: Any
    by: Any
    item: Any


def timeline(application: Application) -> list[TimelineEntry]:
    """Transitions, comments and uploads, oldest first."""
    entries = [
        TimelineEntry("transition", log.at, log.actor, log)
        for log in TransitionLog.objects.filter(application=application).select_related("actor")
    ]
    entries += [
        TimelineEntry("comment", c.created_at, c.author, c)
        for c in ApplicationComment.objects.filter(application=application).select_related("author")
    ]
    entries += [
        TimelineEntry("upload", d.uploaded_at, d.uploaded_by, d)
        for d in Document.objects.filter(application=application).select_related(
            "uploaded_by", "slot"
        )
    ]
    return sorted(entries, key=lambda e: e.at)
