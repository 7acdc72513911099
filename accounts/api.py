"""API: `GET /api/v1/me/`, who the caller is (api.md, "Me")."""

from __future__ import annotations

from django.urls import NoReverseMatch, path, reverse
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from companies.models import membership_of


class MeView(APIView):
    """Who the caller is: organisation, role, client company, language, calendar feed."""

    @extend_schema(
        responses=inline_serializer(
            "Me",
            {
                "username": serializers.CharField(),
                "organisation": serializers.CharField(allow_null=True),
                "role": serializers.CharField(allow_null=True),
                "company": serializers.IntegerField(allow_null=True),
                "language": serializers.CharField(),
                "calendar_url": serializers.URLField(allow_null=True),
            },
        )
    )
    def get(self, request):
        user = request.user
        membership = membership_of(user)
        try:
            feed = request.build_absolute_uri(
                reverse("calendar_feed", kwargs={"token": user.calendar_token})
            )
        except NoReverseMatch:
            feed = None
        return Response(
            {
                "username": user.username,
                "organisation": membership.organisation.name if membership else None,
                "role": membership.role if membership else None,
                "company": membership.company_id if membership else None,
                "language": user.language or request.LANGUAGE_CODE,
                "calendar_url": feed,
            }
        )


urlpatterns = [path("me/", MeView.as_view(), name="api-me")]
