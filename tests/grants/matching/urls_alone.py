"""This branch's URLs without the pages other helpers own (as before they are merged)."""

from django.urls import include, path

from config.urls import urlpatterns as base
from grants.urls import urlpatterns as grants_patterns

OTHERS = {"application_create"}
grants = [p for p in grants_patterns if getattr(p, "name", None) not in OTHERS]

urlpatterns = [
    path("companies/", include(([], "companies"))),
    path("", include((grants, "grants"))),
    *[p for p in base if getattr(p, "namespace", None) not in {"grants", "companies"}],
]
