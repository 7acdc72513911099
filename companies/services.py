"""Every change to organisations' members, companies, projects and cost lines happens here.

Pages, the API and the `create_member` command parse their input and call one of these
functions. Each runs in one transaction and records who did what as an `Activity` row. Input
arrives already parsed (forms, serializers); the model validators run again here, so no caller
can store what a form would have refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from companies import hooks
from companies.models import (
    Activity,
    Company,
    Contact,
    CostLine,
    Membership,
    Organisation,
    Project,
)
from companies.validators import normalise_uscc

if TYPE_CHECKING:
    from accounts.models import User

COMPANY_FIELDS = (
    "name",
    "name_zh",
    "uscc",
    "district",
    "established_on",
    "employees",
    "tax_credit_rating",
)
PROJECT_FIELDS = ("title", "summary", "areas", "start_date", "end_date")
CONTACT_FIELDS = ("name", "title", "email", "phone")
COST_FIELDS = ("kind", "amount", "months", "supplier", "related_party", "description")

USCC_TAKEN = gettext_lazy(
    "A company with this unified social credit code already exists in your organisation."
)
PROJECT_TIED = gettext_lazy(
    "This project has applications for its company, so it cannot move to another company."
)
ACCOUNT_ELSEWHERE = gettext_lazy(
    "This email address belongs to a Grantdesk account outside your organisation; "
    "it cannot be invited. Please use another address."
)
LAST_ADMIN = gettext_lazy(
    "An organisation needs at least one administrator: make someone else an administrator first."
)


class Refused(Exception):
    """A rule refused the change; `reasons` says why (shown as a message or a 400)."""

    def __init__(self, message: str, reasons: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.message = str(message)
        self.reasons = [str(r) for r in reasons]


# --- activity ------------------------------------------------------------------------------------


def activity_record(
    *,
    organisation: Organisation,
    actor: User | None,
    verb: str,
    obj: Any,
    company: Company | None = None,
    data: dict | None = None,
    label: str | None = None,
) -> Activity:
    """One row of the organisation's activity log: who did what to which object."""
    return Activity.objects.create(
        organisation=organisation,
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb=verb,
        object_type=type(obj)._meta.model_name,
        object_id=str(obj.pk or ""),
        object_label=(label if label is not None else str(obj))[:300],
        company=company,
        data=data or {},
    )


# --- organisation settings ------------------------------------------------------------------

ORGANISATION_FIELDS = ("name", "require_second_reviewer")
ORGANISATION_NAME_TAKEN = gettext_lazy("Another organisation already uses this name.")


@transaction.atomic
def organisation_update(
    *, actor: User, organisation: Organisation, data: Mapping[str, Any]
) -> Organisation:
    """Change the organisation's name or four-eyes rule; recorded when something changed."""
    organisation = _lock_organisation(organisation)
    changed = _apply(organisation, data, ORGANISATION_FIELDS)
    if not changed:
        return organisation
    organisation.name = organisation.name.strip()
    organisation.full_clean(validate_unique=False)
    if Organisation.objects.filter(name=organisation.name).exclude(pk=organisation.pk).exists():
        raise ValidationError({"name": [ORGANISATION_NAME_TAKEN]})
    try:
        with transaction.atomic():
            organisation.save(update_fields=changed)
    except IntegrityError as error:  # a concurrent rename to the same name
        raise ValidationError({"name": [ORGANISATION_NAME_TAKEN]}) from error
    activity_record(
        organisation=organisation,
        actor=actor,
        verb="updated",
        obj=organisation,
        data={"fields": changed, **{field: getattr(organisation, field) for field in changed}},
    )
    return organisation


# --- companies ------------------------------------------------------------------------------


def uscc_taken(*, organisation: Organisation, uscc: str, exclude_pk: int | None = None) -> bool:
    others = Company.objects.filter(organisation=organisation, uscc=normalise_uscc(uscc))
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    return others.exists()


def _apply(instance: Any, data: Mapping[str, Any], fields: Iterable[str]) -> list[str]:
    changed = []
    for field in fields:
        if field not in data:
            continue
        value = data[field]
        if value is None and field in ("name_zh", "tax_credit_rating", "summary"):
            value = ""
        if getattr(instance, field) != value:
            setattr(instance, field, value)
            changed.append(field)
    return changed


def _save_company(company: Company) -> None:
    company.uscc = normalise_uscc(company.uscc)
    company.full_clean(exclude=["organisation"], validate_unique=False, validate_constraints=False)
    if uscc_taken(organisation=company.organisation, uscc=company.uscc, exclude_pk=company.pk):
        raise ValidationError({"uscc": [USCC_TAKEN]})
    try:
        # A concurrent insert of the same code passes the check above; the constraint catches it.
        with transaction.atomic():
            company.save()
    except IntegrityError as error:
        if "uscc" in str(error).lower():
            raise ValidationError({"uscc": [USCC_TAKEN]}) from error
        raise


