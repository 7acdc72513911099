"""API routes: dossiers (api.md, "Applications").

- `POST /api/v1/applications/{id}/dossier/` → 202 `{id, status}`: consultants and admins.
- `GET /api/v1/applications/{id}/dossier/` → the latest dossier, 404 if there is none.
- `GET /api/v1/dossiers/{id}/pdf/` → the PDF, for anyone who may see the application.

Nothing deletes a dossier: the routes answer DELETE with 405.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.response import Response
from rest_framework.views import APIView

from grants import downloads
from grants.dossiers.services import dossier_request
from grants.models import Application, Dossier


class DossierSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Dossier
        fields = [
            "id",
            "status",
            "sha256",
            "pages",
            "size",
            "generated_at",
            "is_copy_of_record",
            "download_url",
        ]

    def get_download_url(self, dossier: Dossier) -> str | None:
        if dossier.status != Dossier.Status.READY:
            return None
        url = reverse("api-dossier-pdf", args=[dossier.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class DossierRequestedSerializer(serializers.ModelSerializer):
    class Meta:
        model = Dossier
        fields = ["id", "status"]


def _application(request, pk: int) -> Application:
    return get_object_or_404(Application.objects.visible_to(request.user), pk=pk)


class ApplicationDossierView(APIView):
    """The latest dossier of an application; POST generates a new one."""

    @extend_schema(responses={200: DossierSerializer, 404: OpenApiResponse(description="none")})
    def get(self, request, pk: int):
        application = _application(request, pk)
        dossier = application.dossiers.order_by("-requested_at", "-id").first()
        if dossier is None:
            raise Http404
        return Response(DossierSerializer(dossier, context={"request": request}).data)

    @extend_schema(request=None, responses={202: DossierRequestedSerializer})
    def post(self, request, pk: int):
        application = _application(request, pk)
        dossier = dossier_request(application=application, actor=request.user)
        return Response(DossierRequestedSerializer(dossier).data, status=status.HTTP_202_ACCEPTED)


class AnyAcceptNegotiation(DefaultContentNegotiation):
    """The PDF goes out whatever the client accepts; errors are JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class DossierPdfView(APIView):
    content_negotiation_class = AnyAcceptNegotiation

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request, pk: int):
        return downloads.dossier_download(request.user, pk)


urlpatterns: list = [
    path(
        "applications/<int:pk>/dossier/",
        ApplicationDossierView.as_view(),
        name="api-application-dossier",
    ),
    path("dossiers/<int:pk>/pdf/", DossierPdfView.as_view(), name="api-dossier-pdf"),
]
