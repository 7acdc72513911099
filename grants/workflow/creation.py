"""Creating and editing applications: the creation rules, references, assignees."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.choices import CostKind
from companies.models import Membership, Project, membership_of
from core.api import RuleRefused
from core.money import to_cents
from grants import matching
from grants.activity import application_activity_record
from grants.models import Application, Call, Programme, ReferenceSequence
from grants.models.applications import MAX_AMOUNT, State
from grants.selectors import match_for

if TYPE_CHECKING:
    from accounts.models import User

# Which fields may still change in which states (the transition log keeps the rest).
EDITABLE_IN = {
    "requested_amount": frozenset({State.DRAFT, State.PREPARING}),
    "call": frozenset({State.DRAFT, State.PREPARING}),
    "assignee": frozenset(s for s in State if s not in {State.CLOSED, State.WITHDRAWN}),
    "submission_ref": frozenset(
        {State.SUBMITTED, State.UNDER_REVIEW, State.SUPPLEMENT_REQUESTED, State.APPROVED}
        | {State.FUNDED}
    ),
}


def _require_staff(actor: User, organisation_id: int) -> Membership:
    membership = membership_of(actor)
    if (
        membership is None
        or not membership.is_staff_role
        or membership.organisation_id != organisation_id
    ):
        raise PermissionDenied(_("Only the organisation's consultants can do this."))
    return membership


def staff_of(organisation_id: int) -> QuerySet[User]:
    """The organisation's consultants and admins (who may be assigned)."""
    from accounts.models import User

    return User.objects.filter(
        is_active=True,
        membership__organisation_id=organisation_id,
        membership__role__in=[Membership.Role.ADMIN, Membership.Role.CONSULTANT],
    ).order_by("first_name", "last_name", "username")


def next_reference(organisation_id: int) -> str:
    """GD-<year>-<6 digits>, the next of the organisation's sequence for this (Shanghai) year.

    Call inside the transaction that creates the application: the sequence row stays locked
    until it commits, and a rolled-back creation gives its number back (no gaps).
    """
    year = timezone.localdate().year
    # Two first creations of the year race on the `reference_seq_unique` key: the loser's
    # insert waits, fails and reads the winner's row; both then queue on the row lock.
    ReferenceSequence.objects.get_or_create(organisation_id=organisation_id, year=year)
    sequence = ReferenceSequence.objects.select_for_update().get(
        organisation_id=organisation_id, year=year
    )
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return f"GD-{year}-{sequence.last_number:06d}"


def default_call(programme: Programme) -> Call | None:
    """The programme's open call closing soonest (the `call_programme_deadline` index)."""
    return Call.objects.open_at().filter(programme=programme).order_by("deadline").first()


def creation_reasons(project: Project, programme: Programme, match: matching.Match) -> list[str]:
    """Why the project may not apply to the programme now (empty when it may)."""
    reasons = [rule.message for rule in match.rules if rule.result == matching.FAIL]
    live = list(
        Application.objects.filter(project=project)  # the `application_project_prog` index
        .live()
        .select_related("programme")
        .order_by("created_at", "pk")
    )
    for other in live:
        if other.programme_id == programme.pk:
            reasons.append(
                _("The project already has a live application to this programme: %(reference)s.")
                % {"reference": other.reference}
            )
        elif other.programme.basis == programme.basis:
            reasons.append(
                _(
                    "Its %(kind)s costs already fund the live application %(reference)s to "
                    "%(programme)s: one cost cannot be funded twice."
                )
                % {
                    "kind": CostKind(programme.basis).label,
                    "reference": other.reference,
                    "programme": other.programme.name,
                }
            )
    return reasons


def _check_call(call: Call | None, programme: Programme) -> None:
    if call is None:
        return
    if call.programme_id != programme.pk:
        raise ValidationError({"call": [_("This call belongs to another programme.")]})
    if call.deadline < timezone.now():
        raise ValidationError({"call": [_("This call has closed.")]})


