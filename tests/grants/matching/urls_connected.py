"""A URL configuration with the pages other helpers are building (companies edit pages, the
project page, the application form) stubbed, so the matches panel's links can be tested now."""

from django.http import HttpResponse
from django.urls import include, path

from config.urls import urlpatterns as base
from grants.urls import urlpatterns as grants_patterns


def stub(request, pk=None):
    return HttpResponse(f"stub {request.path}")


companies = [
    path("<int:pk>/edit/", stub, name="edit"),
    path("projects/<int:pk>/", stub, name="project_detail"),
    path("projects/<int:pk>/edit/", stub, name="project_edit"),
]
grants = [*grants_patterns, path("applications/new/", stub, name="application_create")]

urlpatterns = [
    path("companies/", include((companies, "companies"))),
    path("", include((grants, "grants"))),
    *[p for p in base if getattr(p, "namespace", None) not in {"grants", "companies"}],
]