def _validated_rows(
    model: type[Contact | CostLine],
    rows: Iterable[Mapping[str, Any]],
    fields: Iterable[str],
    **parent: Any,
) -> list[Any]:
    """Unsaved, validated instances of `model`, one per row, numbered in order under `parent`."""
    instances = []
    for position, row in enumerate(rows):
        instance = model(position=position, **parent)
        _apply(instance, row, fields)
        instance.full_clean(exclude=list(parent))
        instances.append(instance)
    return instances


def _replace_contacts(company: Company, contacts: Iterable[Mapping[str, Any]]) -> None:
    company.contacts.all().delete()
    Contact.objects.bulk_create(_validated_rows(Contact, contacts, CONTACT_FIELDS, company=company))


@transaction.atomic
def company_create(
    *,
    actor: User | None,
    organisation: Organisation,
    data: Mapping[str, Any],
    contacts: Iterable[Mapping[str, Any]] | None = None,
) -> Company:
    company = Company(organisation=organisation)
    _apply(company, data, COMPANY_FIELDS)
    _save_company(company)
    if contacts is not None:
        _replace_contacts(company, contacts)
    activity_record(
        organisation=organisation, actor=actor, verb="created", obj=company, company=company
    )
    return company


@transaction.atomic
def company_update(
    *,
    actor: User | None,
    company: Company,
    data: Mapping[str, Any],
    contacts: Iterable[Mapping[str, Any]] | None = None,
) -> Company:
    """Change the given fields; `contacts`, when given, replaces the contact list whole."""
    # A fresh, locked copy: the caller's instance may already carry a form's changes.
    company = Company.objects.select_for_update().select_related("organisation").get(pk=company.pk)
    changed = _apply(company, data, COMPANY_FIELDS)
    _save_company(company)
    if contacts is not None:
        _replace_contacts(company, contacts)
        changed.append("contacts")
    activity_record(
        organisation=company.organisation,
        actor=actor,
        verb="updated",
        obj=company,
        company=company,
        data={"fields": changed},
    )
    return company


@contextmanager
def _deleting(refusal: str, reasons: list[str]) -> Iterator[None]:
    """Refuse (with `reasons`) before the deletion, or after it if a protected row still refers.

    The blockers of `companies.hooks` name what is known to hold an object; a ProtectedError is
    what no blocker knew about, and is refused the same way rather than becoming a 500.
    """
    if reasons:
        raise Refused(refusal, reasons)
    try:
        yield
    except ProtectedError as error:
        raise Refused(refusal, [_("Other records still refer to it.")]) from error


def company_deletion_reasons(company: Company) -> list[str]:
    """Why the company may not be deleted now (live applications, client users); empty if it may."""
    reasons = list(hooks.deletion_blockers(company))
    for project in company.projects.all():
        reasons.extend(r for r in hooks.deletion_blockers(project) if r not in reasons)
    if company.client_memberships.exists():
        reasons.append(_("Client users belong to it; remove them from the members first."))
    return reasons


@transaction.atomic
def company_delete(*, actor: User | None, company: Company) -> None:
    """Delete a company with its projects, unless something (live applications) holds it."""
    with _deleting(_("This company cannot be deleted."), company_deletion_reasons(company)):
        activity_record(
            organisation=company.organisation,
            actor=actor,
            verb="deleted",
            obj=company,
            data={"uscc": company.uscc},
        )
        company.projects.all().delete()
        company.delete()


# --- projects and cost lines ----------------------------------------------------------------


def _validate_areas(areas: Iterable[str]) -> list[str]:
    codes = list(dict.fromkeys(areas or []))
    known = {code for code, _label in hooks.area_choices()}
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise ValidationError(
            {"areas": [_("Unknown priority area: %(codes)s.") % {"codes": ", ".join(unknown)}]}
        )
    return codes


