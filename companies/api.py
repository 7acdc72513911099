"""Companies and projects API: `/api/v1/companies/` and `/api/v1/projects/` (api.md).

Who may do what:
- consultants and admins read and write their organisation's companies and projects;
- clients read their own company and its projects, and change nothing (403);
- anything of another organisation, or another client's company, is a 404.

PUT is not offered: PATCH changes the fields it names, and a project's `costs`, when given, is
written whole (the list replaces the project's cost lines, in order).
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, serializers, viewsets
from rest_framework.routers import SimpleRouter

from companies import hooks, selectors, services
from companies.choices import CostKind, District, TaxCreditRating
from companies.models import MAX_AMOUNT, Company, CostLine, Project, membership_of
from companies.validators import normalise_uscc, validate_uscc
from core.api import RuleRefused
from core.params import parse_id


class StaffWritesClientsRead(permissions.BasePermission):
    """Members read what they can see; only consultants and admins create, change or delete.

    The role is checked on the object (after the scoped lookup), so a client asking to change
    another company's record gets the same 404 as for a record that does not exist.
    """

    message = gettext_lazy("Clients may read companies and projects but not change them.")

    def has_permission(self, request, view) -> bool:
        if getattr(view, "action", None) == "create":
            return _is_staff(request.user)
        return True

    def has_object_permission(self, request, view, obj) -> bool:
        return request.method in permissions.SAFE_METHODS or _is_staff(request.user)


def _is_staff(user) -> bool:
    membership = membership_of(user)
    return membership is not None and membership.is_staff_role


class CompanySerializer(serializers.ModelSerializer):
    uscc = serializers.CharField(max_length=30)
    name_zh = serializers.CharField(
        max_length=200, required=False, allow_blank=True, allow_null=True
    )
    district = serializers.ChoiceField(choices=District.choices)
    tax_credit_rating = serializers.ChoiceField(
        choices=TaxCreditRating.choices, required=False, allow_blank=True, allow_null=True
    )
    employees = serializers.IntegerField(
        min_value=0, max_value=10_000_000, required=False, allow_null=True
    )

    class Meta:
        model = Company
        fields = list(("id", *services.COMPANY_FIELDS))

    def validate_uscc(self, value: str) -> str:
        validate_uscc(value)
        code = normalise_uscc(value)
        organisation = self.context["organisation"]
        exclude = self.instance.pk if self.instance is not None else None
        if services.uscc_taken(organisation=organisation, uscc=code, exclude_pk=exclude):
            raise serializers.ValidationError(services.USCC_TAKEN)
        return code

    def validate_name_zh(self, value: str | None) -> str:
        return value or ""

    def validate_tax_credit_rating(self, value: str | None) -> str:
        return value or ""


class CostLineSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=CostKind.choices)
    amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, max_value=MAX_AMOUNT
    )
    months = serializers.IntegerField(min_value=1, max_value=1200, required=False, allow_null=True)
    supplier = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    related_party = serializers.BooleanField(required=False, default=False)
    description = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default=""
    )

    class Meta:
        model = CostLine
        fields = list(services.COST_FIELDS)


class AreasField(serializers.ListField):
    """Priority-area codes; the catalogue (`companies.hooks.area_choices`) says which exist."""

    child = serializers.CharField(max_length=50)

    def to_internal_value(self, data):
        codes = list(dict.fromkeys(super().to_internal_value(data)))
        known = {code for code, _label in hooks.area_choices()}
        unknown = [code for code in codes if code not in known]
        if unknown:
            raise serializers.ValidationError(
                _("Unknown priority area: %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        return codes


class ProjectSerializer(serializers.ModelSerializer):
    company = serializers.PrimaryKeyRelatedField(queryset=Company.objects.none())
    summary = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    areas = AreasField(required=False, allow_empty=True)
    costs = CostLineSerializer(many=True, required=False)

    class Meta:
        model = Project
        fields = ["id", "company", "title", "summary", "areas", "start_date", "end_date", "costs"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # Only companies the caller may see can be named: another's id is "does not exist".
            self.fields["company"].queryset = Company.objects.visible_to(request.user)

    def validate_summary(self, value: str | None) -> str:
        return value or ""

    def validate(self, attrs):
        start = attrs.get("start_date", getattr(self.instance, "start_date", None))
        end = attrs.get("end_date", getattr(self.instance, "end_date", None))
        if start and end and end < start:
            raise serializers.ValidationError(
                {"end_date": [_("The end date must not be before the start date.")]}
            )
        return attrs


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="Search name, Chinese name or USCC."),
            OpenApiParameter("district", str, enum=District.values),
        ]
    )
)
class CompanyViewSet(viewsets.ModelViewSet):
    """Companies of the caller's organisation (a client: its own company only)."""

    serializer_class = CompanySerializer
    permission_classes = [permissions.IsAuthenticated, StaffWritesClientsRead]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    lookup_value_regex = "[0-9]+"  # ASCII digits only: "١" is not company 1

    def get_queryset(self):
        companies = Company.objects.visible_to(self.request.user).order_by("name", "id")
        if self.action == "list":
            district = self.request.query_params.get("district", "")
            if district and district not in District.values:
                message = _("Unknown district: %(value)s.") % {"value": district[:50]}
                raise serializers.ValidationError({"district": [message]})
            companies = selectors.company_search(
                companies, query=self.request.query_params.get("q", ""), district=district
            )
        return companies

    def get_serializer_context(self):
        membership = membership_of(self.request.user)
        return {
            **super().get_serializer_context(),
            "organisation": membership.organisation if membership else None,
        }

    def perform_create(self, serializer):
        membership = membership_of(self.request.user)
        serializer.instance = services.company_create(
            actor=self.request.user,
            organisation=membership.organisation,
            data=serializer.validated_data,
        )

    def perform_update(self, serializer):
        serializer.instance = services.company_update(
            actor=self.request.user, company=serializer.instance, data=serializer.validated_data
        )

    def perform_destroy(self, instance):
        try:
            services.company_delete(actor=self.request.user, company=instance)
        except services.Refused as refused:
            raise RuleRefused(refused.message, refused.reasons) from refused


