"""Sending one recipient's reminder digest, exactly once.

`reminder_digest_send` runs in the `send_reminder_digest` task (late-acknowledged, retried on
SMTP failure). In ONE transaction it:

1. locks the digest's `claimed` ledger rows with SELECT … FOR UPDATE SKIP LOCKED: a second copy
   of the task (a redelivery while the first still runs) finds them locked, sends nothing and
   retries a minute later (`DigestBusy`), when it finds them sent;
2. cancels rows whose deadline no longer applies (application moved on or withdrawn, deadline
   moved or passed, recipient opted out or deactivated);
3. sends the email over SMTP;
4. marks the rows `sent` and adds the in-app notification, and commits.

If the SMTP send fails, the transaction rolls back: the rows stay `claimed` and the retry sends
them. If the worker dies before the mail server accepted the message (the kill test), the
database connection drops, the transaction rolls back and the locks go with it: the redelivered
task sends once. The one window left is between the server accepting the message and the commit
(milliseconds); a death exactly there sends that digest a second time on redelivery. We accept
that at-least-once sliver rather than at-most-once (mark first, then send), which would lose the
digest on any crash during the send. Every attempt carries the same Message-ID, so mail systems
that de-duplicate by Message-ID drop the rare repeat.

On SQLite (the embedded default) FOR UPDATE is a no-op, but its IMMEDIATE transactions take the
write lock at BEGIN, so two copies of the task run one after the other and the second finds the
rows sent.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Notification, User
from core.emails import send_email
from grants.models import Application, Document, DocumentSlot, Reminder
from grants.reminders.deadlines import application_link, days_left, deadline_of

Status = Reminder.Status
EMAIL_NAME = "reminder_digest"


class DigestBusy(Exception):
    """Another task holds the digest's rows right now (a redelivered copy): try again later.

    Not just "done": if that other task dies, its own message may already have been taken back
    by the broker (a visibility-timeout redelivery is this very copy), so this copy must stay
    alive until the rows are sent or cancelled.
    """


def days_left_label(days: int) -> str:
    if days <= 0:
        return _("due today")
    return ngettext("%(count)d day left", "%(count)d days left", days) % {"count": days}


def message_id(digest_key: str) -> str:
    """The same Message-ID on every attempt at one digest."""
    domain = urlsplit(settings.SITE_URL).hostname or "grantdesk.local"
    return f"<reminder.{digest_key.replace(':', '.')}@{domain}>"


def reminder_digest_send(*, digest_key: str, as_of: dt.datetime) -> bool:
    """Send the digest `digest_key` unless it went out already; True when an email was sent."""
    now = max(as_of, timezone.now())
    with transaction.atomic():
        # SKIP LOCKED: a redelivered copy of this task finds the rows held by the copy that is
        # sending them, takes none, and retries (DigestBusy) instead of sending twice. The
        # digest key is indexed: a digest's rows are found without scanning the ledger.
        rows = list(
            Reminder.objects.select_for_update(skip_locked=True)
            .filter(digest_key=digest_key, status=Status.CLAIMED)
            .order_by("pk")
        )
        if not rows:
            if Reminder.objects.filter(digest_key=digest_key, status=Status.CLAIMED).exists():
                raise DigestBusy(digest_key)
            return False
        recipient = User.objects.get(pk=rows[0].recipient_id)
        applications = Application.objects.select_related("call", "programme", "company").in_bulk(
            {row.application_id for row in rows}
        )
        due, gone = _still_due(rows, applications, recipient, now)
        if gone:
            Reminder.objects.filter(pk__in=[row.pk for row in gone]).update(status=Status.CANCELLED)
        if not due:
            return False
        language = recipient.email_language
        missing = _missing_slots(applications.values())
        with translation.override(language):
            items = digest_items(due, applications, now=now, missing=missing)
            context = _email_context(recipient, items)
        if recipient.email:
            send_email(
                EMAIL_NAME,
                to=[recipient.email],
                context=context,
                language=language,
                headers={"Message-ID": message_id(digest_key)},
            )
        sent_at = timezone.now()
        Reminder.objects.filter(pk__in=[row.pk for row in due]).update(
            status=Status.SENT, sent_at=sent_at
        )
        _notify(recipient, due, applications, missing, now=now, at=sent_at)
    return bool(recipient.email)


def _still_due(
    rows: list[Reminder], applications: dict[int, Application], recipient: User, now: dt.datetime
) -> tuple[list[Reminder], list[Reminder]]:
    """(due, gone): a row is gone when its deadline moved, passed or no longer applies, or the
    recipient no longer gets reminders."""
    due, gone = [], []
    for row in rows:
        deadline = deadline_of(applications[row.application_id])
        current = (
            deadline is not None
            and (deadline.kind, deadline.at) == (row.deadline_kind, row.deadline_at)
            and deadline.at >= now
            and recipient.is_active
            and recipient.reminder_emails
        )
        (due if current else gone).append(row)
    return due, gone


def digest_items(
    rows: list[Reminder],
    applications: dict[int, Application],
    *,
    now: dt.datetime,
    missing: dict[int, list[DocumentSlot]] | None = None,
) -> list[dict]:
    """Plain data for the templates, in the active language, soonest deadline first."""
    if missing is None:
        missing = _missing_slots(applications.values())
    items = []
    for row in rows:
        application = applications[row.application_id]
        company = application.company
        left = days_left(row.deadline_at, now)
        zh = (translation.get_language() or "").startswith("zh")
        items.append(
            {
                "application_id": application.pk,
                "reference": application.reference,
                "company": (company.name_zh if zh and company.name_zh else company.name),
                "programme": application.programme.name,
                "kind": Reminder.DeadlineKind(row.deadline_kind).label,
                "deadline": timezone.localtime(row.deadline_at).strftime("%Y-%m-%d %H:%M"),
                "deadline_at": row.deadline_at,
                "days_left": left,
                "days_left_label": days_left_label(left),
                "urgent": left <= 1,
                "missing_documents": [slot.name for slot in missing.get(application.pk, [])],
                "url": settings.SITE_URL + application_link(application.pk),
            }
        )
    items.sort(key=lambda item: (item["deadline_at"], item["reference"]))
    for item in items:
        del item["deadline_at"]
    return items


def _missing_slots(applications: Iterable[Application]) -> dict[int, list[DocumentSlot]]:
    """The required document slots without an upload, per application (two queries)."""
    applications = list(applications)
    slots = defaultdict(list)
    for slot in DocumentSlot.objects.filter(
        programme_id__in={a.programme_id for a in applications}, required=True
    ):
        slots[slot.programme_id].append(slot)
    uploaded = set(
        Document.objects.filter(application__in=applications).values_list(
            "application_id", "slot_id"
        )
    )
    return {
        application.pk: [
            slot
            for slot in slots[application.programme_id]
            if (application.pk, slot.pk) not in uploaded
        ]
        for application in applications
    }


def _email_context(recipient: User, items: list[dict]) -> dict:
    return {
        "recipient_name": recipient.display_name,
        "items": items,
        "count": len(items),
        "next_due": items[0]["days_left_label"],
        "settings_url": settings.SITE_URL + reverse("accounts:settings"),
    }


def _notify(
    recipient: User,
    due: list[Reminder],
    applications: dict[int, Application],
    missing: dict[int, list[DocumentSlot]],
    *,
    now: dt.datetime,
    at: dt.datetime,
) -> None:
    """The in-app copy of the digest, written in every site language."""

    def render(code: str) -> tuple[str, str]:
        items = digest_items(due, applications, now=now, missing=missing)
        title = ngettext(
            "Deadline reminder: %(count)d deadline (%(next)s)",
            "Deadline reminder: %(count)d deadlines (the next: %(next)s)",
            len(items),
        ) % {"count": len(items), "next": items[0]["days_left_label"]}
        body = "\n".join(
            f"{item['reference']} · {item['company']} · {item['programme']} · {item['kind']}: "
            f"{item['deadline']} ({item['days_left_label']})"
            for item in items
        )
        return title, body

    url = application_link(due[0].application_id) if len(due) == 1 else reverse("home")
    Notification.written(
        user=recipient, render=render, kind=Notification.Kind.REMINDER, url=url, created_at=at
    ).save()