@transaction.atomic
def project_save(
    *,
    actor: User | None,
    company: Company,
    project: Project | None = None,
    data: Mapping[str, Any],
    costs: Iterable[Mapping[str, Any]] | None = None,
) -> Project:
    """Create or change a project; `costs`, when given, replaces its cost lines whole, in order.

    The project row is saved every time, so `updated_at` moves whenever the project or any of
    its cost lines changes (a dossier generated before that is no longer current).
    """
    creating = project is None
    moved = False
    if project is None:
        project = Project(company=company)
    else:
        # A fresh, locked copy: concurrent saves of one project's cost lines take turns.
        project = Project.objects.select_for_update().select_related("company").get(pk=project.pk)
        moved = project.company_id != company.pk
        if moved:
            _check_move(project, company)
            project.company = company
    if "areas" in data:
        data = {**data, "areas": _validate_areas(data["areas"])}
    changed = _apply(project, data, PROJECT_FIELDS) + (["company"] if moved else [])
    project.full_clean(exclude=["company"], validate_unique=False)
    project.save()
    if costs is not None:
        lines = _validated_rows(CostLine, costs, COST_FIELDS, project=project)
        project.costs.all().delete()
        CostLine.objects.bulk_create(lines)
        changed.append("costs")
    activity_record(
        organisation=company.organisation,
        actor=actor,
        verb="created" if creating else "updated",
        obj=project,
        company=company,
        data={} if creating else {"fields": changed},
    )
    return project


def _check_move(project: Project, company: Company) -> None:
    """A project moves only within its organisation, and never once applications name it."""
    if company.organisation_id != project.company.organisation_id:
        raise ValidationError({"company": [_("This company is not in the organisation.")]})
    if hooks.tied_to_company(project):
        raise ValidationError({"company": [PROJECT_TIED]})


def project_deletion_reasons(project: Project) -> list[str]:
    return list(hooks.deletion_blockers(project))


@transaction.atomic
def project_delete(*, actor: User | None, project: Project) -> None:
    with _deleting(_("This project cannot be deleted."), project_deletion_reasons(project)):
        company = project.company
        activity_record(
            organisation=company.organisation,
            actor=actor,
            verb="deleted",
            obj=project,
            company=company,
        )
        project.delete()


# --- members ------------------------------------------------------------------------------------


def _check_company(organisation: Organisation, role: str, company: Company | None) -> None:
    if role == Membership.Role.CLIENT:
        if company is None:
            raise ValidationError({"company": [_("A client member needs a company.")]})
        if company.organisation_id != organisation.pk:
            raise ValidationError({"company": [_("This company is not in the organisation.")]})
    elif role not in Membership.Role.values:
        raise ValidationError({"role": [_("Unknown role: %(role)s.") % {"role": role}]})


def _lock_organisation(organisation: Organisation) -> Organisation:
    """Serialise membership changes of one organisation (the last-admin rule reads, then writes).

    Without this row lock two admins demoting each other at the same moment could both see the
    other as the remaining admin and leave the organisation with none.
    """
    return Organisation.objects.select_for_update().get(pk=organisation.pk)


def _refuse_member(user: User | None, field: str, message: str) -> None:
    """One membership per user: someone who already belongs somewhere is refused on `field`."""
    if user is not None and Membership.objects.filter(user=user).exists():
        raise ValidationError({field: [message]})


def _new_user(*, username: str, email: str) -> User:
    """An unsaved user, validated (the password is set by the caller)."""
    user = get_user_model()(username=username, email=email)
    user.full_clean(exclude=["password"])
    return user


def _membership_add(
    *,
    actor: User | None,
    organisation: Organisation,
    user: User,
    role: str,
    company: Company | None,
    verb: str,
    label: str,
    data: dict[str, Any],
) -> Membership:
    """Activate the user, make them a member and record it as `verb`."""
    user.is_active = True
    user.save()
    membership = Membership.objects.create(
        user=user, organisation=organisation, role=role, company=company
    )
    activity_record(
        organisation=organisation,
        actor=actor,
        verb=verb,
        obj=membership,
        label=label,
        company=company,
        data=data,
    )
    return membership


@transaction.atomic
def member_create(
    *,
    actor: User | None,
    organisation_name: str,
    username: str,
    password: str | None,
    role: str,
    company_id: int | None = None,
    email: str = "",
) -> Membership:
    """A user with a membership, creating the organisation when new (`create_member`)."""
    if role not in Membership.Role.values:
        raise ValidationError({"role": [_("Unknown role: %(role)s.") % {"role": role}]})
    organisation, _created = Organisation.objects.get_or_create(name=organisation_name.strip())
    company = None
    if company_id is not None:
        company = Company.objects.filter(pk=company_id).first()
        if company is None:
            message = _("No company has the id %(id)s.") % {"id": company_id}
            raise ValidationError({"company": [message]})
        if role != Membership.Role.CLIENT:
            raise ValidationError({"company": [_("Only a client member names a company.")]})
    _check_company(organisation, role, company)
    user = get_user_model().objects.filter(username=username).first()
    _refuse_member(user, "username", _("This user already belongs to an organisation."))
    if user is None:
        user = _new_user(username=username, email=email)
    elif email:
        user.email = email
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    return _membership_add(
        actor=actor,
        organisation=organisation,
        user=user,
        role=role,
        company=company,
        verb="member_added",
        label=user.username,
        data={"role": role, "username": user.username},
    )


