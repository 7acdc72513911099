"""API: the catalogue (api.md, "Catalogue"). Reads for any signed-in user, writes for `is_staff`."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db.models import Case, Prefetch, Value, When
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, permissions, serializers
from rest_framework.exceptions import ValidationError

from companies.choices import CostKind, TaxCreditRating
from companies.models import MAX_AMOUNT
from grants.catalogue import services
from grants.catalogue.rules import (
    PROGRAMME_FIELDS,
    RATIO_PLACES,
    cap_valid,
    ratio_valid,
    repeated,
    within_places,
)
from grants.models import Call, DocumentSlot, Policy, PriorityArea, Programme


class IsStaffForWrites(permissions.BasePermission):
    """Any signed-in user reads; only catalogue maintainers (`is_staff`) write."""

    message = _("Only catalogue maintainers may change the catalogue.")

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        return request.method in permissions.SAFE_METHODS or user.is_staff


def ratio_text(value: Decimal) -> str:
    """0.3 → "0.30", 1 → "1.00", 0.125 → "0.125": at least two places, no trailing noise."""
    value = Decimal(value).normalize()
    if value.as_tuple().exponent > -2:
        value = value.quantize(Decimal("0.01"))
    return f"{value:f}"


@extend_schema_field(OpenApiTypes.STR)
class RatioField(serializers.Field):
    default_error_messages = {
        "invalid": _('Enter the ratio as a number such as "0.30".'),
        "range": _("The ratio must be more than 0 and at most 1."),
        "places": _("The ratio has at most 4 decimal places."),
    }

    def to_representation(self, value) -> str:
        return ratio_text(value)

    def to_internal_value(self, data) -> Decimal:
        if isinstance(data, bool) or not isinstance(data, str | int | float):
            self.fail("invalid")
        try:
            value = Decimal(str(data).strip())
        except InvalidOperation:
            self.fail("invalid")
        if not value.is_finite():
            self.fail("invalid")
        if not ratio_valid(value):
            self.fail("range")
        if not within_places(value, RATIO_PLACES):
            self.fail("places")
        return value


def money_field(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=14, decimal_places=2, max_value=MAX_AMOUNT, allow_null=True, **kwargs
    )


class PolicySerializer(serializers.ModelSerializer):
    class Meta:
        model = Policy
        fields = ["id", "code", "title_en", "title_zh", "tier", "issuer", "doc_number", "issued_on"]


class AreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = PriorityArea
        fields = ["code", "name_en", "name_zh", "group"]


class DocumentSlotSerializer(serializers.ModelSerializer):
    code = serializers.SlugField(max_length=50)
    name_zh = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    required = serializers.BooleanField(required=False, default=True)

    class Meta:
        model = DocumentSlot
        fields = ["code", "name_en", "name_zh", "required"]


class ProgrammeSerializer(serializers.ModelSerializer):
    policy = serializers.SlugRelatedField(
        slug_field="code", queryset=Policy.objects.all(), allow_null=True, required=False
    )
    basis = serializers.ChoiceField(choices=CostKind.choices)
    ratio = RatioField()
    cap = money_field(required=False)
    max_months = serializers.IntegerField(
        min_value=1, max_value=1200, allow_null=True, required=False
    )
    areas = serializers.SlugRelatedField(
        slug_field="code", queryset=PriorityArea.objects.all(), many=True, required=False
    )
    allowed_tax_ratings = serializers.ListField(
        child=serializers.ChoiceField(choices=TaxCreditRating.choices), required=False
    )
    min_company_age_years = serializers.IntegerField(
        min_value=0, max_value=200, allow_null=True, required=False
    )
    min_basis_amount = money_field(required=False, min_value=Decimal("0"))
    document_slots = DocumentSlotSerializer(many=True, required=False)

    class Meta:
        model = Programme
        fields = [*PROGRAMME_FIELDS, "document_slots"]

    def validate_code(self, value: str) -> str:
        if self.instance is not None and value != self.instance.code:
            raise ValidationError(_("The code of a programme cannot change."))
        return value

    def validate_cap(self, value):
        # The field's own validators have already refused more than MAX_AMOUNT.
        if value is not None and not cap_valid(value):
            raise ValidationError(_("The cap must be more than 0, or null for no cap."))
        return value

    def validate_allowed_tax_ratings(self, value: list[str]) -> list[str]:
        if repeated(value):
            raise ValidationError(_("A rating is listed twice."))
        order = [r.value for r in TaxCreditRating]
        return sorted(value, key=order.index)

    def validate_document_slots(self, value: list[dict]) -> list[dict]:
        if repeated(slot["code"] for slot in value):
            raise ValidationError(_("Each document slot code may appear only once."))
        return value


class ProgrammeQueryMixin:
    queryset = (
        Programme.objects.select_related("policy")
        .prefetch_related(
            Prefetch("areas", queryset=PriorityArea.objects.only("code")),
            Prefetch("document_slots", queryset=DocumentSlot.objects.order_by("position", "id")),
        )
        .order_by("code")
    )
    serializer_class = ProgrammeSerializer
    permission_classes = [IsStaffForWrites]


class ProgrammeList(ProgrammeQueryMixin, generics.ListCreateAPIView):
    """Programmes: their rules, areas and document checklist. POST: maintainers only."""

    def perform_create(self, serializer):
        serializer.instance = services.programme_create(
            actor=self.request.user, data=serializer.validated_data
        )


class ProgrammeDetail(ProgrammeQueryMixin, generics.RetrieveUpdateAPIView):
    """One programme by code. PATCH: maintainers only; `document_slots` is written whole."""

    lookup_field = "code"
    http_method_names = ["get", "patch", "head", "options"]

    def perform_update(self, serializer):
        programme = services.programme_update(
            actor=self.request.user, programme=serializer.instance, data=serializer.validated_data
        )
        serializer.instance = self.get_queryset().get(pk=programme.pk)


class CallSerializer(serializers.ModelSerializer):
    programme = serializers.SlugRelatedField(slug_field="code", queryset=Programme.objects.all())
    status = serializers.SerializerMethodField()

    class Meta:
        model = Call
        fields = ["id", "programme", "title", "opens_at", "deadline", "status"]

    @extend_schema_field(serializers.ChoiceField(choices=Call.Status.choices))
    def get_status(self, call: Call) -> str:
        return call.status_at(self.context.get("now"))

    def validate(self, attrs):
        opens_at = attrs.get("opens_at", getattr(self.instance, "opens_at", None))
        deadline = attrs.get("deadline", getattr(self.instance, "deadline", None))
        if opens_at and deadline and deadline <= opens_at:
            raise ValidationError({"deadline": [_("The deadline must be after the opening.")]})
        return attrs


STATUS_PARAM = OpenApiParameter("status", str, enum=[s.value for s in Call.Status])
PROGRAMME_PARAM = OpenApiParameter("programme", str, description="programme code")


class CallQueryMixin:
    serializer_class = CallSerializer
    permission_classes = [IsStaffForWrites]

    def get_queryset(self):
        return Call.objects.select_related("programme").order_by("deadline", "id")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": timezone.now()}


class CallList(CallQueryMixin, generics.ListCreateAPIView):
    """Calls (application rounds); `?status=upcoming|open|closed`, `?programme=<code>`."""

    @extend_schema(parameters=[STATUS_PARAM, PROGRAMME_PARAM])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        calls = super().get_queryset()
        if self.request.method != "GET":
            return calls
        status = self.request.query_params.get("status")
        if status:
            if status not in Call.Status.values:
                raise ValidationError({"status": [_("Choose one of: upcoming, open, closed.")]})
            calls = calls.with_status(status)
        programme = self.request.query_params.get("programme")
        if programme:
            calls = calls.filter(programme__code=programme)
        return calls

    def perform_create(self, serializer):
        serializer.instance = services.call_create(
            actor=self.request.user, data=serializer.validated_data
        )


class CallDetail(CallQueryMixin, generics.RetrieveUpdateAPIView):
    http_method_names = ["get", "patch", "head", "options"]

    def perform_update(self, serializer):
        serializer.instance = services.call_update(
            actor=self.request.user, call=serializer.instance, data=serializer.validated_data
        )


class PolicyList(generics.ListAPIView):
    """The source documents, by tier. `?tier=national|top_level|vertical|call_notice`."""

    serializer_class = PolicySerializer

    @extend_schema(parameters=[OpenApiParameter("tier", str, enum=Policy.Tier.values)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        tiers = [When(tier=tier, then=Value(i)) for i, tier in enumerate(Policy.Tier.values)]
        policies = Policy.objects.order_by(Case(*tiers, default=Value(99)), "code")
        tier = self.request.query_params.get("tier")
        if tier:
            if tier not in Policy.Tier.values:
                raise ValidationError({"tier": [_("Unknown tier.")]})
            policies = policies.filter(tier=tier)
        return policies


class AreaList(generics.ListAPIView):
    """The priority areas; group `foundation` or `vertical`."""

    serializer_class = AreaSerializer
    queryset = PriorityArea.objects.order_by("position", "code")


urlpatterns = [
    path("policies/", PolicyList.as_view(), name="api-policies"),
    path("areas/", AreaList.as_view(), name="api-areas"),
    path("programmes/", ProgrammeList.as_view(), name="api-programmes"),
    path("programmes/<slug:code>/", ProgrammeDetail.as_view(), name="api-programme"),
    path("calls/", CallList.as_view(), name="api-calls"),
    path("calls/<int:pk>/", CallDetail.as_view(), name="api-call"),
]
