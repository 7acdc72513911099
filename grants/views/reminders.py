"""Pages: reminders. The home page's "upcoming deadlines" panel and the private calendar feed."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.models import User
from companies.models import membership_of
from core import panels
from grants.reminders.calendar import calendar_for
from grants.reminders.deadlines import (
    application_link,
    count_deadlines_visible_to,
    upcoming_deadlines,
    upcoming_until,
)

PANEL_DAYS = 30
PANEL_LIMIT = 12


def upcoming_deadlines_panel(request, obj=None) -> str:
    """Home page: overdue deadlines first, then those of the next 30 days (Shanghai dates)."""
    user = request.user
    if membership_of(user) is None:
        return ""
    now = timezone.now()
    deadlines = upcoming_deadlines(user, now=now, days=PANEL_DAYS, limit=PANEL_LIMIT)
    total = count_deadlines_visible_to(user, until=upcoming_until(now, PANEL_DAYS))
    rows = [
        {
            "deadline": deadline,
            "url": application_link(deadline.application.pk),
            "status": deadline.status(now),
            "days_left": deadline.days_left(now),
            "overdue_days": -deadline.days_left(now),
        }
        for deadline in deadlines
    ]
    return render_to_string(
        "grants/reminders/upcoming_panel.html",
        {"rows": rows, "more": total - len(deadlines), "days": PANEL_DAYS},
        request=request,
    )


@login_not_required
@require_GET
def calendar_feed(request, token: str):
    """`GET /calendar/<token>.ics`: the token is the credential; an unknown one is a 404."""
    user = User.objects.filter(calendar_token=token, is_active=True).first()
    if user is None or membership_of(user) is None:
        raise Http404
    response = HttpResponse(calendar_for(user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="grantdesk-deadlines.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response


def register_panels() -> None:
    """Add this area's sections to other pages (core.panels); called once at start-up."""
    panels.add("home", upcoming_deadlines_panel, order=10, cached=True)
