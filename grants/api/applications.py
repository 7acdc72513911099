"""API routes: applications, transitions, history, documents, downloads (api.md)."""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import F
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from companies.models import Project, membership_of
from core.api import Pagination, paginated
from core.params import parse_id
from grants import downloads, uploads
from grants.models import Application, Call, Document, Programme, TransitionLog
from grants.models.applications import MAX_AMOUNT, TRANSITION_NAMES, State
from grants.workflow import (
    application_create,
    application_transition,
    application_update,
    available_transitions,
    document_upload,
    documents,
)
from grants.workflow.creation import staff_of
from grants.workflow.selectors import filter_applications

ORDERINGS = {
    "created_at": ["created_at", "pk"],
    "-created_at": ["-created_at", "-pk"],
    "updated_at": ["updated_at", "pk"],
    "-updated_at": ["-updated_at", "-pk"],
    "reference": ["reference"],
    "-reference": ["-reference"],
    "requested_amount": ["requested_amount", "pk"],
    "-requested_amount": ["-requested_amount", "-pk"],
    "state": ["state", "pk"],
    "-state": ["-state", "-pk"],
    "deadline": [F("current_deadline").asc(nulls_last=True), "pk"],
    "-deadline": [F("current_deadline").desc(nulls_last=True), "-pk"],
}
Money = serializers.DecimalField


class ApplicationSerializer(serializers.ModelSerializer):
    programme = serializers.SlugRelatedField(slug_field="code", read_only=True)
    assignee = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    requested_amount = Money(max_digits=14, decimal_places=2, read_only=True)
    approved_amount = Money(max_digits=14, decimal_places=2, read_only=True, allow_null=True)
    disbursed_amount = Money(max_digits=14, decimal_places=2, read_only=True)
    deadline = serializers.DateTimeField(read_only=True, allow_null=True)
    available_transitions = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "id",
            "reference",
            "project",
            "company",
            "programme",
            "call",
            "state",
            "requested_amount",
            "approved_amount",
            "disbursed_amount",
            "submission_ref",
            "submitted_at",
            "supplement_deadline",
            "deadline",
            "assignee",
            "available_transitions",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_available_transitions(self, application) -> list[str]:
        return available_transitions(application, self.context["request"].user)


ASSIGNEE_REFUSAL = _lazy("Choose one of the organisation's consultants or administrators.")


class AssigneeField(serializers.SlugRelatedField):
    """A username among the caller's organisation's consultants and admins. Anyone else (of
    another organisation, a client, no such user) gets the same answer: nothing is revealed."""

    default_error_messages = {"does_not_exist": ASSIGNEE_REFUSAL, "invalid": ASSIGNEE_REFUSAL}

    def __init__(self, **kwargs):
        super().__init__(slug_field="username", queryset=User.objects.none(), **kwargs)

    def get_queryset(self):
        request = self.context.get("request")  # absent when the schema is generated
        membership = membership_of(getattr(request, "user", None))
        return staff_of(membership.organisation_id) if membership else User.objects.none()


