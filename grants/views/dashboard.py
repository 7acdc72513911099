"""Pages: the dashboard panels of the home page, the reports, their exports, the activity log.

Home panels (added in `register_panels`) pick their audience themselves: consultants and admins
see what is waiting, the pipeline and funding; a client sees its applications, what it must
provide now (with the upload form right there) and what it has received. Reports, exports and
the activity log are for consultants and admins only: anyone else gets a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import wraps
from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from companies.models import Membership, membership_of
from core import panels
from grants.models.applications import due_soon_until
from grants.reports import activity as activity_selectors
from grants.reports import exports
from grants.reports.charts import funding_charts
from grants.reports.filters import ActivityFilterForm, ApplicationFilterForm, FundingFilterForm
from grants.reports.selectors import (
    applications_for_report,
    client_overview,
    funding_report,
    is_client_user,
    is_staff_user,
    pipeline_by_state,
    waiting_on_someone,
)

PAGE_SIZE = 50
FORMATS = ("csv", "xlsx")
Panel = Callable[..., str]


def _reverse(name: str, *args: Any) -> str | None:
    """The URL, or None when the page is not installed (another area may not be merged yet)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _staff_or_404(request) -> Membership:
    membership = membership_of(request.user)
    if membership is None or not membership.is_staff_role:
        raise Http404
    return membership


def _clock() -> dict[str, Any]:
    """`now`, and `soon` (`due_soon_until`): a deadline before `now` is overdue, one before
    `soon` is due soon, as everywhere else (`grants.models.applications.DUE_SOON_DAYS`)."""
    now = timezone.now()
    return {"now": now, "soon": due_soon_until(now)}


def _once(request, key: str, compute: Callable[[], Any]) -> Any:
    """Computed once per request and shared by the panels that show it."""
    cache = request.__dict__.setdefault("_dashboard_cache", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def _shown_to(audience: Callable[[Any], bool]) -> Callable[[Panel], Panel]:
    """A home panel for the users `audience` accepts; anyone else gets nothing (no section)."""

    def decorate(panel: Panel) -> Panel:
        @wraps(panel)
        def shown(request, obj=None) -> str:
            return panel(request, obj) if audience(request.user) else ""

        return shown

    return decorate


# --- home panels: consultants and admins ------------------------------------------------------


@_shown_to(is_staff_user)
def waiting_panel(request, obj=None) -> str:
    """Applications waiting on someone: documents, a reviewer, a supplement."""
    waiting = waiting_on_someone(request.user)
    return render_to_string("grants/dashboard/waiting.html", {"waiting": waiting, **_clock()})


@_shown_to(is_staff_user)
def pipeline_panel(request, obj=None) -> str:
    """Count and requested amount per state, each linking to the filtered application list."""
    figures = pipeline_by_state(request.user)
    return render_to_string(
        "grants/dashboard/pipeline.html",
        {
            "figures": figures,
            "total_count": sum(f.count for f in figures),
            "total_requested": sum((f.requested for f in figures), Decimal("0")),
            "list_url": _reverse("grants:application_list"),
        },
    )


@_shown_to(is_staff_user)
def funding_panel(request, obj=None) -> str:
    """Requested, approved and disbursed by programme, client and year, as charts and tables."""
    report = funding_report(request.user)
    return render_to_string(
        "grants/dashboard/funding.html",
        {
            "report": report,
            "charts": funding_charts(report),
            "reports_url": _reverse("grants:reports"),
        },
    )


def potential_support_figure(user) -> Decimal | None:
    """The total potential support of the organisation's projects, as the opportunities page
    counts it: per project, the best eligible programme for each cost kind (one cost cannot fund
    two applications). None when the user has no organisation."""
    from grants.selectors import opportunity_board

    membership = membership_of(user)
    if membership is None:
        return None
    return opportunity_board(user=user, statuses=()).best_total


@_shown_to(is_staff_user)
def potential_support_panel(request, obj=None) -> str:
    """The total potential support from matching, linking to the opportunities page.

    Rendered only when `grants:opportunities` exists; its figure comes from
    `potential_support_figure`, which the integrator connects to the opportunities figures.
    """
    url = _reverse("grants:opportunities")
    if url is None:
        return ""
    return render_to_string(
        "grants/dashboard/potential_support.html",
        {"url": url, "total": potential_support_figure(request.user)},
    )


# --- home panels: clients --------------------------------------------------------------------


def _client_overview(request):
    return _once(request, "client_overview", lambda: client_overview(request.user))


@_shown_to(is_client_user)
def client_needs_panel(request, obj=None) -> str:
    """What the client must provide now, with an upload form per missing document."""
    overview = _client_overview(request)
    if not overview.needs:
        if any(a.is_live for a in overview.applications):
            return render_to_string("grants/dashboard/client_nothing_needed.html")
        return ""
    return render_to_string(
        "grants/dashboard/client_needs.html",
        {
            "needs": overview.needs,
            "csrf_token": get_token(request),
            "next": reverse("home"),
            **_clock(),
        },
    )


@_shown_to(is_client_user)
def client_applications_panel(request, obj=None) -> str:
    """The client's applications with client-facing labels, deadlines and amounts."""
    return render_to_string(
        "grants/dashboard/client_applications.html",
        {"overview": _client_overview(request), **_clock()},
    )


@_shown_to(is_client_user)
def client_received_panel(request, obj=None) -> str:
    """The tranches received, with the totals approved and received."""
    overview = _client_overview(request)
    if not overview.applications:
        return ""
    return render_to_string("grants/dashboard/client_received.html", {"overview": overview})


def register_panels() -> None:
    """Add this area's sections to other pages (core.panels); called once at start-up."""
    # Read-only panels are cached until the data changes (core.panels); the client's needs
    # carry upload forms (CSRF tokens), so they are always rendered afresh.
    for order, panel, cached in (
        (10, client_needs_panel, False),
        (20, waiting_panel, True),
        (30, client_applications_panel, True),
        (40, pipeline_panel, True),
        (45, potential_support_panel, True),
        (50, client_received_panel, True),
        (60, funding_panel, True),
    ):
        panels.add("home", panel, order=order, cached=cached)


# --- reports ------------------------------------------------------------------------------------


def _report_tabs(active: str) -> list[dict]:
    tabs = [
        ("funding", _("Funding"), reverse("grants:reports")),
        ("applications", _("Applications"), reverse("grants:applications_report")),
        ("activity", _("Activity log"), reverse("grants:activity")),
    ]
    return [{"key": k, "label": label, "url": url, "active": k == active} for k, label, url in tabs]


@require_GET
def reports(request):
    """The funding report: by programme, client and year, filtered, with charts and tables."""
    _staff_or_404(request)
    form = FundingFilterForm(request.GET or None, user=request.user)
    report = funding_report(request.user, **form.filters())
    return render(
        request,
        "grants/reports/funding.html",
        {
            "form": form,
            "report": report,
            "charts": funding_charts(report),
            "tabs": _report_tabs("funding"),
        },
    )


@require_GET
def applications_report(request):
    """The applications list, filtered and paginated, with its exports."""
    _staff_or_404(request)
    form = ApplicationFilterForm(request.GET or None, user=request.user)
    applications = applications_for_report(request.user, **form.filters())
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "grants/reports/applications.html",
        {"form": form, "page": page, "tabs": _report_tabs("applications"), **_clock()},
    )


