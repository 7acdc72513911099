"""Company, project and member pages. Each view parses, calls one service, renders.

Every object is looked up through `visible_to(user)` first, so another organisation's object or
another client's company is a 404 before any role check; only then may a role be refused (403).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from companies import selectors, services
from companies.forms import (
    CompanyFilterForm,
    CompanyForm,
    ContactForm,
    ContactFormSet,
    CostLineForm,
    CostLineFormSet,
    FormsetRows,
    MemberInviteForm,
    MemberRoleForm,
    OrganisationSettingsForm,
    ProjectForm,
    contact_initial,
    cost_line_initial,
    initial_from_post,
)
from companies.models import Activity, Company, Membership, Project, membership_of
from companies.services import COMPANY_FIELDS, PROJECT_FIELDS, Refused
from core import panels

COMPANIES_PER_PAGE = 25
MEMBERS_PER_PAGE = 50


def _staff_membership(request: HttpRequest) -> Membership:
    """Consultants and admins change companies and projects; clients only read them (403)."""
    membership = membership_of(request.user)
    if membership is None or not membership.is_staff_role:
        raise PermissionDenied(_("Only consultants and administrators may change this."))
    return membership


def _admin_membership(request: HttpRequest) -> Membership:
    membership = membership_of(request.user)
    if membership is None or membership.role != Membership.Role.ADMIN:
        raise Http404
    return membership


def _add_errors(form, error: ValidationError) -> None:
    for field, messages_ in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages_)


def _refusal_text(refused: Refused) -> str:
    return " ".join([refused.message, *refused.reasons])


def _panels(page: str, request: HttpRequest, obj: Any) -> list[str]:
    # Panels are rendered by their own templates, which escape what they show.
    return [mark_safe(html) for html in panels.render(page, request, obj)]  # noqa: S308


def _delete_page(
    request: HttpRequest,
    obj: Company | Project,
    *,
    delete: Callable[[], None],
    reasons: Callable[[], list[str]],
    deleted: str,
    next_url: str,
    context: dict[str, Any],
) -> HttpResponse:
    """Confirm (GET, with what holds the object) and delete (POST); a refusal goes back to it."""
    _staff_membership(request)
    if request.method == "POST":
        try:
            delete()
        except Refused as refused:
            messages.error(request, _refusal_text(refused))
            return redirect(obj.get_absolute_url())
        messages.success(request, deleted)
        return redirect(next_url)
    return render(
        request,
        "companies/confirm_delete.html",
        {"object": obj, **context, "reasons": reasons(), "cancel_url": obj.get_absolute_url()},
    )


# --- companies --------------------------------------------------------------------------------


@require_GET
def company_list(request: HttpRequest) -> HttpResponse:
    filters = CompanyFilterForm(request.GET)
    filters.is_valid()
    query = filters.cleaned_data.get("q", "")
    district = filters.cleaned_data.get("district", "")
    sort = filters.cleaned_data.get("sort") or selectors.DEFAULT_COMPANY_SORT
    companies = selectors.company_list(user=request.user, query=query, district=district, sort=sort)
    page = Paginator(companies, COMPANIES_PER_PAGE).get_page(request.GET.get("page"))
    counts = selectors.project_counts(c.pk for c in page.object_list)
    for company in page.object_list:
        company.project_count = counts.get(company.pk, 0)
    membership = membership_of(request.user)
    return render(
        request,
        "companies/company_list.html",
        {
            "page": page,
            "filters": filters,
            "sort": sort,
            "name_sort": "-name" if sort == "name" else "name",
            "searching": bool(query or district),
            "can_edit": membership is not None and membership.is_staff_role,
        },
    )


def _company_form(request: HttpRequest, company: Company | None) -> HttpResponse:
    membership = _staff_membership(request)
    organisation = membership.organisation
    action = request.POST.get("formset_action", "") if request.method == "POST" else ""
    if action:
        rows = FormsetRows(request.POST, "contacts", list(ContactForm.base_fields), ordered=False)
        rows.apply(action)
        form = CompanyForm(
            initial=initial_from_post(CompanyForm, request.POST),
            instance=company,
            organisation=organisation,
        )
        contacts = rows.formset(ContactFormSet)
    elif request.method == "POST":
        form = CompanyForm(request.POST, instance=company, organisation=organisation)
        contacts = ContactFormSet(request.POST, prefix="contacts")
        if form.is_valid() and contacts.is_valid():
            data = {name: form.cleaned_data[name] for name in COMPANY_FIELDS}
            try:
                if company is None:
                    company = services.company_create(
                        actor=request.user,
                        organisation=organisation,
                        data=data,
                        contacts=contacts.rows(),
                    )
                    messages.success(request, _("The company was added."))
                else:
                    company = services.company_update(
                        actor=request.user, company=company, data=data, contacts=contacts.rows()
                    )
                    messages.success(request, _("The company was saved."))
            except ValidationError as error:
                _add_errors(form, error)
            else:
                return redirect("companies:detail", pk=company.pk)
    else:
        form = CompanyForm(instance=company, organisation=organisation)
        contacts = ContactFormSet(
            initial=contact_initial(company) if company else None, prefix="contacts"
        )
    return render(
        request,
        "companies/company_form.html",
        {"form": form, "contacts": contacts, "company": company},
    )


@require_http_methods(["GET", "POST"])
def company_create(request: HttpRequest) -> HttpResponse:
    return _company_form(request, None)


@require_http_methods(["GET", "POST"])
def company_edit(request: HttpRequest, pk: int) -> HttpResponse:
    company = selectors.company_for(request.user, pk)
    return _company_form(request, company)


@require_GET
def company_detail(request: HttpRequest, pk: int) -> HttpResponse:
    company = selectors.company_for(request.user, pk)
    membership = membership_of(request.user)
    return render(
        request,
        "companies/company_detail.html",
        {
            "company": company,
            "contacts": company.contacts.all(),
            "projects": selectors.company_projects(company),
            "panels": _panels("company", request, company),
            "can_edit": membership is not None and membership.is_staff_role,
        },
    )


@require_http_methods(["GET", "POST"])
def company_delete(request: HttpRequest, pk: int) -> HttpResponse:
    company = selectors.company_for(request.user, pk)
    return _delete_page(
        request,
        company,
        delete=lambda: services.company_delete(actor=request.user, company=company),
        reasons=lambda: services.company_deletion_reasons(company),
        deleted=_("The company %(name)s was deleted.") % {"name": company.name},
        next_url=reverse("companies:list"),
        context={"company": company},
    )


# --- projects ---------------------------------------------------------------------------------


def _project_form(request: HttpRequest, company: Company, project: Project | None) -> HttpResponse:
    _staff_membership(request)
    action = request.POST.get("formset_action", "") if request.method == "POST" else ""
    if action:
        rows = FormsetRows(request.POST, "costs", list(CostLineForm.base_fields), ordered=True)
        rows.apply(action)
        form = ProjectForm(initial=initial_from_post(ProjectForm, request.POST), instance=project)
        costs = rows.formset(CostLineFormSet)
    elif request.method == "POST":
        form = ProjectForm(request.POST, instance=project)
        costs = CostLineFormSet(request.POST, prefix="costs")
        if form.is_valid() and costs.is_valid():
            data = {name: form.cleaned_data[name] for name in PROJECT_FIELDS}
            try:
                project = services.project_save(
                    actor=request.user,
                    company=company,
                    project=project,
                    data=data,
                    costs=costs.rows(),
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("The project was saved."))
                return redirect("companies:project_detail", pk=project.pk)
    else:
        form = ProjectForm(instance=project)
        costs = CostLineFormSet(
            initial=cost_line_initial(project) if project else None, prefix="costs"
        )
    return render(
        request,
        "companies/project_form.html",
        {"form": form, "costs": costs, "company": company, "project": project},
    )


@require_http_methods(["GET", "POST"])
def project_create(request: HttpRequest, company_pk: int) -> HttpResponse:
    company = selectors.company_for(request.user, company_pk)
    return _project_form(request, company, None)


@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_for(request.user, pk)
    return _project_form(request, project.company, project)


@require_GET
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_for(request.user, pk)
    costs = list(project.costs.all())
    labels = selectors.area_labels()
    membership = membership_of(request.user)
    return render(
        request,
        "companies/project_detail.html",
        {
            "project": project,
            "company": project.company,
            "costs": costs,
            "summary": selectors.cost_summary(costs),
            "areas": [(code, labels.get(code, code)) for code in project.areas or ()],
            "panels": _panels("project", request, project),
            "can_edit": membership is not None and membership.is_staff_role,
        },
    )


@require_http_methods(["GET", "POST"])
def project_delete(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_for(request.user, pk)
    return _delete_page(
        request,
        project,
        delete=lambda: services.project_delete(actor=request.user, project=project),
        reasons=lambda: services.project_deletion_reasons(project),
        deleted=_("The project %(title)s was deleted.") % {"title": project.title},
        next_url=reverse("companies:detail", kwargs={"pk": project.company_id}),
        context={"company": project.company, "project": project},
    )


# --- members ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def members(request: HttpRequest) -> HttpResponse:
    """The organisation's members: invite by email, change roles, remove (admins only)."""
    membership = _admin_membership(request)
    organisation = membership.organisation
    form = MemberInviteForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            invited = services.member_invite(
                actor=request.user,
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                company=form.cleaned_data["company"],
                language=request.LANGUAGE_CODE,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("%(email)s was added; an email with a link to choose a password is on its way.")
                % {"email": invited.user.email},
            )
            return redirect("companies:members")
    return _members_page(request, membership, invite_form=form)


