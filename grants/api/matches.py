"""API: a project's programme matches (api.md, "Companies and projects")."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import translation
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers

from companies.models import Project
from grants import matching
from grants.selectors import ProjectMatch, matches_for_project

RulesSerializer = inline_serializer(
    "MatchRule",
    many=True,
    fields={
        "rule": serializers.ChoiceField(choices=matching.RULES),
        "result": serializers.ChoiceField(choices=(matching.PASS, matching.FAIL, matching.MISSING)),
        "message": serializers.CharField(),
    },
)
MatchesSerializer = inline_serializer(
    "Match",
    many=True,
    fields={
        "programme": serializers.CharField(),
        "status": serializers.ChoiceField(choices=matching.STATUSES),
        "eligible": serializers.BooleanField(),
        "basis_amount": serializers.DecimalField(max_digits=14, decimal_places=2),
        "estimated_subsidy": serializers.DecimalField(max_digits=14, decimal_places=2),
        "open_call": serializers.IntegerField(allow_null=True),
        "rules": RulesSerializer,
    },
)


def match_data(item: ProjectMatch) -> dict:
    match = item.match
    return {
        "programme": match.programme,
        "status": match.status,
        "eligible": match.eligible,
        "basis_amount": f"{match.basis_amount:f}",
        "estimated_subsidy": f"{match.estimated_subsidy:f}",
        "open_call": item.open_call.pk if item.open_call else None,
        "rules": [
            {"rule": rule.rule, "result": rule.result, "message": rule.message}
            for rule in match.rules
        ],
    }


class UserLanguageMixin:
    """Messages in the caller's language: the user's saved language, else Accept-Language.

    The pages' middleware does this for session users; token users authenticate inside DRF.
    """

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        language = getattr(request.user, "language", "")
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()


class ProjectMatches(UserLanguageMixin, generics.GenericAPIView):
    """Every active programme matched against the project, in the order of product.md."""

    @extend_schema(responses=MatchesSerializer)
    def get(self, request, pk: int):
        project = get_object_or_404(Project.objects.visible_to(request.user), pk=pk)
        matches = list(matches_for_project(project))
        page = self.paginate_queryset(matches)
        return self.get_paginated_response([match_data(item) for item in page])


urlpatterns = [
    path("projects/<int:pk>/matches/", ProjectMatches.as_view(), name="api-project-matches"),
]
