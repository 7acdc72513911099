"""The one way an application changes state: `application_transition`.

Order of the checks, which is also the order of the status codes the API answers with: a role
that may not act is refused (403), a transition not available from the current state is refused
(409 `transition_not_allowed`), and then every guard is run and all failing reasons are reported
together (400). Only then does the fsm method run, inside one transaction with the row locked.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, FSMMeta

from core.api import Conflict, RuleRefused
from core.money import to_cents
from grants import guards
from grants.dossiers.services import dossier_freeze_copy_of_record
from grants.models import Application, Disbursement, TransitionLog
from grants.models.applications import TRANSITION_NAMES, State

if TYPE_CHECKING:
    from accounts.models import User

# The input each transition takes, besides the comment every transition accepts.
TRANSITION_FIELDS: dict[str, tuple[str, ...]] = {
    "submit": ("submission_ref",),
    "request_supplement": ("supplement_deadline",),
    "approve": ("approved_amount",),
    "disburse": ("amount", "paid_on"),
}
# Transitions whose side effects reach the client and the assignee (email + notification).
NOTIFIED = frozenset({"submit", "request_supplement", "approve", "reject", "disburse"})


class TransitionRefused(RuleRefused):
    """A guard refused: 400 `{"detail", "reasons"}`; pages also get the reasons by field."""

    def __init__(self, detail: str, field_reasons: dict[str, list[str]]) -> None:
        reasons = [message for messages in field_reasons.values() for message in messages]
        super().__init__(detail, reasons)
        self.field_reasons = field_reasons


def _meta(name: str) -> FSMMeta:
    if name not in TRANSITION_NAMES:
        raise ValueError(f"unknown transition {name!r}")
    return getattr(Application, name)._django_fsm


def is_available(application: Application, name: str) -> bool:
    """Whether `name` leaves the application's current state (conditions aside)."""
    return _meta(name).has_transition(application.state)


def may_perform(application: Application, name: str, user: User) -> bool:
    """The transition's declared permission, whatever the state (the role check)."""
    meta = _meta(name)
    declared = meta.get_transition(application.state) or next(iter(meta.transitions.values()))
    return declared.has_perm(application, user)


def available_transitions(application: Application, user: User) -> list[str]:
    """Names the user may attempt from the current state: state and role, not guards.

    Guards run queries (documents, matching, dossiers) and are reported when attempted, so a
    list of many applications costs no query per row.
    """
    return [
        name
        for name in TRANSITION_NAMES
        if is_available(application, name) and may_perform(application, name, user)
    ]


def _clean_fields(name: str, fields: dict[str, Any]) -> dict[str, Any]:
    """The transition's own input, parsed; unparseable values become None (a guard reports)."""
    wanted = TRANSITION_FIELDS.get(name, ())  # other transitions' fields are ignored
    cleaned: dict[str, Any] = {}
    for key in wanted:
        value = fields.get(key)
        if key in ("approved_amount", "amount"):
            amount = guards.parse_amount(value)
            value = to_cents(amount) if amount is not None else None
        elif key == "paid_on":
            value = _parse_date(value) if value not in (None, "") else timezone.localdate()
        elif key == "supplement_deadline":
            value = _parse_datetime(value)
        elif key == "submission_ref":
            value = (value or "").strip()
        cleaned[key] = value
    return cleaned


def _parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _parse_datetime(value: Any) -> dt.datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, dt.date):
        parsed = dt.datetime.combine(value, dt.time(23, 59))
    else:
        try:
            parsed = dt.datetime.fromisoformat(str(value))
        except ValueError:
            return None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)  # Asia/Shanghai, the app's time zone
    return parsed


def _extra_reasons(application: Application, name: str, fields: dict[str, Any]) -> dict:
    """Input checks the shared guards do not make (bad formats, a payment date ahead)."""
    reasons: dict[str, list[str]] = {}
    if name == "disburse":
        paid_on = fields.get("paid_on")
        if paid_on is None:
            reasons.setdefault("paid_on", []).append(_("Give the date paid as YYYY-MM-DD."))
        elif paid_on > timezone.localdate():
            reasons.setdefault("paid_on", []).append(_("The date paid cannot be in the future."))
    return reasons