class ApplicationCreateSerializer(serializers.Serializer):
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.none())
    programme = serializers.SlugRelatedField(slug_field="code", queryset=Programme.objects.all())
    call = serializers.PrimaryKeyRelatedField(
        queryset=Call.objects.all(), required=False, allow_null=True
    )
    requested_amount = Money(
        max_digits=14,
        decimal_places=2,
        min_value=0,
        max_value=MAX_AMOUNT,
        required=False,
        allow_null=True,
    )
    assignee = AssigneeField(required=False, allow_null=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Another organisation's project reads as "does not exist", never as forbidden.
        request = self.context.get("request")  # absent when the schema is generated
        user = getattr(request, "user", None)
        self.fields["project"].queryset = Project.objects.visible_to(user)


class ApplicationUpdateSerializer(serializers.Serializer):
    requested_amount = Money(max_digits=14, decimal_places=2, min_value=0, max_value=MAX_AMOUNT)
    call = serializers.PrimaryKeyRelatedField(queryset=Call.objects.all(), allow_null=True)
    assignee = AssigneeField(allow_null=True)
    submission_ref = serializers.CharField(max_length=100, allow_blank=True)


class TransitionSerializer(serializers.Serializer):
    name = serializers.ChoiceField(choices=TRANSITION_NAMES)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    submission_ref = serializers.CharField(required=False, allow_blank=True, max_length=100)
    supplement_deadline = serializers.DateTimeField(required=False, allow_null=True)
    approved_amount = Money(max_digits=14, decimal_places=2, required=False, allow_null=True)
    amount = Money(max_digits=14, decimal_places=2, required=False, allow_null=True)
    paid_on = serializers.DateField(required=False, allow_null=True)


class HistorySerializer(serializers.ModelSerializer):
    by = serializers.SlugRelatedField(source="actor", slug_field="username", read_only=True)
    # Plain names (the states of `Application.state`), so the schema has one enum of states.
    from_state = serializers.CharField(read_only=True)
    to_state = serializers.CharField(read_only=True)

    class Meta:
        model = TransitionLog
        fields = ["transition", "from_state", "to_state", "by", "at", "comment"]


class DocumentSerializer(serializers.ModelSerializer):
    slot = serializers.SlugRelatedField(slug_field="code", read_only=True)
    # None once the uploader's account is deleted: the document and its hash stay.
    uploaded_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = Document
        fields = ["id", "slot", "filename", "size", "sha256", "version", "uploaded_by"]
        fields += ["uploaded_at"]


class DocumentUploadSerializer(serializers.Serializer):
    slot = serializers.CharField(max_length=50)
    file = serializers.FileField(allow_empty_file=True, use_url=False)


def _visible_application(request, pk: int) -> Application:
    return get_object_or_404(Application.objects.visible_to(request.user).for_list(), pk=pk)


def _refresh(application: Application) -> Application:
    return Application.objects.for_list().get(pk=application.pk)


class ApplicationListView(APIView):
    """Applications the caller may see; filter by state, programme, company, assignee."""

    @extend_schema(
        parameters=[
            OpenApiParameter("state", str, many=True),
            OpenApiParameter("programme", str),
            OpenApiParameter("company", int),
            OpenApiParameter("assignee", str),
            OpenApiParameter("ordering", str, enum=list(ORDERINGS)),
        ],
        responses=paginated(ApplicationSerializer),
        operation_id="applications_list",
    )
    def get(self, request):
        params = {
            "state": [s for v in request.query_params.getlist("state") for s in v.split(",") if s],
            "programme": request.query_params.get("programme", ""),
            "company": request.query_params.get("company", ""),
            "assignee": request.query_params.get("assignee", ""),
        }
        errors = {}
        if any(s not in State.values for s in params["state"]):
            errors["state"] = [_("Unknown state.")]
        if params["company"]:
            company_id = parse_id(params["company"])
            if company_id is None:
                errors["company"] = [_("Give a company id.")]
            params["company"] = company_id
        ordering = request.query_params.get("ordering", "-created_at")
        if ordering not in ORDERINGS:
            errors["ordering"] = [_("Order by one of: %s.") % ", ".join(ORDERINGS)]
        if errors:
            raise DRFValidationError(errors)
        queryset = filter_applications(
            Application.objects.visible_to(request.user).for_list().with_deadline(), params
        ).order_by(*ORDERINGS[ordering])
        paginator = Pagination()
        page = paginator.paginate_queryset(queryset, request, view=self)
        data = ApplicationSerializer(page, many=True, context={"request": request}).data
        return paginator.get_paginated_response(data)

    @extend_schema(request=ApplicationCreateSerializer, responses={201: ApplicationSerializer})
    def post(self, request):
        serializer = ApplicationCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        application = application_create(actor=request.user, **serializer.validated_data)
        data = ApplicationSerializer(_refresh(application), context={"request": request}).data
        return Response(data, status=status.HTTP_201_CREATED)


class ApplicationDetailView(APIView):
    @extend_schema(responses=ApplicationSerializer)
    def get(self, request, pk: int):
        application = _visible_application(request, pk)
        return Response(ApplicationSerializer(application, context={"request": request}).data)

    @extend_schema(request=ApplicationUpdateSerializer, responses=ApplicationSerializer)
    def patch(self, request, pk: int):
        application = _visible_application(request, pk)
        _refuse_unchangeable(request.data)
        serializer = ApplicationUpdateSerializer(
            data=request.data, partial=True, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        application = application_update(
            application=application, actor=request.user, **serializer.validated_data
        )
        data = ApplicationSerializer(_refresh(application), context={"request": request}).data
        return Response(data)


def _refuse_unchangeable(data) -> None:
    """A 400 naming every field of a PATCH that cannot be changed: nothing is ignored silently."""
    if not isinstance(data, Mapping):
        return  # the serializer says what is wrong with the body
    writable = set(ApplicationUpdateSerializer().fields)
    errors = {}
    for name in data:
        if name in writable:
            continue
        if name == "state":
            errors[name] = [_("The state changes only through POST …/transitions/.")]
        elif name in ApplicationSerializer.Meta.fields:
            errors[name] = [_("This field cannot be changed.")]
        else:
            errors[name] = [_("Unknown field.")]
    if errors:
        raise DRFValidationError(errors)


class TransitionView(APIView):
    @extend_schema(request=TransitionSerializer, responses=ApplicationSerializer)
    def post(self, request, pk: int):
        application = _visible_application(request, pk)
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        name = fields.pop("name")
        comment = fields.pop("comment", "")
        application = application_transition(
            application=application, name=name, actor=request.user, comment=comment, **fields
        )
        data = ApplicationSerializer(_refresh(application), context={"request": request}).data
        return Response(data)


class HistoryView(APIView):
    @extend_schema(responses=HistorySerializer(many=True))
    def get(self, request, pk: int):
        application = _visible_application(request, pk)
        logs = TransitionLog.objects.filter(application=application).select_related("actor")
        return Response(HistorySerializer(logs.order_by("at", "pk"), many=True).data)


class DocumentListView(APIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def initialize_request(self, request, *args, **kwargs):
        if request.method == "POST":
            uploads.guard(request)  # before authentication (its CSRF check) reads the body
        return super().initialize_request(request, *args, **kwargs)

    @extend_schema(
        responses=paginated(DocumentSerializer), operation_id="applications_documents_list"
    )
    def get(self, request, pk: int):
        application = _visible_application(request, pk)
        documents = (
            Document.objects.filter(application=application)
            .select_related("slot", "uploaded_by")
            .order_by("slot__position", "slot_id", "-version")
        )
        paginator = Pagination()
        page = paginator.paginate_queryset(documents, request, view=self)
        return paginator.get_paginated_response(DocumentSerializer(page, many=True).data)

    @extend_schema(request=DocumentUploadSerializer, responses={201: DocumentSerializer})
    def post(self, request, pk: int):
        application = _visible_application(request, pk)
        uploads.check(request)
        serializer = DocumentUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        document = document_upload(
            application=application,
            slot_code=serializer.validated_data["slot"],
            file=serializer.validated_data["file"],
            actor=request.user,
        )
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)


class DocumentDownloadView(APIView):
    @extend_schema(
        responses={
            (200, content_type): OpenApiTypes.BINARY for content_type in documents.EXTENSIONS
        },
        description="The file as uploaded, with the content type it was judged by.",
    )
    def get(self, request, pk: int):
        return downloads.document_download(request.user, pk)


urlpatterns = [
    path("applications/", ApplicationListView.as_view(), name="api-applications"),
    path("applications/<int:pk>/", ApplicationDetailView.as_view(), name="api-application"),
    path(
        "applications/<int:pk>/transitions/",
        TransitionView.as_view(),
        name="api-application-transitions",
    ),
    path("applications/<int:pk>/history/", HistoryView.as_view(), name="api-application-history"),
    path(
        "applications/<int:pk>/documents/",
        DocumentListView.as_view(),
        name="api-application-documents",
    ),
    path(
        "documents/<int:pk>/download/",
        DocumentDownloadView.as_view(),
        name="api-document-download",
    ),
]
