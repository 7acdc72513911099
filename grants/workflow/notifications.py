"""After a transition commits: tell the company's client users and the assignee.

Each recipient gets an in-app notification and an email (text and HTML), both in their own
language. Runs from `transaction.on_commit`; emails go through `core.tasks.send_email_task`.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Notification, User
from companies.models import Company, Membership
from core.money import format_money
from grants.models import Application, TransitionLog

logger = logging.getLogger("grantdesk.workflow")


def recipients_for(application: Application) -> list[User]:
    """The company's active client users and the assignee, each once."""
    users = list(
        User.objects.filter(
            is_active=True,
            membership__role=Membership.Role.CLIENT,
            membership__company_id=application.company_id,
        ).order_by("pk")
    )
    assignee = application.assignee
    if assignee is not None and assignee.is_active and all(u.pk != assignee.pk for u in users):
        users.append(assignee)
    return users


def transition_message(log: TransitionLog) -> tuple[str, str]:
    """(title, body) of the notification in the active language."""
    app = log.application
    params = {
        "reference": app.reference,
        "programme": app.programme.name,
        "company": _company_name(app.company),
    }
    data = log.data or {}
    if log.transition == "submit":
        title = _("%(reference)s was submitted") % params
        body = _("The application of %(company)s to %(programme)s was submitted.") % params
    elif log.transition == "request_supplement":
        title = _("%(reference)s: more documents are needed") % params
        deadline = app.supplement_deadline
        body = _("The reviewers asked for a supplement to %(programme)s by %(deadline)s.") % {
            **params,
            "deadline": timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M") if deadline else "",
        }
    elif log.transition == "approve":
        title = _("%(reference)s was approved") % params
        body = _("%(programme)s approved %(amount)s for %(company)s.") % {
            **params,
            "amount": format_money(app.approved_amount),
        }
    elif log.transition == "reject":
        title = _("%(reference)s was not approved") % params
        body = _("The application to %(programme)s was not approved.") % params
    else:  # disburse
        title = _("%(reference)s: payment received") % params
        body = _("%(amount)s was received on %(date)s for %(programme)s.") % {
            **params,
            "amount": format_money(data.get("amount")),
            "date": data.get("paid_on", ""),
        }
    if log.comment:
        body = f"{body}\n{_('Comment')}: {log.comment}"
    return title, body


def _company_name(company: Company) -> str:
    if (translation.get_language() or "").startswith("zh") and company.name_zh:
        return company.name_zh
    return company.display_name


def notify_transition(*, log_id: int) -> int:
    """Create the notifications and enqueue the emails for one transition; return how many."""
    log = (
        TransitionLog.objects.select_related(
            "application__programme", "application__company", "application__assignee", "actor"
        )
        .filter(pk=log_id)
        .first()
    )
    if log is None:
        return 0
    app = log.application
    path = reverse("grants:application_detail", kwargs={"pk": app.pk})
    recipients = recipients_for(app)
    client_ids = {
        m.user_id
        for m in Membership.objects.filter(role=Membership.Role.CLIENT, company_id=app.company_id)
    }
    notifications = []
    emails = []
    messages: dict[str, tuple[str, str]] = {}

    def render(code: str) -> tuple[str, str]:  # once per language, shared by every recipient
        if code not in messages:
            messages[code] = transition_message(log)
        return messages[code]

    for user in recipients:
        language = user.email_language
        notification = Notification.written(
            user=user,
            render=render,
            kind=Notification.Kind.TRANSITION,
            url=path,
        )
        notifications.append(notification)
        title, body = notification.title, notification.body
        with translation.override(language):
            state = str(app.client_label) if user.pk in client_ids else str(app.get_state_display())
        if user.email:
            context = {
                "title": title,
                "body": body,
                "state": state,
                "reference": app.reference,
                "name": user.display_name,
                "url": f"{settings.SITE_URL}{path}",
            }
            emails.append((user.email, context, language))
    Notification.objects.bulk_create(notifications)
    _enqueue_emails(emails)
    return len(notifications)


def _enqueue_emails(emails: list[tuple[str, dict[str, Any], str]]) -> None:
    """One `application_update` email task per (address, context, language)."""
    from core.tasks import send_email_task

    for address, context, language in emails:
        try:
            send_email_task.delay("application_update", [address], context, language)
        except Exception:  # the broker is down: the notification row is kept, log the email
            logger.exception("could not enqueue the transition email to %s", address)
