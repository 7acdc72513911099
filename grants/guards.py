"""The workflow's guards, each returning every reason it fails (empty when it holds).

Instance guards (`request_review`, `submit`, `resubmit`, `close`) are also the django-fsm
conditions of their transitions. Field and actor guards (`approve_review`, amounts, comments,
deadlines) need the transition's input; `grants.workflow` runs them all and reports together.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.money import format_money
from grants.models.applications import Application, State

if TYPE_CHECKING:
    from accounts.models import User


def missing_required_slots(application: Application) -> list:
    slots = application.programme.document_slots.filter(required=True)
    uploaded = set(application.documents.values_list("slot_id", flat=True))
    return [slot for slot in slots if slot.pk not in uploaded]


def request_review(application: Application) -> list[str]:
    from grants.selectors import match_for

    reasons = [
        _("Required document missing: %(name)s.") % {"name": slot.name}
        for slot in missing_required_slots(application)
    ]
    match = match_for(application.project, application.programme)
    if match.basis.amount <= 0:
        reasons.append(_("The project has no eligible costs for this programme (basis is 0)."))
    if application.requested_amount <= 0:
        reasons.append(_("The requested amount must be more than 0."))
    elif application.requested_amount > match.estimated_subsidy:
        reasons.append(
            _("The requested amount %(requested)s is more than the current estimate %(estimate)s.")
            % {
                "requested": format_money(application.requested_amount),
                "estimate": format_money(match.estimated_subsidy),
            }
        )
    return reasons


def last_change_at(application: Application):
    """The last change to the application, its documents or its project (dossier currency)."""
    moments = [application.updated_at, application.project.updated_at]
    latest_doc = application.documents.aggregate(at=Max("uploaded_at"))["at"]
    if latest_doc:
        moments.append(latest_doc)
    return max(moments)


def current_dossier(application: Application):
    from grants.models import Dossier

    dossier = (
        application.dossiers.filter(status=Dossier.Status.READY)
        .order_by("-generated_at", "-id")
        .first()
    )
    if dossier is None or dossier.generated_at < last_change_at(application):
        return None
    return dossier


def submit(application: Application) -> list[str]:
    reasons = []
    if current_dossier(application) is None:
        reasons.append(
            _(
                "Generate the dossier first: there is no dossier generated after the last change "
                "to the application, its documents or its project."
            )
        )
    if application.call_id and timezone.now() > application.call.deadline:
        reasons.append(
            _("The call closed on %(deadline)s.")
            % {"deadline": timezone.localtime(application.call.deadline).strftime("%Y-%m-%d %H:%M")}
        )
    return reasons


def resubmit(application: Application) -> list[str]:
    deadline = application.supplement_deadline
    if deadline is not None and timezone.now() > deadline:
        return [
            _("The supplement deadline passed on %(deadline)s.")
            % {"deadline": timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M")}
        ]
    return []


def close(application: Application) -> list[str]:
    if (
        application.approved_amount is None
        or application.disbursed_amount < application.approved_amount
    ):
        return [
            _("Not fully paid: %(paid)s of %(approved)s received.")
            % {
                "paid": format_money(application.disbursed_amount),
                "approved": format_money(application.approved_amount),
            }
        ]
    return []


INSTANCE_GUARDS = {
    "request_review": request_review,
    "submit": submit,
    "resubmit": resubmit,
    "close": close,
}
COMMENT_REQUIRED = {"return_for_changes", "reject", "withdraw"}


def parse_amount(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return amount if amount.is_finite() else None


def input_reasons(
    application: Application, name: str, actor: User, fields: dict[str, Any]
) -> dict[str, list[str]]:
    """Reasons found in the transition's input or actor, keyed by field ('' for general)."""
    reasons: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        reasons.setdefault(field, []).append(message)

    if name in COMMENT_REQUIRED and not (fields.get("comment") or "").strip():
        add("comment", _("A comment is required for this step."))
    if (
        name == "approve_review"
        and application.organisation.require_second_reviewer
        and application.review_requested_by_id == actor.pk
    ):
        add(
            "",
            _(
                "A second reviewer is required: the person who requested the review cannot "
                "approve it."
            ),
        )
    if name == "request_supplement":
        deadline = fields.get("supplement_deadline")
        if deadline is None:
            add("supplement_deadline", _("Give the supplement deadline."))
        elif deadline <= timezone.now():
            add("supplement_deadline", _("The supplement deadline must be in the future."))
    if name == "approve":
        _amount_reasons(application, fields.get("approved_amount"), "approved_amount", add)
    if name == "disburse":
        _disburse_reasons(application, fields.get("amount"), add)
    return reasons


def _amount_reasons(application: Application, value: Any, field: str, add) -> None:
    amount = parse_amount(value)
    cap = application.programme.cap
    if amount is None:
        add(field, _("Give the approved amount."))
    elif amount <= 0:
        add(field, _("The approved amount must be more than 0."))
    elif cap is not None and amount > cap:
        add(
            field,
            _("The approved amount may not exceed the programme cap of %(cap)s.")
            % {"cap": format_money(cap)},
        )


def _disburse_reasons(application: Application, value: Any, add) -> None:
    amount = parse_amount(value)
    if amount is None:
        add("amount", _("Give the amount received."))
        return
    if amount <= 0:
        add("amount", _("The amount must be more than 0."))
        return
    approved = application.approved_amount or Decimal("0")
    if application.disbursed_amount + amount > approved:
        add(
            "amount",
            _(
                "%(amount)s would bring the total received to %(total)s, more than the approved "
                "%(approved)s."
            )
            % {
                "amount": format_money(amount),
                "total": format_money(application.disbursed_amount + amount),
                "approved": format_money(approved),
            },
        )


def all_reasons(
    application: Application, name: str, actor: User, fields: dict[str, Any]
) -> dict[str, list[str]]:
    reasons = input_reasons(application, name, actor, fields)
    guard = INSTANCE_GUARDS.get(name)
    if guard is not None:
        for message in guard(application):
            reasons.setdefault("", []).append(message)
    return reasons


__all__ = ["State", "all_reasons", "current_dossier", "missing_required_slots"]
