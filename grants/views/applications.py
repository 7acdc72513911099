"""Pages: applications (list, detail, creation, transitions, documents, comments, pipeline)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from companies.models import Company, Membership, Project, membership_of
from core import panels
from core.api import Conflict, RuleRefused
from core.money import format_money
from core.params import parse_id, safe_next
from grants import downloads, uploads
from grants.downloads import document_response  # noqa: F401 - its home before grants.downloads
from grants.models import Application, Programme
from grants.models.applications import CLIENT_LABELS, TRANSITION_LABELS, TRANSITION_NAMES, State
from grants.selectors import match_for
from grants.workflow import (
    TransitionRefused,
    application_create,
    application_transition,
    available_transitions,
    checklist,
    comment_add,
    document_upload,
    may_upload,
)
from grants.workflow.creation import default_call, staff_of
from grants.workflow.forms import ApplicationCreateForm, CommentForm, TransitionForm
from grants.workflow.selectors import filter_applications, pipeline_board, timeline
from grants.workflow.transitions import is_available, may_perform

PAGE_SIZE = 25
SORTS = {
    "deadline": [F("current_deadline").asc(nulls_last=True), "-pk"],
    "-deadline": [F("current_deadline").desc(nulls_last=True), "-pk"],
    "reference": ["reference"],
    "-reference": ["-reference"],
    "amount": ["requested_amount", "-pk"],
    "-amount": ["-requested_amount", "-pk"],
    "updated": ["updated_at", "pk"],
    "-updated": ["-updated_at", "-pk"],
}


def _is_client(user) -> bool:
    membership = membership_of(user)
    return membership is None or membership.role == Membership.Role.CLIENT


def _visible(request, pk: int) -> Application:
    return get_object_or_404(Application.objects.visible_to(request.user).for_list(), pk=pk)


def _transition_urls(next_url: str = ""):
    """A fast maker of transition URLs: one reverse(), then string formatting per button."""
    sample = reverse("grants:application_transition", kwargs={"pk": 1, "name": "start"})
    prefix, _, _ = sample.rpartition("/1/transitions/start/")
    query = f"?{urlencode({'next': next_url})}" if next_url else ""
    return lambda pk, name: f"{prefix}/{pk}/transitions/{name}/{query}"


def _transition_buttons(application: Application, user, *, url_for=None) -> list[dict]:
    url_for = url_for or _transition_urls()
    return [
        {
            "name": name,
            "label": TRANSITION_LABELS[name],
            "url": url_for(application.pk, name),
            "danger": name in ("withdraw", "reject"),
        }
        for name in available_transitions(application, user)
    ]


def _filter_params(request, *, is_client: bool) -> tuple[dict, dict[str, str]]:
    """The list's filters, and an error per filter that is not a valid value."""
    get = request.GET
    client = get.get("client", "").strip()
    company_id = parse_id(client)
    params = {
        "state": [s for v in get.getlist("state") for s in v.split(",") if s in State.values],
        "programme": get.get("programme", "").strip(),
        "company": str(company_id) if company_id else "",
        "assignee": get.get("assignee", "").strip(),
    }
    errors = {}
    if is_client:
        params["company"] = params["assignee"] = ""
    elif client and company_id is None:
        errors["client"] = _("Choose a client from the list.")
    return params, errors


def _filter_choices(request, *, is_client: bool) -> dict:
    membership = membership_of(request.user)
    selected = set(request.GET.get("state", "").split(","))
    if is_client:  # the client's words: one choice may stand for several internal states
        grouped: dict[str, list[str]] = {}
        for state in State:
            grouped.setdefault(str(CLIENT_LABELS[state]), []).append(state.value)
        states = [(",".join(values), label) for label, values in grouped.items()]
    else:
        states = [(value, str(label)) for value, label in State.choices]
    choices = {
        "states": [
            {"value": v, "label": label, "selected": v == request.GET.get("state") or v in selected}
            for v, label in states
        ],
        "programmes": Programme.objects.order_by("code"),
    }
    if not is_client:
        choices["companies"] = (
            Company.objects.visible_to(request.user).only("pk", "name", "name_zh").order_by("name")
        )
        choices["assignees"] = staff_of(membership.organisation_id)
    return choices


def application_list(request):
    is_client = _is_client(request.user)
    params, errors = _filter_params(request, is_client=is_client)
    sort = request.GET.get("sort", "-updated")
    if sort not in SORTS:
        sort = "-updated"
    queryset = filter_applications(
        Application.objects.visible_to(request.user).for_list().with_deadline(), params
    ).order_by(*SORTS[sort])
    if errors:
        queryset = queryset.none()
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "params": params,
        "filter_errors": errors,
        "sort": sort,
        "is_client": is_client,
        "filtered": any(params.values()) or bool(errors),
        **_filter_choices(request, is_client=is_client),
    }
    return render(request, "grants/applications/list.html", context, status=400 if errors else 200)


