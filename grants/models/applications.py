"""Applications and their workflow: a django-fsm-2 state machine, its log and disbursements.

Every transition is declared once here (source, target, conditions, permission). Nothing calls
these methods but the workflow service (`grants.workflow.application_transition`), which checks
role and guards, saves in a transaction, logs, and schedules side effects on commit.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from companies.models import MAX_AMOUNT, Company, Membership, Organisation, Project, membership_of
from companies.models import amount_validators as _amount_validators
from grants.models.catalogue import Call, Programme

if TYPE_CHECKING:
    from accounts.models import User


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PREPARING = "preparing", _("Preparing")
    INTERNAL_REVIEW = "internal_review", _("Internal review")
    READY = "ready", _("Ready to submit")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Supplement requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    FUNDED = "funded", _("Funded")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# What a client reads: the consultancy's internal stages collapse into plain words.
CLIENT_LABELS = {
    State.DRAFT: pgettext_lazy("client status", "Being prepared"),
    State.PREPARING: pgettext_lazy("client status", "Being prepared"),
    State.INTERNAL_REVIEW: pgettext_lazy("client status", "Being checked"),
    State.READY: pgettext_lazy("client status", "Ready to submit"),
    State.SUBMITTED: pgettext_lazy("client status", "Submitted to the government"),
    State.UNDER_REVIEW: pgettext_lazy("client status", "Under government review"),
    State.SUPPLEMENT_REQUESTED: pgettext_lazy("client status", "More documents needed"),
    State.APPROVED: pgettext_lazy("client status", "Approved"),
    State.REJECTED: pgettext_lazy("client status", "Not approved"),
    State.FUNDED: pgettext_lazy("client status", "Funds received"),
    State.CLOSED: pgettext_lazy("client status", "Completed"),
    State.WITHDRAWN: pgettext_lazy("client status", "Withdrawn"),
}

FINAL_STATES = frozenset({State.REJECTED, State.CLOSED, State.WITHDRAWN})
LIVE_STATES = frozenset(s for s in State if s not in FINAL_STATES)
# The states in which the call deadline applies (product.md, "Deadlines and reminders").
CALL_DEADLINE_STATES = frozenset({State.DRAFT, State.PREPARING, State.INTERNAL_REVIEW, State.READY})
# "Due soon", the one definition every page uses to highlight a deadline: the deadline's date
# is at most this many calendar days after today, both dates taken in Asia/Shanghai (a deadline
# at 23:59 on the 10th is due soon all day on the 3rd). A passed deadline is overdue instead.
DUE_SOON_DAYS = 7


def days_left(deadline_at: datetime, now: datetime) -> int:
    """Calendar days from today to the deadline's date, both in Shanghai (0 on the day)."""
    return (timezone.localtime(deadline_at).date() - timezone.localtime(now).date()).days


def deadline_highlight(deadline_at: datetime | None, now: datetime | None = None) -> str:
    """'overdue' once the instant has passed, 'soon' within DUE_SOON_DAYS, else ''."""
    if deadline_at is None:
        return ""
    now = now or timezone.now()
    if deadline_at < now:
        return "overdue"
    return "soon" if days_left(deadline_at, now) <= DUE_SOON_DAYS else ""


def due_soon_until(now: datetime) -> datetime:
    """The first instant that is no longer due soon (midnight after the last day that is), for
    templates that compare instants: `now <= deadline < due_soon_until(now)` is "soon"."""
    last_day = timezone.localtime(now).date() + timedelta(days=DUE_SOON_DAYS + 1)
    return timezone.make_aware(datetime.combine(last_day, time.min))


WITHDRAWABLE = [
    State.DRAFT,
    State.PREPARING,
    State.INTERNAL_REVIEW,
    State.READY,
    State.SUBMITTED,
    State.UNDER_REVIEW,
    State.SUPPLEMENT_REQUESTED,
]


def may_act(application: Application, user: User) -> bool:
    """Consultants and admins of the application's organisation act; clients do not."""
    membership = membership_of(user)
    return (
        membership is not None
        and membership.is_staff_role
        and membership.organisation_id == application.organisation_id
    )


def _no_reasons(check_name: str):
    """An fsm condition that holds when the named guard of `grants.guards` finds no reason."""

    def condition(application: Application) -> bool:
        from grants import guards

        return not getattr(guards, check_name)(application)

    condition.__name__ = check_name
    return condition


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user: User | None) -> ApplicationQuerySet:
        membership = membership_of(user)
        if membership is None:
            return self.none()
        if membership.role == Membership.Role.CLIENT:
            return self.filter(company_id=membership.company_id)
        return self.filter(organisation_id=membership.organisation_id)

    def live(self) -> ApplicationQuerySet:
        return self.exclude(state__in=FINAL_STATES)

    def with_deadline(self) -> ApplicationQuerySet:
        """Annotate `current_deadline`: the call's while preparing, the supplement's after."""
        return self.annotate(
            current_deadline=Case(
                When(state__in=CALL_DEADLINE_STATES, then=F("call__deadline")),
                When(state=State.SUPPLEMENT_REQUESTED, then=F("supplement_deadline")),
                default=Value(None),
                output_field=models.DateTimeField(),
            )
        )

    def for_list(self) -> ApplicationQuerySet:
        """What a list row shows (company, programme, call, assignee) in the same query."""
        return self.select_related("company", "project", "programme", "call", "assignee")