def _check_assignee(assignee: User | None, organisation_id: int) -> None:
    if assignee is not None and not staff_of(organisation_id).filter(pk=assignee.pk).exists():
        raise ValidationError(
            {"assignee": [_("Choose one of the organisation's consultants or administrators.")]}
        )


def _check_amount(amount: Decimal) -> None:
    if amount < 0 or amount > MAX_AMOUNT:
        raise ValidationError(
            {"requested_amount": [_("Give an amount between 0 and 999,999,999,999.99.")]}
        )


def application_create(
    *,
    project: Project,
    programme: Programme,
    call: Call | None = None,
    requested_amount: Decimal | None = None,
    assignee: User | None = None,
    actor: User,
) -> Application:
    """Create a draft application, or refuse with every reason (RuleRefused, 400).

    The requested amount defaults to the estimate, the call to the programme's open call
    closing soonest, the assignee to the actor. Field problems are a ValidationError by field.
    """
    organisation_id = project.company.organisation_id
    membership = _require_staff(actor, organisation_id)
    _check_call(call, programme)
    _check_assignee(assignee, organisation_id)
    if requested_amount is not None:
        requested_amount = to_cents(requested_amount)
        _check_amount(requested_amount)
    with transaction.atomic():
        # One creation per project at a time: the live-application rules read, then insert.
        project = (
            Project.objects.select_for_update(of=("self",))
            .select_related("company")
            .get(pk=project.pk)
        )
        match = match_for(project, programme)
        reasons = creation_reasons(project, programme, match)
        if reasons:
            raise RuleRefused(_("This application cannot be created."), reasons)
        if call is None:
            call = default_call(programme)
        now = timezone.now()
        application = Application.objects.create(
            organisation_id=organisation_id,
            company=project.company,
            project=project,
            programme=programme,
            call=call,
            reference=next_reference(organisation_id),
            requested_amount=(
                requested_amount if requested_amount is not None else match.estimated_subsidy
            ),
            assignee=assignee or (actor if membership.is_staff_role else None),
            created_by=actor,
            created_at=now,
            updated_at=now,
        )
        _activity(application, actor, "created", {"programme": programme.code})
    return application


def application_update(*, application: Application, actor: User, **changes: Any) -> Application:
    """Change requested_amount, assignee, call or submission_ref where the state allows it."""
    _require_staff(actor, application.organisation_id)
    errors: dict[str, list[str]] = {}
    for field in changes:
        if field not in EDITABLE_IN:
            errors.setdefault(field, []).append(_("This field cannot be changed here."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # The row lock makes a concurrent transition wait: the state checked below is the state
        # the change is saved in.
        locked = (
            Application.objects.select_for_update(of=("self",))
            .select_related("programme")
            .get(pk=application.pk)
        )
        for field in changes:
            if locked.state not in EDITABLE_IN[field]:
                errors.setdefault(field, []).append(
                    _("This can no longer be changed while the application is “%s”.")
                    % locked.get_state_display()
                )
        if errors:
            raise ValidationError(errors)
        if "call" in changes:
            _check_call(changes["call"], locked.programme)
        if "assignee" in changes:
            _check_assignee(changes["assignee"], locked.organisation_id)
        if "requested_amount" in changes:
            changes["requested_amount"] = to_cents(changes["requested_amount"])
            _check_amount(changes["requested_amount"])
        if "submission_ref" in changes:
            changes["submission_ref"] = (changes["submission_ref"] or "").strip()
        before = {field: _plain(getattr(locked, field)) for field in changes}
        for field, value in changes.items():
            setattr(locked, field, value)
        locked.updated_at = timezone.now()
        locked.save(update_fields=[*changes, "updated_at"])
        after = {field: _plain(getattr(locked, field)) for field in changes}
        changed = {f: [before[f], after[f]] for f in changes if before[f] != after[f]}
        if changed:
            _activity(locked, actor, "updated", changed)
    return locked


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if hasattr(value, "pk"):
        return str(value)
    return value


def _activity(application: Application, actor: User, verb: str, data: dict) -> None:
    application_activity_record(application=application, actor=actor, verb=verb, data=data)
