"""Pages: a project's matches (a panel on the project page, and a page of its own) and the
consultants' opportunities page (every client project matched at once)."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.forms.utils import flatatt
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from companies.choices import CostKind
from companies.models import Company, Project, membership_of
from core import panels
from core.forms import StyledFormMixin
from grants import matching
from grants.selectors import (
    OPPORTUNITY_STATUSES,
    ProjectMatch,
    matches_for_project,
    matching_catalogue,
    opportunity_board,
)

# The project page belongs to `companies`; its URL name is tried in this order.
PROJECT_PAGE_NAMES = ("companies:project_detail", "companies:project")
CLIENTS_SHOWN = 25
PAGE_SIZE = 50


def try_reverse(name: str, *args) -> str | None:
    """The URL, or None while the page that owns the name is not installed."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def project_url(project_id: int) -> str:
    for name in PROJECT_PAGE_NAMES:
        url = try_reverse(name, project_id)
        if url:
            return url
    return reverse("grants:project_matches", args=[project_id])


def _may_apply(request) -> bool:
    membership = membership_of(request.user)
    return membership is not None and membership.is_staff_role


def matches_context(request, project: Project) -> dict:
    """What the matches panel shows: rows with explanations, totals and actions."""
    matches = matches_for_project(project)
    edit_urls = {
        "company": try_reverse("companies:edit", project.company_id),
        "project": try_reverse("companies:project_edit", project.pk),
    }
    apply_base = try_reverse("grants:application_create") if _may_apply(request) else None
    rows = [_match_row(item, project, apply_base, edit_urls) for item in matches]
    return {
        "project": project,
        "matches": matches,
        "rows": rows,
        "edit_urls": edit_urls,
        "overlapping": [
            str(CostKind(kind).label) if kind in CostKind.values else kind
            for kind in matches.overlapping_kinds
        ],
    }


def _match_row(
    item: ProjectMatch, project: Project, apply_base: str | None, edit_urls: dict
) -> dict:
    """One programme's row: its rules with where to fix them, their counts, how to apply."""
    match = item.match
    apply_url = None
    if apply_base and match.status != matching.INELIGIBLE:
        query = urlencode({"project": project.pk, "programme": match.programme})
        apply_url = f"{apply_base}?{query}"
    rules = [
        {
            "rule": rule,
            "label": rule.label,
            "result_label": matching.RESULT_LABELS[rule.result],
            "fix_url": edit_urls[rule.subject] if rule.result != matching.PASS else None,
        }
        for rule in match.rules
    ]
    return {
        "item": item,
        "match": match,
        "programme": item.programme,
        "rules": rules,
        "passed": sum(1 for r in match.rules if r.result == matching.PASS),
        "failed": sum(1 for r in match.rules if r.result == matching.FAIL),
        "missing": sum(1 for r in match.rules if r.result == matching.MISSING),
        "apply_url": apply_url,
    }


def project_matches_panel(request, project) -> str:
    """The matches section of the project page (registered with core.panels)."""
    if not isinstance(project, Project):
        return ""
    return render_to_string("grants/matches/panel.html", matches_context(request, project), request)


def project_matches(request, pk: int):
    """The matches of one project, on a page of their own."""
    project = get_object_or_404(
        Project.objects.visible_to(request.user).select_related("company"), pk=pk
    )
    context = matches_context(request, project)
    context["project_url"] = project_url(project.pk)
    return render(request, "grants/matches/project_matches.html", context)


# --- opportunities --------------------------------------------------------------------------


class QuickSelect(forms.Select):
    """A select rendered in Python: hundreds of clients would otherwise render one template
    per option (Django's widget templates), the slowest part of the opportunities page."""

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        selected = {str(v) for v in self.format_value(value)}
        options = [
            format_html('<option value="{}" selected>{}</option>', key, label)
            if str(key) in selected
            else format_html('<option value="{}">{}</option>', key, label)
            for key, label in self.choices
        ]
        return format_html(
            "<select{}>{}</select>",
            flatatt(final),
            format_html_join("", "{}", ((o,) for o in options)),
        )


class OpportunityFilter(StyledFormMixin, forms.Form):
    STATUS_CHOICES = [
        ("open", _("Eligible or incomplete")),
        (matching.ELIGIBLE, _("Eligible")),
        (matching.INCOMPLETE, _("Incomplete")),
        (matching.INELIGIBLE, _("Ineligible")),
        ("all", _("All")),
    ]
    SORT_CHOICES = [
        ("-estimate", _("Estimate, largest first")),
        ("estimate", _("Estimate, smallest first")),
        ("client", _("Client")),
    ]

    programme = forms.ChoiceField(label=_("Programme"), required=False)
    client = forms.TypedChoiceField(
        label=_("Client"), coerce=int, required=False, empty_value=None, widget=QuickSelect
    )
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    sort = forms.ChoiceField(label=_("Sort"), choices=SORT_CHOICES, required=False)

    def __init__(self, *args, user, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].choices = [("", _("All programmes"))] + [
            (p.code, p.name) for p in programmes
        ]
        clients = Company.objects.visible_to(user).order_by("name", "id")
        self.fields["client"].choices = [
            ("", _("All clients")),
            *clients.values_list("id", "name"),
        ]
        for name in ("programme", "client", "status", "sort"):
            self.fields[name].widget.attrs["data-autosubmit"] = ""


def opportunities(request):
    """Every project of every client of the organisation matched at once (consultants only)."""
    membership = membership_of(request.user)
    if membership is None or not membership.is_staff_role:
        raise Http404
    catalogue = matching_catalogue()
    programmes = sorted(catalogue.programmes.values(), key=lambda p: p.code)
    form = OpportunityFilter(request.GET or None, user=request.user, programmes=programmes)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    status = filters.get("status") or "open"
    client = filters.get("client")
    board = opportunity_board(
        user=request.user,
        catalogue=catalogue,
        programme=filters.get("programme") or None,
        company_id=client,
        statuses=OPPORTUNITY_STATUSES[status],
        sort=filters.get("sort") or "-estimate",
    )
    page = Paginator(board.opportunities, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "o": o,
            "programme": catalogue.programmes[o.programme],
            "open_call": catalogue.open_call(o.programme),
            "url": project_url(o.project_id),
        }
        for o in page
    ]
    show_all_clients = request.GET.get("clients") == "all"
    return render(
        request,
        "grants/matches/opportunities.html",
        {
            "form": form,
            "board": board,
            "page": page,
            "rows": rows,
            "clients": board.clients if show_all_clients else board.clients[:CLIENTS_SHOWN],
            "more_clients": 0 if show_all_clients else max(0, len(board.clients) - CLIENTS_SHOWN),
        },
    )


def register_panels() -> None:
    """Add this area's sections to other pages (core.panels); called once at start-up."""
    panels.add("project", project_matches_panel, order=20)
