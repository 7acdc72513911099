"""The project's URLs, plus stand-ins for the pages other areas add (application list and
detail, document upload, opportunities) when they are not merged yet, so the links and forms
the dashboard draws toward them can be tested. Once merged, the real pages are used."""

from django.http import HttpResponse
from django.urls import URLResolver, include, path

from config import urls as project_urls
from grants import urls as grants_urls


def _stand_in(request, *args, **kwargs):
    return HttpResponse("stand-in")


STAND_INS = [
    path("applications/", _stand_in, name="application_list"),
    path("applications/<int:pk>/", _stand_in, name="application_detail"),
    path("applications/<int:pk>/documents/", _stand_in, name="document_upload"),
    path("opportunities/", _stand_in, name="opportunities"),
]
_present = {getattr(p, "name", None) for p in grants_urls.urlpatterns}
grants_patterns = [*grants_urls.urlpatterns, *(p for p in STAND_INS if p.name not in _present)]

urlpatterns = [
    path("", include((grants_patterns, "grants"))),
    *(
        p
        for p in project_urls.urlpatterns
        if not (isinstance(p, URLResolver) and p.namespace == "grants")
    ),
]
handler500 = project_urls.handler500