@extend_schema_view(
    list=extend_schema(parameters=[OpenApiParameter("company", int, description="Company id.")])
)
class ProjectViewSet(viewsets.ModelViewSet):
    """Projects with their cost lines; `costs` is written whole."""

    serializer_class = ProjectSerializer
    permission_classes = [permissions.IsAuthenticated, StaffWritesClientsRead]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        company_id = None
        if self.action == "list" and self.request.query_params.get("company", "") != "":
            company_id = parse_id(self.request.query_params["company"])
            if company_id is None:
                raise serializers.ValidationError({"company": [_("Give a company id.")]})
        projects = selectors.project_list(self.request.user, company_id=company_id)
        return projects.order_by("id").prefetch_related(
            Prefetch("costs", queryset=CostLine.objects.order_by("position", "id"))
        )

    def _save(self, serializer, project: Project | None) -> None:
        data = dict(serializer.validated_data)
        costs = data.pop("costs", None)
        company = data.pop("company", None) or project.company
        saved = services.project_save(
            actor=self.request.user, company=company, project=project, data=data, costs=costs
        )
        serializer.instance = self.get_queryset().get(pk=saved.pk)

    def perform_create(self, serializer):
        self._save(serializer, None)

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance)

    def perform_destroy(self, instance):
        try:
            services.project_delete(actor=self.request.user, project=instance)
        except services.Refused as refused:
            raise RuleRefused(refused.message, refused.reasons) from refused


router = SimpleRouter()
router.register("companies", CompanyViewSet, basename="company")
router.register("projects", ProjectViewSet, basename="project")

urlpatterns = router.urls