@require_POST
def organisation_settings(request: HttpRequest) -> HttpResponse:
    """The organisation's name and four-eyes rule (admins only; shown on the members page)."""
    membership = _admin_membership(request)
    form = OrganisationSettingsForm(request.POST, instance=membership.organisation)
    if form.is_valid():
        try:
            services.organisation_update(
                actor=request.user,
                organisation=membership.organisation,
                data={name: form.cleaned_data[name] for name in services.ORGANISATION_FIELDS},
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The organisation's settings are saved."))
            return redirect("companies:members")
    # The form changed the instance while validating: show the page with the saved values.
    membership.organisation.refresh_from_db()
    return _members_page(request, membership, settings_form=form)


def _members_page(
    request: HttpRequest,
    membership: Membership,
    *,
    invite_form: MemberInviteForm | None = None,
    settings_form: OrganisationSettingsForm | None = None,
) -> HttpResponse:
    organisation = membership.organisation
    page = Paginator(selectors.members_of(organisation), MEMBERS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "companies/members.html",
        {
            "form": invite_form or MemberInviteForm(organisation=organisation),
            "settings_form": settings_form or OrganisationSettingsForm(instance=organisation),
            "page": page,
            "organisation": organisation,
            "roles": Membership.Role.choices,
            "companies": list(selectors.organisation_companies(organisation)),
            "activities": Activity.objects.visible_to(request.user).select_related("actor")[:15],
        },
    )


def _member(request: HttpRequest, pk: int) -> tuple[Membership, Membership]:
    admin = _admin_membership(request)
    target = get_object_or_404(
        Membership.objects.select_related("user", "organisation"),
        pk=pk,
        organisation_id=admin.organisation_id,
    )
    return admin, target


@require_POST
def member_role(request: HttpRequest, pk: int) -> HttpResponse:
    admin, target = _member(request, pk)
    form = MemberRoleForm(request.POST, organisation=admin.organisation)
    if not form.is_valid():
        errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
        messages.error(request, " ".join(errors))
        return redirect("companies:members")
    try:
        services.member_change_role(
            actor=request.user,
            membership=target,
            role=form.cleaned_data["role"],
            company=form.cleaned_data["company"],
        )
    except Refused as refused:
        messages.error(request, _refusal_text(refused))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The role of %(user)s was changed.") % {"user": target.user.username}
        )
        if target.user_id == request.user.pk and form.cleaned_data["role"] != "admin":
            return redirect("home")  # no longer an admin: the members page is not theirs now
    return redirect("companies:members")


@require_POST
def member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    _admin, target = _member(request, pk)
    try:
        services.member_remove(actor=request.user, membership=target)
    except Refused as refused:
        messages.error(request, _refusal_text(refused))
    else:
        messages.success(request, _("%(user)s was removed.") % {"user": target.user.username})
    return redirect("companies:members")
