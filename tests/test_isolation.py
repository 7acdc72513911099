"""The isolation matrix: every URL of the project, asked for another tenant's objects.

The URL patterns are discovered from the resolver (pages, DRF routes, everything included in
`config.urls`), so a route added later is covered without editing this file. Each path
parameter is filled with an object of a *victim world* built below: a company of the first
organisation with its project, cost lines, contacts, client user, application, document,
dossier, comment, disbursement, reminder and notification. Then, for every route:

- attackers (a consultant and an admin of another organisation, and a client of another company
  of the same organisation) must get 404 on every object URL, whatever the method (405 is fine:
  the method is not offered), with at least one 404 per route;
- anonymous callers get 401/403 from the API and are sent to sign in by pages;
- the victim's own admin gets something other than 404 (so the ids in the matrix are right);
- routes without parameters (lists, dashboards, exports) never show the victim's data to an
  attacker, and nothing an attacker posts to them can attach to or change the victim's objects.

A parameter the mapping does not know FAILS the test, with the route named: extend
`PARAMETER_KINDS` or `COLLECTIONS` below (and `victim_world` when the object is new). Only the
routes in `NOT_IN_THE_MATRIX` are skipped, each with its reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import Notification
from companies.models import Activity, Company, Contact, CostLine, Membership, Project
from tests.factories import (
    ApplicationFactory,
    CallFactory,
    CompanyFactory,
    CostLineFactory,
    DocumentSlotFactory,
    MembershipFactory,
    ProgrammeFactory,
    ProjectFactory,
    UserFactory,
    make_uscc,
)

# --- the mapping --------------------------------------------------------------------------------

# Objects that belong to a tenant: another organisation's (or another client's) is a 404.
TENANT_KINDS = frozenset(
    {
        "company",
        "project",
        "costline",
        "contact",
        "membership",
        "application",
        "document",
        "dossier",
        "comment",
        "disbursement",
        "reminder",
        "transition",
        "notification",
    }
)
# The catalogue is shared by every organisation (api.md: "read: any user"): not isolated.
SHARED_KINDS = frozenset({"programme", "call", "policy", "area", "slot"})
# Parameters that name no object at all (a year, a state, a transition name, a format).
FIXED_VALUES = {
    "format": "json",
    "year": 2026,
    "month": 5,
    "state": "draft",
    "transition_name": "start",
    "slot_kind": "call",
    "name": "start",  # /applications/{pk}/transitions/{name}/: the object is {pk}
    "fmt": "csv",  # /reports/applications.{fmt}: an export of the caller's own organisation
}

# Parameter names that say what they hold.
PARAMETER_KINDS = {
    "company_pk": "company",
    "company_id": "company",
    "project_pk": "project",
    "project_id": "project",
    "cost_pk": "costline",
    "costline_pk": "costline",
    "contact_pk": "contact",
    "membership_pk": "membership",
    "member_pk": "membership",
    "application_pk": "application",
    "application_id": "application",
    "document_pk": "document",
    "document_id": "document",
    "dossier_pk": "dossier",
    "dossier_id": "dossier",
    "comment_pk": "comment",
    "disbursement_pk": "disbursement",
    "reminder_pk": "reminder",
    "transition_pk": "transition",
    "log_pk": "transition",
    "notification_pk": "notification",
    "programme_code": "programme",
    "programme_pk": "programme",
    "programme": "programme",
    "call_pk": "call",
    "call_id": "call",
    "policy_code": "policy",
    "area_code": "area",
    "slot_code": "slot",
    "slot_pk": "slot",
    "slot": "slot",
    **dict.fromkeys(FIXED_VALUES, "fixed"),
}
# Generic parameter names (`pk`, `id`, `code`...) take their kind from the path segment before
# them: /companies/<pk>/, /api/v1/applications/{pk}/history/, /programmes/<code>/.
GENERIC_PARAMETERS = frozenset({"pk", "id", "code", "slug", "object_id"})
COLLECTIONS = {
    "companies": "company",
    "company": "company",
    "projects": "project",
    "project": "project",
    "costs": "costline",
    "cost-lines": "costline",
    "contacts": "contact",
    "members": "membership",
    "memberships": "membership",
    "applications": "application",
    "application": "application",
    "documents": "document",
    "document": "document",
    "dossiers": "dossier",
    "dossier": "dossier",
    "comments": "comment",
    "disbursements": "disbursement",
    "reminders": "reminder",
    "history": "transition",
    "notifications": "notification",
    "programmes": "programme",
    "programme": "programme",
    "calls": "call",
    "policies": "policy",
    "areas": "area",
    "slots": "slot",
}

# Routes outside the matrix, and why. Keys are URL names, namespaces (`admin`) or path prefixes.
NOT_IN_THE_MATRIX = {
    # The Django admin: `is_staff` only, its own sign-in; members never get in
    # (tests/companies/test_admin.py). Its catch-all and object URLs are Django's own.
    "admin": "namespace",
    # Static files are served by whitenoise; a `static()` route would be public by design.
    "static/": "prefix",
    "media/": "prefix",
    # Set-password link: authenticated by its own token (uidb64 + token), no tenant object.
    "password_reset_confirm": "name",
    # The calendar feed: its secret token is the credential; an unknown token is a 404
    # (tested with the reminders).
    "calendar_feed": "name",
    # Switches the interface language: no data of anyone.
    "set_language": "name",
}
# Parameter-less routes not POSTed to: signing out would end the attacker's session mid-matrix.
NO_POST = frozenset({"logout"})
PAGE_METHODS = ("get", "post")
API_METHODS = ("get", "post", "put", "patch", "delete")


# --- discovery ------------------------------------------------------------------------------------


@dataclass
class Route:
    name: str | None
    namespace: str
    template: str  # "companies/{pk}/edit/": regex and converters replaced by {parameter}
    params: list[str] = field(default_factory=list)

    @property
    def is_api(self) -> bool:
        return self.template.startswith("api/")

    @property
    def label(self) -> str:
        return f"/{self.template} ({self.name or 'unnamed'})"


def _template(route: str) -> str:
    """A pattern's text with every parameter as {name}: '^a/(?P<pk>[^/.]+)/$' -> 'a/{pk}/'."""
    out: list[str] = []
    i = 0
    while i < len(route):
        if route.startswith("(?P<", i):
            name = route[i + 4 : route.index(">", i)]
            depth, j = 0, i
            while j < len(route):
                char = route[j]
                if char == "\\":
                    j += 2
                    continue
                if char == "[":
                    j = route.index("]", j + 1)
                elif char == "(":
                    depth += 1
                elif char == ")":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            out.append("{" + name + "}")
            i = j + 1
        elif match := re.match(r"<(?:\w+:)?(\w+)>", route[i:]):
            out.append("{" + match.group(1) + "}")
            i += len(match.group(0))
        elif route[i] in "^$?":
            i += 1
        elif route[i] == "\\":
            out.append(route[i + 1])
            i += 2
        else:
            out.append(route[i])
            i += 1
    return "".join(out)


