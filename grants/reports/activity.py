"""The organisation's activity log: `companies.Activity` rows and the applications' transitions,
merged into one list in time order.

One UNION ALL query reads a page (and one counts it); actors and companies of that page are
then loaded in two more queries. Filters apply to both sides before the union, so the database
pages the merged list itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db.models import CharField, F, QuerySet, Value
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import User
from companies.models import Activity, Company, membership_of
from grants.models import TransitionLog
from grants.models.applications import State

if TYPE_CHECKING:
    from django.utils.functional import Promise

ACTIVITY = "activity"
TRANSITION = "transition"


def _text(value: str) -> Value:
    return Value(value, output_field=CharField())


def _union_columns() -> tuple[tuple[str, Any, Any], ...]:
    """The merged log's columns: (name, read from an Activity row, read from a TransitionLog).

    Fresh expressions every call: the two querysets of one union each resolve their own.
    """
    return (
        ("source", _text(ACTIVITY), _text(TRANSITION)),
        ("pk", "pk", "pk"),
        ("at", "at", "at"),
        ("actor_id", "actor_id", "actor_id"),
        ("verb", "verb", "transition"),
        ("object_type", "object_type", _text("application")),
        ("object_id", "object_id", Cast("application_id", output_field=CharField())),
        ("object_label", "object_label", F("application__reference")),
        ("company_id", "company_id", F("application__company_id")),
        ("from_state", _text(""), "from_state"),
        ("to_state", _text(""), "to_state"),
        ("comment", _text(""), "comment"),
    )


_COLUMNS = tuple(name for name, _activity, _transition in _union_columns())

VERBS: dict[str, Promise] = {
    "created": _("created"),
    "updated": _("updated"),
    "deleted": _("deleted"),
    "uploaded": _("uploaded a document to"),
    "commented": _("commented on"),
    # The object is named after the verb ("generated dossier GD-…"), so the verb alone.
    "generated": pgettext_lazy("activity", "generated"),
    "requested": pgettext_lazy("activity", "requested"),
    "assigned": _("assigned"),
    "member_added": _("added the member"),
    "invited": _("invited"),
    "role_changed": _("changed the role of"),
    "removed": _("removed"),
}


@cache
def object_type_labels() -> dict[str, Any]:
    """Model name → its verbose name (translated lazily), for every installed model."""
    return {model._meta.model_name: model._meta.verbose_name for model in apps.get_models()}


# The kinds offered in the filter: what the log records.
KIND_CHOICES = ("application", "company", "project", "membership", "dossier", "document")


def kind_choices() -> list[tuple[str, str]]:
    labels = object_type_labels()
    return [(kind, str(labels.get(kind, kind)).capitalize()) for kind in KIND_CHOICES]


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def activity_log(
    user: User,
    *,
    actor: str | None = None,
    kind: str | None = None,
    company: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet:
    """The merged log as one ordered UNION ALL of dicts (newest first), ready to paginate."""
    membership = membership_of(user)
    activities = Activity.objects.visible_to(user)
    # The log is the staff's (Activity.visible_to shows clients nothing); its transitions are
    # those of the applications the user may see.
    transitions = TransitionLog.objects.visible_to(user)
    if membership is None or not membership.is_staff_role:
        transitions = transitions.none()
    both: dict[str, Any] = {}  # lookups that read the same on both sides
    if actor:
        both["actor__username"] = actor
    if date_from:
        both["at__gte"] = _day_start(date_from)
    if date_to:
        both["at__lt"] = _day_start(date_to + dt.timedelta(days=1))
    activities = activities.filter(**both)
    transitions = transitions.filter(**both)
    if kind:
        activities = activities.filter(object_type=kind)
        if kind != "application":
            transitions = transitions.none()
    if company:
        activities = activities.filter(company_id=company)
        transitions = transitions.filter(application__company_id=company)

    columns = _union_columns()
    left = activities.order_by().values_list(*(column[1] for column in columns))
    right = transitions.order_by().values_list(*(column[2] for column in columns))
    return left.union(right, all=True).order_by("-at", "-pk")


@dataclass(frozen=True)
class Entry:
    source: str
    at: dt.datetime
    actor: User | None
    verb: str
    object_type: str
    object_id: str
    object_label: str
    company: Company | None
    from_state: str
    to_state: str
    comment: str

    @property
    def is_transition(self) -> bool:
        return self.source == TRANSITION

    @property
    def verb_label(self) -> str:
        return str(VERBS.get(self.verb, self.verb.replace("_", " ")))

    @property
    def object_type_label(self) -> str:
        return str(object_type_labels().get(self.object_type, self.object_type))

    @property
    def from_label(self) -> str:
        return _state_label(self.from_state)

    @property
    def to_label(self) -> str:
        return _state_label(self.to_state)


def _state_label(value: str) -> str:
    try:
        return str(State(value).label)
    except ValueError:
        return value


def hydrate(rows: list[tuple]) -> list[Entry]:
    """Turn one page of union rows into entries with their actors and companies (2 queries)."""
    rows = [dict(zip(_COLUMNS, row, strict=True)) for row in rows]
    actor_ids = {r["actor_id"] for r in rows if r["actor_id"]}
    company_ids = {r["company_id"] for r in rows if r["company_id"]}
    actors = User.objects.in_bulk(actor_ids) if actor_ids else {}
    companies = Company.objects.in_bulk(company_ids) if company_ids else {}
    return [
        Entry(
            source=r["source"],
            at=r["at"],
            actor=actors.get(r["actor_id"]),
            verb=r["verb"],
            object_type=r["object_type"],
            object_id=str(r["object_id"] or ""),
            object_label=r["object_label"] or "",
            company=companies.get(r["company_id"]),
            from_state=r["from_state"] or "",
            to_state=r["to_state"] or "",
            comment=r["comment"] or "",
        )
        for r in rows
    ]
