"""`demo_seed()`: the demo organisation, played through the real services.

Companies, projects and members go through `companies.services`; applications are created and
moved only by `grants.workflow` (so the transition log, disbursements, notifications and copies
of record are the real ones); documents go through `document_upload`, dossiers through
`dossier_request` and `dossier_generate`.

Idempotent: the organisation's name is the marker. When it exists nothing is changed and the
report says so. A demo user name already taken by someone else (a developer's own `admin`) is
left alone: that demo person becomes `demo-<name>`, and the printed logins say so. Everything
is written in one transaction, so a failed run leaves nothing behind but a few files in
MEDIA_ROOT, and the next run starts again cleanly.

The history is dated: the organisation, its people, companies and projects appear
`HISTORY_DAYS` before the seeding day, and each application's steps are played at moments
spread from its call's opening to an hour or more before the seeding moment (`_timeline`), on
a travelling clock, so every timestamp the services write (transition log, uploads, dossiers,
comments, notifications, disbursement dates) tells one consistent story. Calls and deadlines are
dated from the real seeding day.

Side effects while seeding (`quiet_side_effects`): Celery tasks run in-process (no broker or
worker is needed) and emails go to Django's in-memory backend, so seeding sends nothing; the
in-app notifications are kept. The demo calls are `is_demo=True`; the reminder sweep is left to
beat (it would also remind other organisations' users, and seeding must touch only the demo).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.base import ContentFile
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from companies import services as company_services
from companies.models import Company, Membership, Organisation, Project
from grants.catalogue.loader import catalogue_load
from grants.demo import data, plans
from grants.demo.files import DemoDocument, licence_png, render_pdfs
from grants.dossiers.services import dossier_generate, dossier_request
from grants.models import Application, Call, Document, Dossier, Programme
from grants.workflow import application_create, application_transition, comment_add, document_upload

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"
# Loggers that narrate each in-process task (two lines per email and dossier) while seeding.
CHATTY_LOGGERS = ("celery", "grantdesk.task", "kombu")


class DemoSeedError(Exception):
    """The demo cannot be seeded here (a user name is taken, a step was refused)."""


@dataclass(frozen=True)
class Login:
    username: str
    role: str
    company: str
    language: str  # a language code, or "browser": pages follow the browser's language


@dataclass
class DemoReport:
    created: bool
    organisation: str
    password: str
    url: str
    logins: list[Login] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    emails_held: int = 0
    seconds: float = 0.0
    seeded_on: dt.date | None = None


@contextlib.contextmanager
def quiet_side_effects() -> Iterator[list]:
    """Tasks run in-process and emails stay in memory; yields the list of emails held back.

    The task loggers are turned down meanwhile: their per-task lines would bury the logins.
    """
    from config.celery import app

    previous = app.conf.task_always_eager
    loggers = {name: logging.getLogger(name) for name in CHATTY_LOGGERS}
    levels = {name: logger.level for name, logger in loggers.items()}
    app.conf.task_always_eager = True
    for logger in loggers.values():
        logger.setLevel(logging.ERROR)
    try:
        with override_settings(EMAIL_BACKEND=LOCMEM):
            mail.outbox = []
            yield mail.outbox
    finally:
        app.conf.task_always_eager = previous
        for name, logger in loggers.items():
            logger.setLevel(levels[name])


def demo_counts(organisation: Organisation | None = None) -> dict[str, int]:
    """What the demo organisation holds (the second run's "nothing changed" is checked on it)."""
    org = organisation or Organisation.objects.filter(name=data.ORGANISATION).first()
    if org is None:
        return {}
    applications = Application.objects.filter(organisation=org)
    return {
        "members": Membership.objects.filter(organisation=org).count(),
        "companies": Company.objects.filter(organisation=org).count(),
        "projects": Project.objects.filter(company__organisation=org).count(),
        "applications": applications.count(),
        "documents": Document.objects.filter(application__in=applications).count(),
        "dossiers": Dossier.objects.filter(application__in=applications).count(),
        "demo calls": Call.objects.filter(is_demo=True).count(),
    }


def demo_logins() -> list[Login]:
    memberships = (
        Membership.objects.filter(organisation__name=data.ORGANISATION)
        .select_related("user", "company")
        .order_by("user_id")
    )
    return [
        Login(
            username=m.user.username,
            role=m.role,
            company=m.company.display_name if m.company else "",
            language=m.user.language or "browser",
        )
        for m in memberships
    ]


def demo_seed(*, password: str = data.PASSWORD) -> DemoReport:
    """Seed the demo organisation unless it exists; report the logins either way."""
    started = time.monotonic()
    _ensure_catalogue()
    organisation = Organisation.objects.filter(name=data.ORGANISATION).first()
    created = organisation is None
    emails: list = []
    if created:
        usernames = demo_usernames()
        with quiet_side_effects() as outbox, transaction.atomic():
            organisation = _Seeder(password, usernames).run()
        emails = outbox
    return DemoReport(
        created=created,
        organisation=data.ORGANISATION,
        password=password,
        url=f"{settings.SITE_URL}/",
        logins=demo_logins(),
        counts=demo_counts(organisation),
        emails_held=len(emails),
        seconds=time.monotonic() - started,
        seeded_on=timezone.localdate(organisation.created_at) + dt.timedelta(days=HISTORY_DAYS),
    )


def _ensure_catalogue() -> None:
    wanted = {spec.programme for spec in data.CALLS} | {a.programme for a in plans.APPLICATIONS}
    have = set(Programme.objects.filter(code__in=wanted).values_list("code", flat=True))
    if have != wanted:
        catalogue_load()


def demo_usernames() -> dict[str, str]:
    """The user name each demo person gets: theirs, or `demo-<theirs>` when it is taken (a
    developer's own `admin` superuser, say), so seeding never touches someone else's account."""
    wanted = [person.username for person in (*data.STAFF, *data.CLIENTS)]
    candidates = [*wanted, *(f"demo-{name}" for name in wanted)]
    taken = set(
        get_user_model().objects.filter(username__in=candidates).values_list("username", flat=True)
    )
    names = {}
    for name in wanted:
        free = next((c for c in (name, f"demo-{name}") if c not in taken), None)
        if free is None:
            raise DemoSeedError(
                f"The user names {name} and demo-{name} are both taken: seed the demo into a "
                "fresh database (make clean && make setup)."
            )
        names[name] = free
    return names


HISTORY_DAYS = 75  # the demo organisation was founded this many days before the seeding day


def _at(days: int, time_of_day: dt.time, today: dt.date | None = None) -> dt.datetime:
    day = (today or timezone.localdate()) + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, time_of_day))