def _log_data(name: str, fields: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key, value in fields.items():
        if isinstance(value, Decimal):
            data[key] = f"{value:.2f}"
        elif isinstance(value, dt.datetime):
            data[key] = timezone.localtime(value).isoformat()
        elif isinstance(value, dt.date):
            data[key] = value.isoformat()
        elif value not in (None, ""):
            data[key] = value
    return data


def application_transition(
    *, application: Application, name: str, actor: User, comment: str = "", **fields: Any
) -> Application:
    """Perform transition `name` on `application` as `actor`; return the updated application.

    Raises PermissionDenied (403) when the actor's role may not act, Conflict (409) when the
    transition does not leave the current state or the application changed meanwhile, and
    TransitionRefused (400, every reason) when a guard fails. Nothing changes on a refusal.
    Emails and notifications are sent after the commit.
    """
    if name not in TRANSITION_NAMES:
        raise RuleRefused(_("Unknown step."), [_("There is no step called “%s”.") % name])
    if not may_perform(application, name, actor):
        raise PermissionDenied(_("Your role may not move applications through the workflow."))
    comment = (comment or "").strip()
    cleaned = _clean_fields(name, fields)
    seen_state = application.state

    with transaction.atomic():
        locked = _locked(application, seen_state)
        _refuse_unless_allowed(locked, name, actor, comment, cleaned)
        from_state = locked.state
        _perform(locked, name, actor, cleaned)
        data = _log_data(name, cleaned)
        if name == "submit":
            dossier = dossier_freeze_copy_of_record(application=locked)
            if dossier is not None:
                data["copy_of_record"] = dossier.pk
        _save(locked)
        log = _record(locked, name, actor, from_state, comment, cleaned, data)
        if name in NOTIFIED:
            from grants.workflow.notifications import notify_transition

            transaction.on_commit(lambda: notify_transition(log_id=log.pk), robust=True)
    return locked


def _locked(application: Application, seen_state: str) -> Application:
    """The application's row, locked for the transaction; a changed state is a 409."""
    # The row lock makes a second actor wait here until the first commits; it then sees the
    # new state and is refused. (SQLite ignores the lock but serialises writers;
    # ConcurrentTransitionMixin's conditional UPDATE in `_save` is the last line of defence.)
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("organisation", "programme", "project", "call")
        .get(pk=application.pk)
    )
    if locked.state != seen_state:
        raise Conflict(
            _("The application changed while you were working on it: it is now “%s”.")
            % locked.get_state_display(),
            "concurrent_update",
        )
    return locked


def _refuse_unless_allowed(
    locked: Application, name: str, actor: User, comment: str, cleaned: dict[str, Any]
) -> None:
    """409 if the step does not leave the current state; else 400 with every guard's reason."""
    if not is_available(locked, name):
        raise Conflict(
            _("“%(step)s” is not possible while the application is “%(state)s”.")
            % {"step": name, "state": locked.get_state_display()},
            "transition_not_allowed",
        )
    reasons = guards.all_reasons(locked, name, actor, {"comment": comment, **cleaned})
    for field, messages in _extra_reasons(locked, name, cleaned).items():
        reasons.setdefault(field, []).extend(messages)
    if reasons:
        raise TransitionRefused(_("This step cannot be taken yet."), reasons)


def _save(locked: Application) -> None:
    """Save the new state; the mixin's conditional UPDATE refuses a state changed meanwhile."""
    locked.updated_at = timezone.now()
    try:
        locked.save()
    except ConcurrentTransition:
        raise Conflict(
            _("Someone else moved this application at the same moment. Reload and retry."),
            "concurrent_update",
        )


def _record(
    locked: Application,
    name: str,
    actor: User,
    from_state: str,
    comment: str,
    cleaned: dict[str, Any],
    data: dict[str, Any],
) -> TransitionLog:
    """The transition log row (who, when, from, to) and, for `disburse`, the payment."""
    log = TransitionLog.objects.create(
        application=locked,
        transition=name,
        from_state=from_state,
        to_state=locked.state,
        actor=actor,
        at=locked.updated_at,
        comment=comment,
        data=data,
    )
    if name == "disburse":
        Disbursement.objects.create(
            application=locked,
            amount=cleaned["amount"],
            paid_on=cleaned["paid_on"],
            recorded_by=actor,
            recorded_at=locked.updated_at,
            log=log,
        )
    return log


def _perform(application: Application, name: str, actor: User, fields: dict[str, Any]) -> None:
    """Call the fsm method (never assign the state) with the transition's own arguments."""
    method = getattr(application, name)
    if name == "request_review":
        method(by=actor)
    elif name == "submit":
        method(submission_ref=fields.get("submission_ref", ""))
    elif name == "request_supplement":
        method(supplement_deadline=fields["supplement_deadline"])
    elif name == "approve":
        method(approved_amount=fields["approved_amount"])
    elif name == "disburse":
        method(amount=fields["amount"])
    else:
        method()


__all__ = [
    "NOTIFIED",
    "TRANSITION_FIELDS",
    "State",
    "TransitionRefused",
    "application_transition",
    "available_transitions",
    "is_available",
    "may_perform",
]
