"""The programme catalogue: policies, priority areas, programmes, their calls and document slots.

Rules are data: a programme's basis, ratio, cap and conditions drive matching, so adding a
programme needs no code.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from companies.choices import CostKind, TaxCreditRating
from companies.models import MAX_AMOUNT


def default_tax_ratings() -> list[str]:
    return [TaxCreditRating.A, TaxCreditRating.B, TaxCreditRating.M]


class BilingualMixin:
    """`name` / `title` in the active language, falling back to English."""

    def localised(self, field: str) -> str:
        zh = getattr(self, f"{field}_zh", "")
        if (get_language() or "").startswith("zh") and zh:
            return zh
        return getattr(self, f"{field}_en", "") or zh


# The issuers the catalogue file names (in English, as catalogue.md gives them), so the pages can
# show them in the reader's language. An issuer not listed here is shown as written.
ISSUER_NAMES = {
    "State Council": _("State Council"),
    "Municipal People's Congress Standing Committee": _(
        "Municipal People's Congress Standing Committee"
    ),
    "Municipal Government General Office": _("Municipal Government General Office"),
    "SHEITC": _("SHEITC"),
    "SHEITC (市经济信息化委)": _("SHEITC"),
    "SHEITC with four other bodies": _("SHEITC with four other bodies"),
}


class Policy(BilingualMixin, models.Model):
    class Tier(models.TextChoices):
        NATIONAL = "national", _("National")
        TOP_LEVEL = "top_level", _("Shanghai top-level design")
        VERTICAL = "vertical", _("Shanghai vertical-domain support")
        CALL_NOTICE = "call_notice", _("Call notice")

    code = models.SlugField(_("code"), max_length=80, unique=True)
    title_en = models.CharField(_("title (English)"), max_length=400)
    title_zh = models.CharField(_("title (Chinese)"), max_length=400, blank=True)
    tier = models.CharField(_("tier"), max_length=20, choices=Tier.choices)
    issuer = models.CharField(_("issuer"), max_length=300, blank=True)
    doc_number = models.CharField(_("document number"), max_length=120, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    date_note = models.CharField(
        _("date as published"),
        max_length=200,
        blank=True,
        help_text=_("The date as the source states it, e.g. 'adopted 2022-09-22'."),
    )
    source = models.CharField(_("source"), max_length=500, blank=True)

    class Meta:
        ordering = ["tier", "code"]
        verbose_name = _("policy")
        verbose_name_plural = _("policies")

    def __str__(self) -> str:
        return self.code

    @property
    def title(self) -> str:
        return self.localised("title")

    @property
    def issuer_name(self) -> str:
        """The issuer in the active language where the catalogue's issuer is a known one."""
        name = ISSUER_NAMES.get(self.issuer)
        return str(name) if name is not None else self.issuer


class PriorityArea(BilingualMixin, models.Model):
    class Group(models.TextChoices):
        FOUNDATION = "foundation", _("Foundation")
        VERTICAL = "vertical", _("Vertical")

    code = models.SlugField(_("code"), max_length=50, unique=True)
    group = models.CharField(_("group"), max_length=20, choices=Group.choices)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    covers_en = models.TextField(_("covers (English)"), blank=True)
    covers_zh = models.TextField(_("covers (Chinese)"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("priority area")
        verbose_name_plural = _("priority areas")

    def __str__(self) -> str:
        return self.code

    @property
    def name(self) -> str:
        return self.localised("name")


class Programme(BilingualMixin, models.Model):
    """One support instrument: `ratio` of the eligible `basis` costs, at most `cap`."""

    code = models.SlugField(_("code"), max_length=80, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=300)
    name_zh = models.CharField(_("name (Chinese)"), max_length=300, blank=True)
    policy = models.ForeignKey(
        Policy, on_delete=models.PROTECT, null=True, blank=True, related_name="programmes"
    )
    basis = models.CharField(_("basis (cost kind)"), max_length=30, choices=CostKind.choices)
    ratio = models.DecimalField(
        _("ratio"),
        max_digits=5,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0.0001")), MaxValueValidator(Decimal("1"))],
    )
    cap = models.DecimalField(
        _("cap (RMB)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_AMOUNT)],
    )
    max_months = models.PositiveIntegerField(
        _("maximum months"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    areas = models.ManyToManyField(
        PriorityArea, blank=True, related_name="programmes", verbose_name=_("priority areas")
    )
    exclude_related_party = models.BooleanField(_("exclude related-party costs"), default=False)
    requires_shanghai_registration = models.BooleanField(
        _("requires Shanghai registration"), default=True
    )
    allowed_tax_ratings = models.JSONField(
        _("allowed tax credit ratings"), default=default_tax_ratings, blank=True
    )
    min_company_age_years = models.PositiveSmallIntegerField(
        _("minimum company age (years)"), null=True, blank=True
    )
    min_basis_amount = models.DecimalField(
        _("minimum basis (RMB)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_AMOUNT)],
    )
    notes_en = models.TextField(_("notes (English)"), blank=True)
    notes_zh = models.TextField(_("notes (Chinese)"), blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(
                name="programme_ratio_in_range", condition=Q(ratio__gt=0) & Q(ratio__lte=1)
            ),
            models.CheckConstraint(
                name="programme_cap_positive", condition=Q(cap__isnull=True) | Q(cap__gt=0)
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def name(self) -> str:
        return self.localised("name")


class DocumentSlot(BilingualMixin, models.Model):
    """A document the programme's checklist asks for."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="document_slots"
    )
    code = models.SlugField(_("code"), max_length=50)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    required = models.BooleanField(_("required"), default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["programme", "position", "id"]
        verbose_name = _("document slot")
        verbose_name_plural = _("document slots")
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="slot_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.programme_id}:{self.code}"

    @property
    def name(self) -> str:
        return self.localised("name")


class CallQuerySet(models.QuerySet):
    def open_at(self, when=None) -> CallQuerySet:
        when = when or timezone.now()
        return self.filter(opens_at__lte=when, deadline__gte=when)

    def with_status(self, status: str, when=None) -> CallQuerySet:
        when = when or timezone.now()
        if status == Call.Status.UPCOMING:
            return self.filter(opens_at__gt=when)
        if status == Call.Status.OPEN:
            return self.open_at(when)
        if status == Call.Status.CLOSED:
            return self.filter(deadline__lt=when)
        return self.none()


class Call(models.Model):
    """An application round of a programme."""

    class Status(models.TextChoices):
        UPCOMING = "upcoming", _("Upcoming")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="calls")
    title = models.CharField(_("title"), max_length=300)
    opens_at = models.DateTimeField(_("opens at"))
    deadline = models.DateTimeField(_("deadline"))
    is_demo = models.BooleanField(
        _("demo call"), default=False, help_text=_("Created by seed_demo; not a real call.")
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = CallQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        constraints = [
            models.CheckConstraint(
                name="call_deadline_after_opening", condition=Q(deadline__gt=models.F("opens_at"))
            )
        ]
        indexes = [models.Index(fields=["programme", "deadline"], name="call_programme_deadline")]

    def __str__(self) -> str:
        return self.title

    def status_at(self, when=None) -> str:
        when = when or timezone.now()
        if when < self.opens_at:
            return self.Status.UPCOMING
        if when <= self.deadline:
            return self.Status.OPEN
        return self.Status.CLOSED

    @property
    def status(self) -> str:
        return self.status_at()