def discover(patterns=None, prefix: str = "", namespace: str = "") -> list[Route]:
    """Every URL pattern of the project, recursively, with its full template and parameters."""
    patterns = get_resolver().url_patterns if patterns is None else patterns
    routes: list[Route] = []
    for pattern in patterns:
        text = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = ":".join(n for n in (namespace, pattern.namespace) if n)
            routes += discover(pattern.url_patterns, text, inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            template = _template(text)
            params = re.findall(r"{(\w+)}", template)
            routes.append(Route(name, namespace, template, params))
    return routes


def skipped(route: Route) -> bool:
    for key, kind in NOT_IN_THE_MATRIX.items():
        if kind == "namespace" and route.namespace.split(":")[0] == key:
            return True
        if kind == "prefix" and route.template.startswith(key):
            return True
        if kind == "name" and route.name is not None and route.name.split(":")[-1] == key:
            return True
    return False


def kind_of(route: Route, param: str) -> str | None:
    if param in PARAMETER_KINDS:
        return PARAMETER_KINDS[param]
    if param in GENERIC_PARAMETERS:
        before = route.template.split("{" + param + "}")[0].rstrip("/").split("/")
        segments = [s for s in before if s and "{" not in s]
        if segments:
            return COLLECTIONS.get(segments[-1])
    return None


def kinds(route: Route) -> set[str]:
    return {kind_of(route, p) for p in route.params} - {"fixed"}


def classify(routes: list[Route]) -> tuple[list[Route], list[Route], list[str]]:
    """(object routes, parameter-less routes, problems) of the routes in the matrix."""
    objects, plain, problems = [], [], []
    for route in routes:
        if skipped(route):
            continue
        unknown = [p for p in route.params if kind_of(route, p) is None]
        if unknown:
            problems.append(
                f"{route.label}: parameter(s) {', '.join(unknown)} not in the isolation matrix. "
                "Add the parameter name to PARAMETER_KINDS, or the path segment before it to "
                "COLLECTIONS, in tests/test_isolation.py (and the object to victim_world() if it "
                "is new), or, if the route is not tenant data, to NOT_IN_THE_MATRIX with a reason."
            )
        elif kinds(route) & (TENANT_KINDS | SHARED_KINDS):
            objects.append(route)
        else:
            plain.append(route)  # no parameter, or only fixed values (a year, a format)
    return objects, plain, problems


# --- the victim world and the people around it -------------------------------------------------


@dataclass
class World:
    objects: dict
    secrets: list[str]
    victim_admin: object
    victim_client: object
    attackers: dict


@pytest.fixture
def world(db, tmp_path, settings) -> World:
    from grants.models import (
        ApplicationComment,
        Disbursement,
        Document,
        Dossier,
        Reminder,
        TransitionLog,
    )

    settings.MEDIA_ROOT = str(tmp_path)
    org = MembershipFactory(
        user=UserFactory(username="victim_admin"), role=Membership.Role.ADMIN
    ).organisation
    company = CompanyFactory(
        organisation=org,
        name="Victim Lantern Ltd",
        name_zh="受害者灯笼有限公司",
        uscc=make_uscc(987_654),
    )
    victim_admin = org.memberships.get().user
    victim_client = MembershipFactory(
        user=UserFactory(username="victim_client", email="victim.client@example.com"),
        organisation=org,
        role=Membership.Role.CLIENT,
        company=company,
    ).user
    project = ProjectFactory(company=company, title="Victim Secret Project")
    cost = CostLineFactory(project=project, supplier="Victim Supplier Co")
    contact = Contact.objects.create(company=company, name="Victim Contact Person")
    programme = ProgrammeFactory(code="victim_programme")
    slot = DocumentSlotFactory(programme=programme, code="victim_slot")
    call = CallFactory(programme=programme)
    application = ApplicationFactory(
        project=project, programme=programme, call=call, reference="GD-2026-987654"
    )
    document = Document(
        application=application,
        slot=slot,
        version=1,
        filename="victim-secret.pdf",
        content_type="application/pdf",
        size=9,
        sha256="a" * 64,
        uploaded_by=victim_client,
    )
    document.file.save("x.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    document.save()
    dossier = Dossier(
        application=application,
        status=Dossier.Status.READY,
        sha256="b" * 64,
        pages=1,
        size=9,
        generated_at=timezone.now(),
    )
    dossier.save()
    dossier.file.save("d.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    log = TransitionLog.objects.create(
        application=application,
        transition="start",
        from_state="draft",
        to_state="preparing",
        actor=victim_admin,
        comment="victim transition comment",
    )
    comment = ApplicationComment.objects.create(
        application=application, author=victim_client, body="victim comment text"
    )
    disbursement = Disbursement.objects.create(
        application=application, amount=Decimal("1.00"), paid_on=timezone.localdate()
    )
    reminder = Reminder.objects.create(
        application=application,
        deadline_kind="call",
        deadline_at=call.deadline,
        offset_days=7,
        recipient=victim_client,
    )
    notification = Notification.objects.create(
        user=victim_client, kind="reminder", title="Victim notification title"
    )

    # Attackers: another organisation's consultant and admin; a client of another company of
    # the victim's own organisation.
    other = MembershipFactory(user=UserFactory(username="oscar_consultant"), role="consultant")
    other_admin = MembershipFactory(
        user=UserFactory(username="olivia_admin"), organisation=other.organisation, role="admin"
    )
    CompanyFactory(organisation=other.organisation, name="Attacker Own Ltd")
    neighbour = CompanyFactory(organisation=org, name="Neighbour Ltd")
    neighbour_client = MembershipFactory(
        user=UserFactory(username="nina_client"), organisation=org, role="client", company=neighbour
    )
    objects = {
        "company": company,
        "project": project,
        "costline": cost,
        "contact": contact,
        "membership": victim_client.membership,
        "application": application,
        "document": document,
        "dossier": dossier,
        "comment": comment,
        "disbursement": disbursement,
        "reminder": reminder,
        "transition": log,
        "notification": notification,
        "programme": programme,
        "call": call,
        "policy": programme.policy,
        "slot": slot,
        "area": None,  # filled below
    }
    from grants.models import PriorityArea

    objects["area"] = PriorityArea.objects.create(code="victim_area", group="vertical")
    secrets = [
        "Victim Lantern Ltd",
        "受害者灯笼有限公司",
        company.uscc,
        "Victim Secret Project",
        "Victim Supplier Co",
        "Victim Contact Person",
        "GD-2026-987654",
        "victim-secret.pdf",
        "victim comment text",
        "victim transition comment",
        "Victim notification title",
        "victim.client@example.com",
    ]
    return World(
        objects=objects,
        secrets=secrets,
        victim_admin=victim_admin,
        victim_client=victim_client,
        attackers={
            "outsider": other.user,
            "outsider_admin": other_admin.user,
            "other_client": neighbour_client.user,
        },
    )


def value_for(world: World, route: Route, param: str):
    kind = kind_of(route, param)
    if kind == "fixed":
        return FIXED_VALUES[param]
    obj = world.objects[kind]
    if param in ("code", "slug") or param.endswith("_code") or param in ("programme", "slot"):
        return obj.code
    return obj.pk


def url_for(world: World, route: Route) -> str:
    kwargs = {p: value_for(world, route, p) for p in route.params}
    if route.name:
        try:
            return reverse(route.name, kwargs=kwargs)
        except Exception:  # noqa: S110 - an unusual pattern: fall back to the template
            pass
    return "/" + route.template.format(**{k: str(v) for k, v in kwargs.items()})


class Caller:
    """Pages through a session, the API with a token: as an integrator would call it."""

    def __init__(self, user=None):
        self.user = user
        self.page = Client()
        self.api = APIClient()
        if user is not None:
            self.page.force_login(user)
            token, _ = Token.objects.get_or_create(user=user)
            self.api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    def request(self, route: Route, method: str, url: str, data: dict | None = None):
        if route.is_api:
            call = getattr(self.api, method)
            return call(url, data, format="json") if method != "get" else call(url)
        call = getattr(self.page, method)
        return call(url, data or {}) if method != "get" else call(url)


def payload(world: World) -> dict:
    """A body that names the victim's objects in every field a form or serializer might read."""
    o = world.objects
    return {
        "company": o["company"].pk,
        "project": o["project"].pk,
        "application": o["application"].pk,
        "programme": o["programme"].code,
        "call": o["call"].pk,
        "slot": o["slot"].code,
        "assignee": world.victim_client.username,
        "user": world.victim_client.pk,
        "membership": o["membership"].pk,
        "role": "client",
        "email": "intruder@example.com",
        "name": "Intruder Ltd",
        "title": "Intruder project",
        "uscc": make_uscc(5_555_555),
        "district": "pudong",
        "requested_amount": "1.00",
        "name_zh": "入侵者",
        "body": "intruder comment",
        "comment": "intruder comment",
        "transition": "withdraw",
    }


def snapshot(world: World) -> dict:
    """Everything of the victim's an attacker might change, attach to, or delete."""
    from grants.models import Application, ApplicationComment, Document, Dossier

    o = world.objects
    company = o["company"]
    return {
        "company": list(Company.objects.filter(pk=company.pk).values()),
        "projects": list(Project.objects.filter(company=company).values()),
        "costs": list(CostLine.objects.filter(project__company=company).values()),
        "contacts": list(Contact.objects.filter(company=company).values()),
        "members": list(
            Membership.objects.filter(organisation=company.organisation).values().order_by("id")
        ),
        "client_of": list(Membership.objects.filter(company=company).values_list("id", flat=True)),
        "applications": list(Application.objects.filter(company=company).values()),
        "documents": list(
            Document.objects.filter(application__company=company).values_list("id", flat=True)
        ),
        "dossiers": list(
            Dossier.objects.filter(application__company=company).values_list("id", "status")
        ),
        "comments": list(
            ApplicationComment.objects.filter(application__company=company).values_list("id")
        ),
        "notifications": list(Notification.objects.filter(user=world.victim_client).values()),
        "users": list(
            type(world.victim_client)
            .objects.filter(pk__in=[world.victim_client.pk, world.victim_admin.pk])
            .values("id", "is_active", "password", "email")
        ),
    }


# --- the tests ------------------------------------------------------------------------------------


def test_every_parameter_of_every_route_is_in_the_matrix():
    objects, plain, problems = classify(discover())
    assert not problems, "\n".join(problems)
    names = {r.name for r in objects}
    # The routes of this issue are found (the discovery itself works).
    assert {"companies:detail", "companies:project_edit", "companies:member_role"} <= names
    assert {"company-detail", "project-detail"} <= names
    assert "companies:list" in {r.name for r in plain}


def test_an_unknown_parameter_fails_the_matrix():
    from django.urls import path

    def view(request, widget_id):  # pragma: no cover - never called
        raise AssertionError

    routes = discover(
        [
            path("widgets/<int:widget_id>/", view, name="widget"),
            path("reports/<int:year>/", view, name="report"),
            path("applications/<int:pk>/<str:transition_name>/", view, name="act"),
        ]
    )
    objects, plain, problems = classify(routes)
    assert len(problems) == 1
    assert [r.name for r in plain] == ["report"] and [r.name for r in objects] == ["act"]
    assert "widget_id" in problems[0] and "PARAMETER_KINDS" in problems[0]
    unknown = discover([path("gadgets/<int:pk>/", view, name="gadget")])
    assert classify(unknown)[2], "a pk under an unknown collection must fail too"


def test_the_template_reader_handles_routes_and_regexes():
    assert _template("api/v1/^companies/(?P<pk>[^/.]+)/$") == "api/v1/companies/{pk}/"
    assert _template("^calendar/(?P<token>[\\w-]+)\\.ics$") == "calendar/{token}.ics"
    assert _template("x/(?P<a>(?:ab|cd)+)/<int:b>/") == "x/{a}/{b}/"


@pytest.mark.parametrize("attacker", ["outsider", "outsider_admin", "other_client"])
def test_object_urls_are_404_for_attackers(world, attacker):
    objects, _plain, problems = classify(discover())
    assert not problems, "\n".join(problems)
    caller = Caller(world.attackers[attacker])
    before = snapshot(world)
    failures = []
    for route in objects:
        if kinds(route) <= SHARED_KINDS:
            continue  # the shared catalogue: see test_shared_catalogue_urls_answer_everyone
        url = url_for(world, route)
        statuses = {}
        for method in API_METHODS if route.is_api else PAGE_METHODS:
            statuses[method] = caller.request(route, method, url, payload(world)).status_code
        wrong = {m: s for m, s in statuses.items() if s not in (404, 405)}
        if wrong or 404 not in statuses.values():
            failures.append(f"{route.label} {url}: {statuses}")
    assert not failures, f"{attacker} reached the victim's objects:\n" + "\n".join(failures)
    assert snapshot(world) == before, "an attacker changed the victim's data"


def test_object_urls_need_a_sign_in(world):
    objects, _plain, _problems = classify(discover())
    caller = Caller()
    failures = []
    for route in objects:
        url = url_for(world, route)
        for method in API_METHODS if route.is_api else PAGE_METHODS:
            response = caller.request(route, method, url, payload(world))
            if route.is_api:
                ok = response.status_code in (401, 403)
            else:
                ok = response.status_code == 302 and response["Location"].startswith(
                    "/accounts/login/"
                )
            if not ok:
                failures.append(f"{method.upper()} {route.label} {url}: {response.status_code}")
    assert not failures, "anonymous callers got through:\n" + "\n".join(failures)


def test_the_matrix_uses_ids_the_victims_own_people_can_open(world):
    """The control: were the ids wrong, every attacker would get 404 for the wrong reason."""
    objects, _plain, _problems = classify(discover())
    admin, client = Caller(world.victim_admin), Caller(world.victim_client)
    failures = []
    for route in objects:
        insider = client if "notification" in kinds(route) else admin
        response = insider.request(route, "get", url_for(world, route))
        if response.status_code == 404:
            failures.append(f"{route.label} {url_for(world, route)}")
    assert not failures, (
        "the victim's own people get 404 too, so the matrix proves nothing for:\n"
        + "\n".join(failures)
    )


def test_shared_catalogue_urls_answer_everyone(world):
    objects, _plain, _problems = classify(discover())
    caller = Caller(world.attackers["other_client"])
    for route in objects:
        if kinds(route) <= SHARED_KINDS:
            response = caller.request(route, "get", url_for(world, route))
            assert response.status_code < 500, route.label


@pytest.mark.parametrize("attacker", ["outsider", "outsider_admin", "other_client"])
def test_lists_never_show_the_victims_data(world, attacker):
    _objects, plain, _problems = classify(discover())
    caller = Caller(world.attackers[attacker])
    failures = []
    for route in plain:
        url = url_for(world, route)
        response = caller.request(route, "get", url)
        if response.status_code != 200 or response.streaming:
            continue
        body = response.content.decode(errors="replace")
        leaked = [s for s in world.secrets if s in body]
        if leaked:
            failures.append(f"{route.label}: {leaked}")
    assert not failures, f"{attacker} saw the victim's data:\n" + "\n".join(failures)


@pytest.mark.parametrize("attacker", ["outsider", "outsider_admin", "other_client"])
def test_posts_cannot_reach_the_victims_objects(world, attacker):
    _objects, plain, _problems = classify(discover())
    caller = Caller(world.attackers[attacker])
    before = snapshot(world)
    activities = Activity.objects.filter(organisation=world.objects["company"].organisation)
    count = activities.count()
    for route in plain:
        if route.name in NO_POST:
            continue
        caller.request(route, "post", url_for(world, route), payload(world))
    assert snapshot(world) == before, "an attacker's post changed or reached the victim's data"
    assert activities.count() == count