def _file_response(content: bytes, *, fmt: str, stem: str) -> HttpResponse:
    content_type = exports.CSV_TYPE if fmt == "csv" else exports.XLSX_TYPE
    response = HttpResponse(content, content_type=content_type)
    filename = f"{stem}-{timezone.localdate():%Y%m%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _export_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise Http404
    return fmt


def _export(
    request,
    fmt: str,
    form_class: type[ApplicationFilterForm | FundingFilterForm],
    *,
    stem: str,
    content: Callable[[dict[str, Any], str], bytes],
) -> HttpResponse:
    """A report as a file: staff only, a known format, valid filters (else 400, as text)."""
    _staff_or_404(request)
    fmt = _export_format(fmt)
    form = form_class(request.GET or None, user=request.user)
    if form.is_bound and not form.is_valid():
        return HttpResponseBadRequest(form.errors.as_text(), content_type="text/plain")
    return _file_response(content(form.filters(), fmt), fmt=fmt, stem=stem)


@require_GET
def applications_export(request, fmt: str):
    """The applications report as CSV or XLSX, with the report's filters applied."""

    def content(filters: dict[str, Any], fmt: str) -> bytes:
        sheet = exports.application_sheet(applications_for_report(request.user, **filters))
        return exports.to_csv([sheet]) if fmt == "csv" else exports.to_xlsx([sheet])

    return _export(request, fmt, ApplicationFilterForm, stem="applications", content=content)


@require_GET
def funding_export(request, fmt: str):
    """The funding report as CSV (one table) or XLSX (a sheet per breakdown), filtered."""

    def content(filters: dict[str, Any], fmt: str) -> bytes:
        sheets = exports.funding_sheets(funding_report(request.user, **filters))
        if fmt == "csv":
            return exports.to_csv(sheets, header=exports.funding_csv_header())
        return exports.to_xlsx(sheets)

    return _export(request, fmt, FundingFilterForm, stem="funding", content=content)


# --- activity log ---------------------------------------------------------------------------


@require_GET
def activity(request):
    """Who did what, when: the activity log and the transitions, merged, filtered, paginated."""
    _staff_or_404(request)
    form = ActivityFilterForm(
        request.GET or None, user=request.user, kinds=activity_selectors.kind_choices()
    )
    log = activity_selectors.activity_log(request.user, **form.filters())
    page = Paginator(log, PAGE_SIZE).get_page(request.GET.get("page"))
    entries = activity_selectors.hydrate(list(page.object_list))
    return render(
        request,
        "grants/reports/activity.html",
        {
            "form": form,
            "page": page,
            "entries": entries,
            "filtered": bool(form.filters()),
            "tabs": _report_tabs("activity"),
        },
    )
