"""Builders for reminder tests: applications with a deadline, in a given state."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from grants.models import Application
from tests.factories import ApplicationFactory, CallFactory, ProjectFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")


def shanghai(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SHANGHAI)


def application_with_deadline(
    company, deadline: dt.datetime, *, state: str = "preparing", assignee=None, programme=None
) -> Application:
    """An application whose call closes at `deadline` (or, in supplement_requested, whose
    supplement deadline is `deadline`)."""
    project = ProjectFactory(company=company)
    extra = {} if programme is None else {"programme": programme}
    if state == "supplement_requested":
        return ApplicationFactory(
            project=project,
            state=state,
            supplement_deadline=deadline,
            assignee=assignee,
            **extra,
        )
    call = CallFactory(
        deadline=deadline,
        opens_at=deadline - dt.timedelta(days=90),
        **({"programme": programme} if programme else {}),
    )
    return ApplicationFactory(
        project=project, call=call, programme=call.programme, state=state, assignee=assignee
    )


def set_state(application: Application, state: str) -> None:
    """Move the application without the workflow (its rules are tested elsewhere)."""
    Application.objects.filter(pk=application.pk).update(state=state)
