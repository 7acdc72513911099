"""Each user's private iCal feed of deadlines (`/calendar/<token>.ics`), built with icalendar.

One VEVENT per deadline the user can see (`Application.objects.visible_to`), in the user's
language, with an alarm one day before. The UID is stable for one deadline instant
(application, kind, instant): a moved deadline is a new event and the old one disappears.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event

from accounts.models import User
from grants.models import Reminder
from grants.reminders.deadlines import Deadline, application_link, deadlines_visible_to

# Past deadlines stay in the feed this long (calendar programs drop events that vanish).
KEEP_PAST = dt.timedelta(days=90)


def event_uid(deadline: Deadline) -> str:
    domain = urlsplit(settings.SITE_URL).hostname or "grantdesk.local"
    stamp = deadline.at.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"deadline-{deadline.application.pk}-{deadline.kind}-{stamp}@{domain}"


def calendar_for(user: User, *, now: dt.datetime | None = None) -> bytes:
    now = now or timezone.now()
    with translation.override(user.email_language):
        calendar = Calendar()
        calendar.add("prodid", "-//Grantdesk//Deadlines//EN")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("x-wr-calname", _("Grantdesk deadlines"))
        calendar.add("x-wr-timezone", settings.TIME_ZONE)
        for deadline in deadlines_visible_to(user, since=now - KEEP_PAST):
            calendar.add_component(_event(deadline, now))
        return calendar.to_ical()


def _event(deadline: Deadline, now: dt.datetime) -> Event:
    application = deadline.application
    kind = Reminder.DeadlineKind(deadline.kind).label
    url = settings.SITE_URL + application_link(application.pk)
    summary = f"{application.reference} · {application.programme.name}: {kind}"
    local = timezone.localtime(deadline.at).strftime("%Y-%m-%d %H:%M")
    description = "\n".join(
        [
            f"{application.reference} · {application.company.name} · {application.programme.name}",
            _("%(kind)s: %(deadline)s (Shanghai time)") % {"kind": kind, "deadline": local},
            url,
        ]
    )
    event = Event()
    event.add("uid", event_uid(deadline))
    event.add("dtstamp", now.astimezone(dt.UTC))
    event.add("dtstart", deadline.at.astimezone(dt.UTC))
    event.add("summary", summary)
    event.add("description", description)
    event.add("url", url)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", dt.timedelta(days=-1))
    alarm.add("description", _("Tomorrow: %(summary)s") % {"summary": summary})
    event.add_component(alarm)
    return event
