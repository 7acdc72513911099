"""The REST API frame: pagination and errors as the contract (api.md, "Conventions") says."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class Pagination(PageNumberPagination):
    """`{"count", "next", "previous", "results"}`, `?page=N`, `?page_size=` up to 200."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class RuleRefused(exceptions.APIException):
    """A business rule refused the request: 400 `{"detail", "reasons"}`."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "refused"

    def __init__(self, detail: str, reasons: list[str]):
        super().__init__(detail)
        self.reasons = [str(r) for r in reasons]


class Conflict(exceptions.APIException):
    """409 `{"detail", "code"}`: `transition_not_allowed` or `concurrent_update`."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"

    def __init__(self, detail: str, code: str):
        super().__init__(detail, code)
        self.conflict_code = code


def exception_handler(exc, context):
    if isinstance(exc, ValidationError):
        # A model-level ValidationError that escaped a serializer is still the caller's input.
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        # The message (already translated) says which rule refused; DRF's generic text if none.
        exc = exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, RuleRefused):
        return Response({"detail": str(exc.detail), "reasons": exc.reasons}, status=400)
    if isinstance(exc, Conflict):
        return Response({"detail": str(exc.detail), "code": exc.conflict_code}, status=409)
    return drf_exception_handler(exc, context)


_paginated_cache: dict[type, type] = {}


def paginated(serializer_class: type[serializers.Serializer]) -> type[serializers.Serializer]:
    """The schema of a `Pagination` page of `serializer_class`, for views that paginate by hand."""
    if serializer_class not in _paginated_cache:
        name = f"Paginated{serializer_class.__name__.removesuffix('Serializer')}List"
        _paginated_cache[serializer_class] = type(
            name,
            (serializers.Serializer,),
            {
                "count": serializers.IntegerField(),
                "next": serializers.URLField(allow_null=True),
                "previous": serializers.URLField(allow_null=True),
                "results": serializer_class(many=True),
            },
        )
    return _paginated_cache[serializer_class]