class Application(ConcurrentTransitionMixin, models.Model):
    """Project × programme (× call), moving through the states of `State`."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="applications"
    )
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="applications")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="applications")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="applications")
    call = models.ForeignKey(
        Call, on_delete=models.PROTECT, null=True, blank=True, related_name="applications"
    )
    reference = models.CharField(_("reference"), max_length=30)
    state = FSMField(_("state"), default=State.DRAFT, choices=State.choices, protected=True)
    requested_amount = models.DecimalField(
        _("requested amount"), max_digits=14, decimal_places=2, validators=_amount_validators
    )
    approved_amount = models.DecimalField(
        _("approved amount"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    disbursed_amount = models.DecimalField(
        _("disbursed amount"), max_digits=14, decimal_places=2, default=0
    )
    submission_ref = models.CharField(_("submission reference"), max_length=100, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    supplement_deadline = models.DateTimeField(_("supplement deadline"), null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_applications",
        verbose_name=_("assignee"),
    )
    review_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="application_reference_unique"
            ),
            models.CheckConstraint(
                name="application_amounts_not_negative",
                condition=Q(requested_amount__gte=0) & Q(disbursed_amount__gte=0),
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "state"], name="application_org_state"),
            models.Index(fields=["project", "programme"], name="application_project_prog"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def client_label(self) -> str:
        return CLIENT_LABELS[State(self.state)]

    @property
    def is_live(self) -> bool:
        return self.state not in FINAL_STATES

    @property
    def deadline(self):
        """The deadline that applies now: the call's while preparing, the supplement's after."""
        if self.state in CALL_DEADLINE_STATES:
            return self.call.deadline if self.call_id else None
        if self.state == State.SUPPLEMENT_REQUESTED:
            return self.supplement_deadline
        return None

    @property
    def deadline_status(self) -> str:
        """'overdue', 'soon' (within DUE_SOON_DAYS Shanghai calendar days) or '': highlighting."""
        return deadline_highlight(self.deadline)

    # --- transitions (declared once; performed only by grants.workflow) ---------------------

    @transition(field=state, source=State.DRAFT, target=State.PREPARING, permission=may_act)
    def start(self) -> None:
        pass

    @transition(
        field=state,
        source=State.PREPARING,
        target=State.INTERNAL_REVIEW,
        permission=may_act,
        conditions=[_no_reasons("request_review")],
    )
    def request_review(self, *, by: User) -> None:
        self.review_requested_by = by

    @transition(
        field=state, source=State.INTERNAL_REVIEW, target=State.PREPARING, permission=may_act
    )
    def return_for_changes(self) -> None:
        pass

    @transition(field=state, source=State.INTERNAL_REVIEW, target=State.READY, permission=may_act)
    def approve_review(self) -> None:
        pass

    @transition(
        field=state,
        source=State.READY,
        target=State.SUBMITTED,
        permission=may_act,
        conditions=[_no_reasons("submit")],
    )
    def submit(self, *, submission_ref: str = "") -> None:
        self.submission_ref = submission_ref or ""
        self.submitted_at = timezone.now()

    @transition(field=state, source=State.SUBMITTED, target=State.UNDER_REVIEW, permission=may_act)
    def start_review(self) -> None:
        pass

    @transition(
        field=state,
        source=[State.SUBMITTED, State.UNDER_REVIEW],
        target=State.SUPPLEMENT_REQUESTED,
        permission=may_act,
    )
    def request_supplement(self, *, supplement_deadline) -> None:
        self.supplement_deadline = supplement_deadline

    @transition(
        field=state,
        source=State.SUPPLEMENT_REQUESTED,
        target=State.UNDER_REVIEW,
        permission=may_act,
        conditions=[_no_reasons("resubmit")],
    )
    def resubmit(self) -> None:
        pass

    @transition(field=state, source=State.UNDER_REVIEW, target=State.APPROVED, permission=may_act)
    def approve(self, *, approved_amount) -> None:
        self.approved_amount = approved_amount

    @transition(
        field=state,
        source=[State.SUBMITTED, State.UNDER_REVIEW],
        target=State.REJECTED,
        permission=may_act,
    )
    def reject(self) -> None:
        pass

    @transition(
        field=state, source=[State.APPROVED, State.FUNDED], target=State.FUNDED, permission=may_act
    )
    def disburse(self, *, amount) -> None:
        self.disbursed_amount = (self.disbursed_amount or 0) + amount

    @transition(
        field=state,
        source=State.FUNDED,
        target=State.CLOSED,
        permission=may_act,
        conditions=[_no_reasons("close")],
    )
    def close(self) -> None:
        pass

    @transition(field=state, source=WITHDRAWABLE, target=State.WITHDRAWN, permission=may_act)
    def withdraw(self) -> None:
        pass


TRANSITION_NAMES = (
    "start",
    "request_review",
    "return_for_changes",
    "approve_review",
    "submit",
    "start_review",
    "request_supplement",
    "resubmit",
    "approve",
    "reject",
    "disburse",
    "close",
    "withdraw",
)

# Button and history labels of the transitions.
TRANSITION_LABELS = {
    "start": _("Start preparing"),
    "request_review": _("Request internal review"),
    "return_for_changes": _("Return for changes"),
    "approve_review": _("Approve review"),
    "submit": _("Record submission"),
    "start_review": _("Government review started"),
    "request_supplement": _("Record a supplement request"),
    "resubmit": _("Resubmit"),
    "approve": _("Record approval"),
    "reject": _("Record rejection"),
    "disburse": _("Record a payment"),
    "close": _("Close the application"),
    "withdraw": _("Withdraw"),
}


class ReferenceSequence(models.Model):
    """The last reference number used per organisation and year (GD-<year>-<sequence>).

    Incremented under a row lock in the same transaction that creates the application, so a
    failed creation rolls the number back: references are unique and gap-free.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="reference_seq_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.year}: {self.last_number}"


