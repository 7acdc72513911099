"""Pages: the dossier panel of the application page, its own page, generate and download.

The panel is added to the application page through `core.panels` (`register_panels`). While a
dossier is being generated the panel polls its fragment URL with htmx and replaces itself; it
stops polling once the dossier is ready or failed.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core import panels
from grants import downloads
from grants.dossiers.selectors import panel_context
from grants.dossiers.services import dossier_request
from grants.models import Application


def application_url(application: Application) -> str | None:
    """The application page (built with the workflow), if this deployment has it."""
    try:
        return reverse("grants:application_detail", args=[application.pk])
    except NoReverseMatch:
        return None


def dossier_panel(request, application: Application) -> str:
    """The panel's HTML (a `core.panels` panel of the "application" page)."""
    if application is None or not request.user.is_authenticated:
        return ""
    return render_to_string(
        "grants/dossiers/panel.html", panel_context(application, request.user), request=request
    )


def register_panels() -> None:
    """Add this area's sections to other pages (core.panels); called once at start-up."""
    panels.add("application", dossier_panel, order=60)


def _application(request, pk: int) -> Application:
    return get_object_or_404(
        Application.objects.visible_to(request.user).select_related(
            "project", "company", "programme", "organisation"
        ),
        pk=pk,
    )


@require_GET
def dossier_page(request, pk: int):
    """The application's dossiers on a page of their own (the panel, full size)."""
    application = _application(request, pk)
    return render(
        request,
        "grants/dossiers/page.html",
        {
            "application": application,
            "application_url": application_url(application),
            "panel": dossier_panel(request, application),
        },
    )


@require_GET
def dossier_panel_fragment(request, pk: int):
    """The panel alone: what htmx polls while a dossier is being generated."""
    return HttpResponse(dossier_panel(request, _application(request, pk)))


@require_POST
def dossier_generate(request, pk: int):
    """Generate a new dossier (consultants and admins); also the retry after a failure."""
    application = _application(request, pk)
    dossier_request(application=application, actor=request.user)
    if request.htmx:
        return HttpResponse(dossier_panel(request, application))
    messages.success(request, _("The dossier is being generated."))
    return redirect(application_url(application) or reverse("grants:dossier_page", args=[pk]))


@require_GET
def dossier_download(request, pk: int):
    """A ready dossier's PDF, for anyone who may see its application. Never a media URL."""
    return downloads.dossier_download(request.user, pk)