def invitation_link(user: User) -> str:
    """A set-password link, valid for PASSWORD_RESET_TIMEOUT seconds (Django's reset tokens)."""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return f"{settings.SITE_URL}{path}"


@transaction.atomic
def member_invite(
    *,
    actor: User,
    organisation: Organisation,
    email: str,
    role: str,
    company: Company | None = None,
    language: str | None = None,
) -> Membership:
    """Add a person by email; they get an email with a link to choose their password.

    The user name is the email address. The email goes out after the commit, through the worker,
    in the invitee's language if known, else the inviter's.
    """
    organisation = _lock_organisation(organisation)
    email = email.strip().lower()
    if role != Membership.Role.CLIENT:
        company = None
    _check_company(organisation, role, company)
    users = get_user_model().objects
    user = users.filter(username__iexact=email).first() or users.filter(email__iexact=email).first()
    _refuse_member(
        user,
        "email",
        _("This email address already has a Grantdesk account with an organisation."),
    )
    if user is not None and not _last_member_of(user, organisation):
        # Someone else's account (support staff, a former member of another organisation):
        # attaching and reactivating it here would hand it to this organisation.
        raise ValidationError({"email": [ACCOUNT_ELSEWHERE]})
    if user is None:
        user = _new_user(username=email, email=email)
        user.set_unusable_password()
    membership = _membership_add(
        actor=actor,
        organisation=organisation,
        user=user,
        role=role,
        company=company,
        verb="invited",
        label=email,
        data={"role": role, "email": email},
    )
    _send_invitation(membership, email=email, actor=actor, language=language)
    return membership


def _last_member_of(user: User, organisation: Organisation) -> bool:
    """Whether the user, now without a membership, last belonged to this organisation."""
    if user.is_staff or user.is_superuser:
        return False
    removal = (
        Activity.objects.filter(object_type="membership", verb="removed")
        .filter(object_label=user.username)
        .order_by("-at", "-id")
        .first()
    )
    return removal is not None and removal.organisation_id == organisation.pk


def _send_invitation(
    membership: Membership, *, email: str, actor: User, language: str | None
) -> None:
    """The invitation email, queued for the worker once the membership is committed."""
    from core.tasks import send_email_task

    user, company = membership.user, membership.company
    context = {
        "organisation": membership.organisation.name,
        "inviter": actor.display_name,
        "role": membership.role,
        "company": company.display_name if company else "",
        "link": invitation_link(user),
        "username": user.username,
        "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
    }
    mail_language = user.language or language or actor.email_language
    transaction.on_commit(
        lambda: send_email_task.delay("member_invite", [email], context, mail_language)
    )


def _admins_left(organisation: Organisation, *, excluding: Membership) -> int:
    return (
        Membership.objects.filter(organisation=organisation, role=Membership.Role.ADMIN)
        .exclude(pk=excluding.pk)
        .count()
    )


@transaction.atomic
def member_change_role(
    *, actor: User, membership: Membership, role: str, company: Company | None = None
) -> Membership:
    organisation = _lock_organisation(membership.organisation)
    membership = Membership.objects.select_related("user").get(pk=membership.pk)
    if role != Membership.Role.CLIENT:
        company = None
    _check_company(organisation, role, company)
    if (
        membership.role == Membership.Role.ADMIN
        and role != Membership.Role.ADMIN
        and _admins_left(organisation, excluding=membership) == 0
    ):
        raise Refused(LAST_ADMIN)
    previous = membership.role
    membership.role = role
    membership.company = company
    membership.save(update_fields=["role", "company"])
    activity_record(
        organisation=organisation,
        actor=actor,
        verb="role_changed",
        obj=membership,
        label=membership.user.username,
        company=company,
        data={"from": previous, "to": role},
    )
    return membership


@transaction.atomic
def member_remove(*, actor: User, membership: Membership) -> None:
    """End a membership. The user stays (their history names them) but can no longer sign in."""
    organisation = _lock_organisation(membership.organisation)
    membership = Membership.objects.select_related("user").get(pk=membership.pk)
    if (
        membership.role == Membership.Role.ADMIN
        and _admins_left(organisation, excluding=membership) == 0
    ):
        raise Refused(LAST_ADMIN)
    user = membership.user
    activity_record(
        organisation=organisation,
        actor=actor,
        verb="removed",
        obj=membership,
        label=user.username,
        company=membership.company,
        data={"role": membership.role, "username": user.username},
    )
    membership.delete()
    user.is_active = False
    user.save(update_fields=["is_active"])