class ImmutableRowsError(ValueError):
    """An attempt to change or delete rows that record what happened."""


class ImmutableQuerySet(models.QuerySet):
    """Reads and inserts only: `update()`, `bulk_update()` and `delete()` refuse.

    The app never changes a record of what happened; without this, one bulk call would
    rewrite history that `ImmutableModel.save`/`delete` protect row by row.
    """

    def update(self, **kwargs):
        raise ImmutableRowsError(f"{self.model.__name__} rows are immutable.")

    update.queryset_only = True

    def bulk_update(self, objs, fields, batch_size=None):
        raise ImmutableRowsError(f"{self.model.__name__} rows are immutable.")

    def delete(self):
        raise ImmutableRowsError(f"{self.model.__name__} rows cannot be deleted.")

    delete.queryset_only = True
    delete.alters_data = True


class ImmutableModel(models.Model):
    """Rows that record what happened: written once, never changed or deleted by the app."""

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not self._state.adding:
            raise ImmutableRowsError(f"{type(self).__name__} rows are immutable.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRowsError(f"{type(self).__name__} rows cannot be deleted.")


class TransitionLogQuerySet(ImmutableQuerySet):
    def visible_to(self, user: User | None) -> TransitionLogQuerySet:
        """The transitions of the applications the user may see (`Application.visible_to`)."""
        return self.filter(application__in=Application.objects.visible_to(user).values("pk"))


class TransitionLog(ImmutableModel):
    """One row per transition: from, to, by whom, when, why, and the transition's fields."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="log")
    transition = models.CharField(max_length=40)
    from_state = models.CharField(max_length=30, choices=State.choices)
    to_state = models.CharField(max_length=30, choices=State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    objects = TransitionLogQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("transition")
        verbose_name_plural = _("transition log")
        indexes = [models.Index(fields=["application", "at"], name="transitionlog_app_at")]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.transition}"


class Disbursement(ImmutableModel):
    """A tranche received, recorded by the `disburse` transition."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="disbursements"
    )
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    paid_on = models.DateField(_("paid on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    log = models.OneToOneField(
        TransitionLog, on_delete=models.PROTECT, null=True, related_name="disbursement"
    )

    class Meta:
        ordering = ["paid_on", "id"]
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        constraints = [
            models.CheckConstraint(name="disbursement_positive", condition=Q(amount__gt=0))
        ]

    def __str__(self) -> str:
        return f"{self.amount} on {self.paid_on}"


class ApplicationComment(models.Model):
    """A note on an application, from a consultant or the client."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("comment"), max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return self.body[:60]


__all__ = [
    "CALL_DEADLINE_STATES",
    "CLIENT_LABELS",
    "FINAL_STATES",
    "LIVE_STATES",
    "MAX_AMOUNT",
    "TRANSITION_LABELS",
    "TRANSITION_NAMES",
    "Application",
    "ApplicationComment",
    "Disbursement",
    "ReferenceSequence",
    "State",
    "TransitionLog",
]
