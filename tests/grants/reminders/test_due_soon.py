"""One meaning of "due soon" everywhere a page highlights a deadline: the deadline's date is at
most DUE_SOON_DAYS (7) calendar days after today, both dates in Asia/Shanghai."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.template.loader import render_to_string

from grants.models.applications import DUE_SOON_DAYS, deadline_highlight, due_soon_until
from grants.reminders.deadlines import deadline_of
from grants.views.dashboard import _clock
from tests.factories import ApplicationFactory, CallFactory, ProjectFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 3, 3, 10, 0, tzinfo=SHANGHAI)
# Seven Shanghai days ahead at 23:59 is still due soon (7 days 14 hours away in absolute time);
# eight days ahead just after midnight is not (7 days 14 hours away too, but on the 8th day).
LAST_SOON = dt.datetime(2026, 3, 10, 23, 59, tzinfo=SHANGHAI)
FIRST_LATER = dt.datetime(2026, 3, 11, 0, 1, tzinfo=SHANGHAI)
# Ten days ahead: the dashboard used to call this "soon" (two weeks), the list did not.
TEN_DAYS = dt.datetime(2026, 3, 13, 12, 0, tzinfo=SHANGHAI)
PASSED = dt.datetime(2026, 3, 3, 9, 59, tzinfo=SHANGHAI)
EXPECTED = {LAST_SOON: "soon", FIRST_LATER: "", TEN_DAYS: "", PASSED: "overdue"}


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def applications(cast, frozen):
    """One application in preparation per deadline of EXPECTED, titled by its deadline."""
    made = {}
    for deadline in EXPECTED:
        call = CallFactory(opens_at=NOW - dt.timedelta(days=30), deadline=deadline)
        project = ProjectFactory(company=cast.company, title=f"Project {deadline:%m-%d %H:%M}")
        made[deadline] = ApplicationFactory(
            project=project, programme=call.programme, call=call, state="preparing"
        )
    return made


def test_due_soon_is_seven_shanghai_calendar_days():
    assert DUE_SOON_DAYS == 7
    for deadline, expected in EXPECTED.items():
        assert deadline_highlight(deadline, NOW) == expected
    assert due_soon_until(NOW) == dt.datetime(2026, 3, 11, 0, 0, tzinfo=SHANGHAI)


def test_the_application_and_its_reminder_deadline_agree(applications):
    for deadline, application in applications.items():
        assert application.deadline_status == EXPECTED[deadline]
        assert deadline_of(application).status(NOW) == (EXPECTED[deadline] or "later")


def test_the_dashboard_deadline_highlights_the_same_deadlines(frozen):
    for deadline, expected in EXPECTED.items():
        html = render_to_string("grants/reports/_deadline.html", {"deadline": deadline, **_clock()})
        highlighted = re.search(r"deadline-(overdue|soon)", html)
        assert (highlighted.group(1) if highlighted else "") == expected, deadline


def test_the_application_list_highlights_the_same_deadlines(cast, applications, login):
    html = login(cast.consultant).get("/applications/?sort=deadline").content.decode()
    classes = {"soon": "table-warning", "overdue": "table-danger", "": ""}
    for deadline, application in applications.items():
        row = re.search(
            rf'<tr class="([^"]*)">\s*<td[^>]*>[^<]*<a[^>]*>{application.reference}<', html
        )
        assert row, application.reference
        assert row.group(1).strip() == classes[EXPECTED[deadline]], deadline


def test_the_upcoming_deadlines_panel_highlights_the_same_deadlines(cast, applications, login):
    html = login(cast.consultant).get("/").content.decode()
    panel = html[html.index('data-testid="upcoming-deadlines"') :]
    items = panel.split('<li class="list-group-item')[1:]
    for deadline, application in applications.items():
        (item,) = [i for i in items if f">{application.reference}</a>" in i]
        highlighted = re.search(r"deadline-(overdue|soon)", item)
        assert (highlighted.group(1) if highlighted else "") == EXPECTED[deadline], deadline