def _detail_context(request, application: Application, **extra) -> dict:
    user = request.user
    is_client = _is_client(user)
    disbursements = list(application.disbursements.all())
    context = {
        "application": application,
        "is_client": is_client,
        "transitions": [] if is_client else _transition_buttons(application, user),
        "checklist": checklist(application),
        "timeline": timeline(application),
        "disbursements": disbursements,
        "disbursed_total": sum((d.amount for d in disbursements), start=0),
        "may_upload": may_upload(application, user) and application.is_live,
        "may_comment": may_upload(application, user),
        "comment_form": CommentForm(),
        "transition_labels": TRANSITION_LABELS,
        "panels": panels.render("application", request, application),
        "upload_errors": {},
    }
    if not is_client:
        context["match"] = match_for(application.project, application.programme)
    context.update(extra)
    errors = dict(context["upload_errors"])
    for row in context["checklist"]:
        row["errors"] = errors.pop(row["slot"].code, [])
    context["upload_general_errors"] = [m for ms in errors.values() for m in ms]
    context["upload_max_mb"] = settings.UPLOAD_MAX_MB
    for entry in context["timeline"]:
        if entry.kind == "transition":
            entry.label, entry.detail = _history_text(entry.item, is_client=is_client)
    return context


def _history_text(log, *, is_client: bool) -> tuple[str, str]:
    """What a history entry says: the new state (client words for clients) and its figures."""
    state = State(log.to_state)
    label = str(CLIENT_LABELS[state]) if is_client else str(state.label)
    if not is_client:
        label = f"{TRANSITION_LABELS[log.transition]} → {label}"
    data = log.data or {}
    details = []
    for key in ("approved_amount", "amount"):
        if data.get(key):
            details.append(format_money(Decimal(data[key])))
    if data.get("paid_on"):
        details.append(_("paid on %s") % data["paid_on"])
    if data.get("supplement_deadline"):
        moment = datetime.fromisoformat(data["supplement_deadline"])
        details.append(_("due %s") % timezone.localtime(moment).strftime("%Y-%m-%d %H:%M"))
    if data.get("submission_ref"):
        details.append(data["submission_ref"])
    return label, " · ".join(details)


def application_detail(request, pk: int):
    application = _visible(request, pk)
    return render(request, "grants/applications/detail.html", _detail_context(request, application))


def application_create_view(request):
    project = get_object_or_404(
        Project.objects.visible_to(request.user).select_related("company"),
        pk=parse_id(request.GET.get("project")),
    )
    programme = get_object_or_404(Programme, code=request.GET.get("programme", ""))
    if _is_client(request.user):
        raise PermissionDenied
    organisation_id = project.company.organisation_id
    match = match_for(project, programme)
    form = ApplicationCreateForm(
        request.POST if request.method == "POST" else None,
        programme=programme,
        organisation_id=organisation_id,
        initial={
            "requested_amount": match.estimated_subsidy,
            "call": form_default_call(programme),
            "assignee": request.user.pk,
        },
    )
    reasons: list[str] = []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                application = application_create(
                    project=project,
                    programme=programme,
                    call=form.cleaned_data["call"],
                    requested_amount=form.cleaned_data["requested_amount"],
                    assignee=form.cleaned_data["assignee"],
                    actor=request.user,
                )
            except RuleRefused as refused:
                reasons = refused.reasons
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Application %s was created.") % application.reference)
                return redirect("grants:application_detail", pk=application.pk)
        status = 400
    context = {"form": form, "project": project, "programme": programme, "match": match}
    context["reasons"] = reasons
    return render(request, "grants/applications/create.html", context, status=status)


def form_default_call(programme: Programme) -> int | None:
    call = default_call(programme)
    return call.pk if call else None


def _add_errors(form, error: ValidationError) -> None:
    for field, messages_ in getattr(error, "message_dict", {"": error.messages}).items():
        for message in messages_:
            form.add_error(field if field in form.fields else None, message)


def application_transition_view(request, pk: int, name: str):
    application = _visible(request, pk)
    if name not in TRANSITION_NAMES:
        raise Http404
    if not may_perform(application, name, request.user):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = TransitionForm(data, transition=name)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            application_transition(
                application=application, name=name, actor=request.user, **form.service_fields()
            )
        except TransitionRefused as refused:
            for field, reasons in refused.field_reasons.items():
                for reason in reasons:
                    form.add_error(field if field in form.fields else None, reason)
            status = 400
        except Conflict as conflict:
            form.add_error(None, str(conflict.detail))
            status = 409
        else:
            return _transition_done(request, application, name)
    elif request.method == "POST":
        status = 400
    return _transition_form(request, application, name, form, status)


