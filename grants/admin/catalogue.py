"""Django admin: the catalogue, for its maintainers (`is_staff`)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from companies.choices import TaxCreditRating
from grants import matching
from grants.models import Call, DocumentSlot, Policy, PriorityArea, Programme
from grants.selectors import programme_rules


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    list_display = ("code", "title_en", "title_zh", "tier", "issuer", "doc_number", "issued_on")
    list_filter = ("tier",)
    search_fields = ("code", "title_en", "title_zh", "issuer", "doc_number")
    ordering = ("tier", "code")


@admin.register(PriorityArea)
class PriorityAreaAdmin(admin.ModelAdmin):
    list_display = ("code", "name_en", "name_zh", "group", "position")
    list_filter = ("group",)
    search_fields = ("code", "name_en", "name_zh", "covers_en", "covers_zh")
    ordering = ("position", "code")


class DocumentSlotInline(admin.TabularInline):
    model = DocumentSlot
    extra = 0
    fields = ("position", "code", "name_en", "name_zh", "required")
    ordering = ("position", "id")


class CallInline(admin.TabularInline):
    model = Call
    extra = 0
    fields = ("title", "opens_at", "deadline", "status", "is_demo")
    readonly_fields = ("status",)
    ordering = ("-deadline",)
    show_change_link = True

    @admin.display(description=_("status"))
    def status(self, call: Call) -> str:
        return Call.Status(call.status).label if call.pk else "—"


class ProgrammeForm(forms.ModelForm):
    allowed_tax_ratings = forms.MultipleChoiceField(
        label=_("allowed tax credit ratings"),
        choices=TaxCreditRating.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("None ticked: the tax rating is not checked."),
    )

    class Meta:
        model = Programme
        fields = (
            "code",
            "name_en",
            "name_zh",
            "policy",
            "is_active",
            "basis",
            "ratio",
            "cap",
            "max_months",
            "exclude_related_party",
            "min_basis_amount",
            "requires_shanghai_registration",
            "allowed_tax_ratings",
            "min_company_age_years",
            "areas",
            "notes_en",
            "notes_zh",
            "source",
        )

    def clean_allowed_tax_ratings(self) -> list[str]:
        order = [r.value for r in TaxCreditRating]
        return sorted(set(self.cleaned_data["allowed_tax_ratings"]), key=order.index)


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    form = ProgrammeForm
    inlines = [DocumentSlotInline, CallInline]
    list_display = ("code", "name_en", "name_zh", "basis", "ratio", "cap", "formula", "is_active")
    list_filter = (
        "is_active",
        "basis",
        "requires_shanghai_registration",
        "exclude_related_party",
        "policy__tier",
        "areas",
    )
    search_fields = ("code", "name_en", "name_zh", "notes_en", "notes_zh", "policy__code")
    list_select_related = ("policy",)
    filter_horizontal = ("areas",)
    readonly_fields = ("formula_preview", "updated_at")
    ordering = ("code",)
    fieldsets = (
        (None, {"fields": ("code", "name_en", "name_zh", "policy", "is_active")}),
        (
            _("Formula"),
            {
                "fields": (
                    "formula_preview",
                    "basis",
                    "ratio",
                    "cap",
                    "max_months",
                    "exclude_related_party",
                    "min_basis_amount",
                )
            },
        ),
        (
            _("Conditions"),
            {
                "fields": (
                    "requires_shanghai_registration",
                    "allowed_tax_ratings",
                    "min_company_age_years",
                    "areas",
                )
            },
        ),
        (_("Notes and source"), {"fields": ("notes_en", "notes_zh", "source", "updated_at")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("areas")

    @admin.display(description=_("formula"))
    def formula(self, programme: Programme) -> str:
        return matching.describe_formula(programme_rules(programme))

    @admin.display(description=_("formula preview"))
    def formula_preview(self, programme: Programme) -> str:
        if not programme.pk:
            return _("Shown once the programme is saved.")
        rules = programme_rules(programme)
        conditions = matching.describe_conditions(rules)
        return " ".join([matching.describe_formula(rules) + ".", *conditions])


class CallStatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return Call.Status.choices

    def queryset(self, request, queryset):
        if self.value() in Call.Status.values:
            return queryset.with_status(self.value(), timezone.now())
        return queryset


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ("title", "programme", "opens_at", "deadline", "status", "is_demo")
    list_filter = (CallStatusFilter, "programme", "is_demo")
    search_fields = ("title", "programme__code", "programme__name_en", "programme__name_zh")
    list_select_related = ("programme",)
    date_hierarchy = "deadline"
    ordering = ("-deadline",)

    def get_readonly_fields(self, request, obj=None):
        # As the API: once applications use a call, its programme stays (they must agree).
        fields = tuple(super().get_readonly_fields(request, obj))
        if obj is not None and obj.applications.exists():
            fields += ("programme",)
        return fields

    @admin.display(description=_("status"))
    def status(self, call: Call) -> str:
        return Call.Status(call.status).label


@admin.register(DocumentSlot)
class DocumentSlotAdmin(admin.ModelAdmin):
    list_display = ("programme", "code", "name_en", "name_zh", "required", "position")
    list_filter = ("required", "programme")
    search_fields = ("code", "name_en", "name_zh", "programme__code")
    list_select_related = ("programme",)