@contextlib.contextmanager
def _clock(moment: dt.datetime) -> Iterator[None]:
    """Run the block as if at `moment` (the clock then ticks on from there)."""
    import time_machine

    with time_machine.travel(moment, tick=True):
        yield


def _timeline(
    start: dt.datetime, end: dt.datetime, steps: int, *, today: dt.date
) -> list[dt.datetime]:
    """`steps` moments from `start` to `end`, evenly spread, on whole minutes; those before
    `today` are moved into office hours (09:00 to 18:00 of the same day, in order)."""
    if steps == 1:
        return [_office_hours(end, today=today)]
    gap = (end - start) / (steps - 1)
    return [_office_hours(start + gap * i, today=today) for i in range(steps)]


def _office_hours(moment: dt.datetime, *, today: dt.date) -> dt.datetime:
    local = timezone.localtime(moment).replace(second=0, microsecond=0)
    if local.date() >= today:
        return local  # the seeding day: as it is (the seeding moment may be before 09:00)
    minutes = (local.hour * 60 + local.minute) * 9 * 60 // (24 * 60)
    return local.replace(hour=9 + minutes // 60, minute=minutes % 60)


class _Seeder:
    """Plays `grants.demo.data` through the services, in order."""

    def __init__(self, password: str, usernames: dict[str, str]):
        self.password = password
        self.usernames = usernames
        self.users: dict = {}
        self.companies: dict[str, Company] = {}
        self.projects: dict[str, Project] = {}
        self.programmes: dict[str, Programme] = {}
        self.calls: dict[str, Call] = {}
        self.files: dict[tuple[str, str, int], tuple[str, bytes]] = {}
        self.uploads: dict[str, list[list[tuple[str, int]]]] = {}

    def run(self) -> Organisation:
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)
        founded = _at(-HISTORY_DAYS, dt.time(9, 30), self.today)
        with _clock(founded):
            organisation = self._staff()
            self._companies(organisation)
            self._clients(organisation)
            self._projects()
        self._calls()
        self._documents()
        for index, spec in enumerate(plans.APPLICATIONS):
            self._application(spec, index)
        return organisation

    # --- people and companies -------------------------------------------------------------

    def _member(self, person: data.Person, company: Company | None = None) -> None:
        membership = company_services.member_create(
            actor=self.users.get("admin"),
            organisation_name=data.ORGANISATION,
            username=self.usernames[person.username],
            password=self.password,
            role=person.role,
            company_id=company.pk if company else None,
            email=person.email,
        )
        user = membership.user
        # Names and language are the person's own preferences (the settings page's fields).
        user.first_name, user.last_name, user.language = (
            person.first_name,
            person.last_name,
            person.language,
        )
        user.save(update_fields=["first_name", "last_name", "language"])
        self.users[person.username] = user

    def _staff(self) -> Organisation:
        for person in data.STAFF:
            self._member(person)
        return Organisation.objects.get(name=data.ORGANISATION)

    def _companies(self, organisation: Organisation) -> None:
        for spec in data.COMPANIES:
            self.companies[spec.key] = company_services.company_create(
                actor=self.users["consultant"],
                organisation=organisation,
                data=spec.data(),
                contacts=spec.contacts,
            )

    def _clients(self, organisation: Organisation) -> None:
        for person in data.CLIENTS:
            self._member(person, self.companies[person.company])

    def _projects(self) -> None:
        today = self.today
        for spec in data.PROJECTS:
            start = today - dt.timedelta(days=spec.started_days_ago)
            self.projects[spec.key] = company_services.project_save(
                actor=self.users["consultant"],
                company=self.companies[spec.company],
                data={
                    "title": spec.title,
                    "summary": spec.summary,
                    "areas": list(spec.areas),
                    "start_date": start,
                    "end_date": start + dt.timedelta(days=spec.runs_days),
                },
                costs=[cost.data() for cost in spec.costs],
            )

    def _calls(self) -> None:
        """The demo calls, dated from today. Catalogue data, so written as the admin would."""
        self.programmes = {
            p.code: p for p in Programme.objects.prefetch_related("document_slots").all()
        }
        for spec in data.CALLS:
            call, _created = Call.objects.update_or_create(
                programme=self.programmes[spec.programme],
                title=spec.title,
                is_demo=True,
                defaults={
                    "opens_at": _at(spec.opens_in_days, data.CALL_OPENS_AT, self.today),
                    "deadline": _at(spec.closes_in_days, data.CALL_CLOSES_AT, self.today),
                },
            )
            call.full_clean()
            self.calls[spec.programme] = call

    # --- documents --------------------------------------------------------------------------

    def _documents(self) -> None:
        """Work out every upload of every application, then make all the files at once."""
        documents: list[DemoDocument] = []
        for index, spec in enumerate(plans.APPLICATIONS):
            programme = self.programmes[spec.programme]
            slots = {slot.code: slot for slot in programme.document_slots.all()}
            required = [slot.code for slot in programme.document_slots.all() if slot.required]
            versions: dict[str, int] = {}
            steps = []
            # Each file is dated the day its upload step is played (the first moment is the
            # application's creation).
            for step, moment in zip(spec.steps, self._moments(spec, index)[1:], strict=True):
                if not isinstance(step, plans.Upload):
                    continue
                dated = timezone.localdate(moment)
                codes = (
                    [code for code in required if code not in versions]
                    if step.slots == "missing"
                    else list(step.slots)
                )
                batch = []
                for code in codes:
                    versions[code] = versions.get(code, 0) + 1
                    batch.append((code, versions[code]))
                    documents.append(self._document(spec, slots[code], versions[code], dated))
                steps.append(batch)
            self.uploads[spec.key] = steps
        pdfs = render_pdfs(documents)
        for doc in documents:
            content = licence_png(doc) if doc.is_image else pdfs[doc.key]
            self.files[doc.key] = (doc.filename, content)

    def _document(
        self, spec: plans.ApplicationSpec, slot, version: int, dated: dt.date
    ) -> DemoDocument:
        project = self.projects[spec.project]
        company = project.company
        programme = self.programmes[spec.programme]
        return DemoDocument(
            key=(spec.key, slot.code, version),
            slot_code=slot.code,
            slot_name_en=slot.name_en,
            slot_name_zh=slot.name_zh,
            version=version,
            company_name=company.name,
            company_name_zh=company.name_zh,
            uscc=company.uscc,
            project_title=project.title,
            programme_name_en=programme.name_en,
            programme_name_zh=programme.name_zh,
            dated=dated,
        )

    # --- applications -------------------------------------------------------------------------

    def _moments(self, spec: plans.ApplicationSpec, index: int) -> list[dt.datetime]:
        """When the application is created and each of its steps is played: from a few hours
        after its call opened (or a few days ago, for a call yet to open) to `index` + 1 hours
        before the seeding moment."""
        opened = self.calls[spec.programme].opens_at
        earliest = self.now - dt.timedelta(days=HISTORY_DAYS - 5)
        start = max(opened, earliest) + dt.timedelta(hours=3)
        if start >= self.now:
            start = self.now - dt.timedelta(days=4)
        end = self.now - dt.timedelta(hours=index + 1)
        return _timeline(start, end, len(spec.steps) + 1, today=self.today)

    def _application(self, spec: plans.ApplicationSpec, index: int = 0) -> Application:
        programme = self.programmes[spec.programme]
        moments = iter(self._moments(spec, index))
        with _clock(next(moments)):
            application = application_create(
                project=self.projects[spec.project],
                programme=programme,
                call=self.calls[spec.programme],
                requested_amount=spec.requested,
                actor=self.users[spec.by],
            )
        uploads = iter(self.uploads[spec.key])
        for step, moment in zip(spec.steps, moments, strict=True):
            with _clock(moment):
                application = self._play(application, step, spec, uploads)
        if application.state != spec.state:
            raise DemoSeedError(f"{spec.key} ended in {application.state}, not {spec.state}")
        return application

    def _play(self, application: Application, step: plans.Step, spec, uploads) -> Application:
        if isinstance(step, plans.Upload):
            for code, version in next(uploads):
                self._upload(application, code, version, step.by, spec.key)
        elif isinstance(step, plans.Move):
            application = self._move(application, step)
        elif isinstance(step, plans.MakeDossier):
            self._dossier(application, step.by)
        elif isinstance(step, plans.Say):
            comment_add(application=application, author=self.users[step.by], body=step.body)
        return application

    def _upload(self, application: Application, code: str, version: int, by: str, key: str):
        filename, content = self.files[(key, code, version)]
        document = document_upload(
            application=application,
            slot_code=code,
            file=ContentFile(content, name=filename),
            actor=self.users[by],
        )
        if document.version != version:
            raise DemoSeedError(f"{key}: {code} stored as v{document.version}, not v{version}")

    def _move(self, application: Application, step: plans.Move) -> Application:
        fields = {
            name: _at(value.days, data.CALL_CLOSES_AT, self.today)
            if isinstance(value, plans.InDays)
            else value
            for name, value in step.fields.items()
        }
        return application_transition(
            application=application,
            name=step.name,
            actor=self.users[step.by],
            comment=step.comment,
            **fields,
        )

    def _dossier(self, application: Application, by: str) -> None:
        """Generate synchronously: the task's body, run here (the queued copy finds it done)."""
        dossier = dossier_request(application=application, actor=self.users[by])
        status = dossier_generate(dossier_id=dossier.pk)
        if status != Dossier.Status.READY:
            dossier.refresh_from_db()
            raise DemoSeedError(f"{application.reference}: dossier {status}: {dossier.error}")


__all__ = [
    "DemoReport",
    "DemoSeedError",
    "Login",
    "demo_counts",
    "demo_logins",
    "demo_seed",
    "demo_usernames",
    "quiet_side_effects",
]
