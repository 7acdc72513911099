"""Tenancy and the firms being funded: organisations, members, companies, projects, cost lines.

This app knows nothing of grants. Everything here belongs to exactly one organisation, and every
read goes through a `visible_to(user)` queryset method: consultants and admins see their
organisation's companies, a client sees its own company only.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from companies.choices import CostKind, District, TaxCreditRating
from companies.validators import validate_not_in_future, validate_uscc

if TYPE_CHECKING:
    from accounts.models import User

MAX_AMOUNT = Decimal("999999999999.99")  # just under one trillion yuan: far above any grant basis
amount_validators = [MinValueValidator(Decimal("0")), MaxValueValidator(MAX_AMOUNT)]


class Organisation(models.Model):
    """The tenant: a consultancy, or a firm that tracks its own applications."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    require_second_reviewer = models.BooleanField(
        _("require a second reviewer"),
        default=False,
        help_text=_("Four-eyes rule: whoever requested the internal review may not approve it."),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's one place in one organisation. A client membership names its company."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        CONSULTANT = "consultant", _("Consultant")
        CLIENT = "client", _("Client")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    company = models.ForeignKey(
        "Company",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="client_memberships",
        verbose_name=_("company"),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                name="client_membership_names_company",
                condition=(Q(role="client") & Q(company__isnull=False))
                | (~Q(role="client") & Q(company__isnull=True)),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.role})"

    @property
    def is_staff_role(self) -> bool:
        """Consultants and admins act on applications; clients do not."""
        return self.role in (self.Role.ADMIN, self.Role.CONSULTANT)


def membership_of(user: User | None) -> Membership | None:
    """The user's membership, or None for anonymous users and users without one."""
    if user is None or not user.is_authenticated:
        return None
    try:
        return user.membership
    except Membership.DoesNotExist:
        return None


class CompanyQuerySet(models.QuerySet):
    def visible_to(self, user: User | None) -> CompanyQuerySet:
        membership = membership_of(user)
        if membership is None:
            return self.none()
        if membership.role == Membership.Role.CLIENT:
            return self.filter(pk=membership.company_id)
        return self.filter(organisation_id=membership.organisation_id)


class Company(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="companies"
    )
    name = models.CharField(_("name"), max_length=200)
    name_zh = models.CharField(_("Chinese name"), max_length=200, blank=True)
    uscc = models.CharField(
        _("unified social credit code"),
        max_length=18,
        validators=[validate_uscc],
        help_text=_("18 characters, as printed on the business licence."),
    )
    district = models.CharField(_("district"), max_length=20, choices=District.choices)
    established_on = models.DateField(
        _("established on"), null=True, blank=True, validators=[validate_not_in_future]
    )
    employees = models.PositiveIntegerField(
        _("employees"), null=True, blank=True, validators=[MaxValueValidator(10_000_000)]
    )
    tax_credit_rating = models.CharField(
        _("tax credit rating"), max_length=1, choices=TaxCreditRating.choices, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CompanyQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "uscc"], name="company_uscc_unique_in_organisation"
            )
        ]
        indexes = [models.Index(fields=["organisation", "name"], name="company_org_name_idx")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("companies:detail", kwargs={"pk": self.pk})

    @property
    def display_name(self) -> str:
        return f"{self.name} ({self.name_zh})" if self.name_zh else self.name


class Contact(models.Model):
    """A contact person at a company."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("position"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return self.name


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user: User | None) -> ProjectQuerySet:
        membership = membership_of(user)
        if membership is None:
            return self.none()
        if membership.role == Membership.Role.CLIENT:
            return self.filter(company_id=membership.company_id)
        return self.filter(company__organisation_id=membership.organisation_id)


class Project(models.Model):
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="projects")
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    # Priority-area codes from the catalogue. Stored as codes (not a relation) because this app
    # does not know the catalogue; `companies.hooks` lets the catalogue validate them.
    areas = models.JSONField(_("priority areas"), default=list, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.CheckConstraint(
                name="project_ends_after_start",
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("companies:project_detail", kwargs={"pk": self.pk})


class CostLine(models.Model):
    """One cost of a project: what it pays for, how much in total, for how many months."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="costs")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=30, choices=CostKind.choices)
    amount = models.DecimalField(
        _("amount (RMB)"), max_digits=14, decimal_places=2, validators=amount_validators
    )
    months = models.PositiveIntegerField(
        _("months"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(1200)],
        help_text=_("For rent-like costs: how many months the amount covers."),
    )
    supplier = models.CharField(_("supplier"), max_length=200, blank=True)
    related_party = models.BooleanField(
        _("related party"), default=False, help_text=_("Bought from an affiliated party.")
    )
    description = models.CharField(_("description"), max_length=500, blank=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("cost line")
        verbose_name_plural = _("cost lines")
        constraints = [
            models.CheckConstraint(name="cost_amount_not_negative", condition=Q(amount__gte=0)),
            models.CheckConstraint(
                name="cost_months_at_least_one", condition=Q(months__isnull=True) | Q(months__gte=1)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.amount}"


class ActivityQuerySet(models.QuerySet):
    def visible_to(self, user: User | None) -> ActivityQuerySet:
        membership = membership_of(user)
        if membership is None or not membership.is_staff_role:
            return self.none()
        return self.filter(organisation_id=membership.organisation_id)


class Activity(models.Model):
    """The organisation's activity log: who did what, to which object, when."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="activities"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    verb = models.CharField(max_length=50)
    object_type = models.CharField(max_length=50)
    object_id = models.CharField(max_length=50, blank=True)
    object_label = models.CharField(max_length=300, blank=True)
    company = models.ForeignKey(
        Company, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [models.Index(fields=["organisation", "-at"], name="activity_org_at_idx")]

    def __str__(self) -> str:
        return f"{self.actor} {self.verb} {self.object_type} {self.object_label}"

    @property
    def summary(self) -> str:
        """What happened, in the reader's language (the actor and time are shown beside it)."""
        template = ACTIVITY_VERBS.get(self.verb)
        kind = ACTIVITY_OBJECTS.get(self.object_type, self.object_type)
        if template is None:
            return f"{self.verb} {kind} {self.object_label}"
        return template % {"type": kind, "label": self.object_label}


ACTIVITY_VERBS = {
    "created": _("created %(type)s “%(label)s”"),
    "updated": _("changed %(type)s “%(label)s”"),
    "deleted": _("deleted %(type)s “%(label)s”"),
    "invited": _("invited %(label)s"),
    "member_added": _("added the member %(label)s"),
    "role_changed": _("changed the role of %(label)s"),
    "removed": _("removed the member %(label)s"),
    # Rows the applications area records (companies does not import grants; the words are enough).
    "uploaded": _("uploaded a document to %(type)s %(label)s"),
    "commented": _("commented on %(type)s %(label)s"),
    "generated": _("generated %(type)s %(label)s"),
    "requested": _("requested %(type)s %(label)s"),
}
ACTIVITY_OBJECTS = {
    "organisation": _("organisation"),
    "company": _("company"),
    "project": _("project"),
    "membership": _("member"),
    "application": _("application"),
    "dossier": _("dossier"),
    "document": _("document"),
}