def _transition_done(request, application: Application, name: str) -> HttpResponse:
    """Back to `next` (or the application), with a message; htmx is told where to go."""
    messages.success(
        request,
        _("%(reference)s: “%(step)s” done.")
        % {"reference": application.reference, "step": TRANSITION_LABELS[name]},
    )
    url = _next_url(request) or reverse("grants:application_detail", kwargs={"pk": application.pk})
    if request.htmx:
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return HttpResponseRedirect(url)


def _transition_form(
    request, application: Application, name: str, form: TransitionForm, status: int
) -> HttpResponse:
    """The transition's form: the modal's body for htmx, else a page of its own."""
    context = {
        "application": application,
        "form": form,
        "name": name,
        "label": TRANSITION_LABELS[name],
        "available": is_available(application, name),
        "action": request.get_full_path(),
    }
    if request.htmx:
        # htmx swaps 2xx answers only: errors come back as 200 with the form and its errors.
        return render(request, "grants/applications/transition_form.html", context)
    if not context["available"] and status == 200:
        status = 409
    return render(request, "grants/applications/transition_page.html", context, status=status)


def _next_url(request) -> str:
    """Where to go back to (`?next=` or POST `next`): a path on this site, else ""."""
    return safe_next(request, request.GET.get("next", "") or request.POST.get("next", ""))


@csrf_exempt  # checked below, once the upload guard is in place (`_document_upload`)
@require_POST
def document_upload_view(request, pk: int):
    uploads.guard(request)  # before anything (the CSRF check) reads the body
    return _document_upload(request, pk)


@csrf_protect
def _document_upload(request, pk: int):
    application = _visible(request, pk)
    slot_code = request.POST.get("slot", "")
    errors: list[str] = []
    try:
        uploads.check(request)
        document = document_upload(
            application=application,
            slot_code=slot_code,
            file=request.FILES.get("file"),
            actor=request.user,
        )
    except ValidationError as error:
        errors = [m for ms in error.message_dict.values() for m in ms]
    except RuleRefused as refused:
        errors = refused.reasons
    if request.htmx:
        context = _detail_context(request, application, upload_errors={slot_code: errors})
        html = render_to_string("grants/applications/_checklist.html", context, request=request)
        return HttpResponse(html, status=400 if errors else 200)
    if errors:
        context = _detail_context(request, application, upload_errors={slot_code: errors})
        return render(request, "grants/applications/detail.html", context, status=400)
    messages.success(
        request,
        _("%(name)s uploaded (version %(version)d).")
        % {"name": document.filename, "version": document.version},
    )
    return HttpResponseRedirect(
        _next_url(request) or reverse("grants:application_detail", kwargs={"pk": pk}) + "#checklist"
    )


def document_download(request, pk: int):
    return downloads.document_download(request.user, pk)


@require_POST
def comment_add_view(request, pk: int):
    application = _visible(request, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment_add(
                application=application, author=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Your comment was added."))
            return redirect(reverse("grants:application_detail", kwargs={"pk": pk}) + "#timeline")
    context = _detail_context(request, application, comment_form=form)
    return render(request, "grants/applications/detail.html", context, status=400)


def pipeline(request):
    if _is_client(request.user):
        raise PermissionDenied
    params, errors = _filter_params(request, is_client=False)
    params["state"] = []
    columns = [] if errors else pipeline_board(request.user, params)
    url_for = _transition_urls(request.get_full_path())
    for column in columns:
        for card in column.cards:
            card.buttons = _transition_buttons(card, request.user, url_for=url_for)
    context = {
        "columns": columns,
        "params": params,
        "filter_errors": errors,
        "filtered": any(params.values()) or bool(errors),
        "list_query": request.GET.urlencode(),
        **_filter_choices(request, is_client=False),
    }
    return render(
        request, "grants/applications/pipeline.html", context, status=400 if errors else 200
    )


def company_applications_panel(request, company) -> str:
    """The company page's applications section."""
    if company is None:
        return ""
    applications = list(
        Application.objects.visible_to(request.user).filter(company=company).for_list()[:50]
    )
    return render_to_string(
        "grants/applications/company_panel.html",
        {
            "applications": applications,
            "company": company,
            "is_client": _is_client(request.user),
        },
        request=request,
    )


def register_panels() -> None:
    """Add this area's sections to other pages (core.panels); called once at start-up."""
    panels.add("company", company_applications_panel, order=30)
