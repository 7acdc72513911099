"""The private calendar feed: /calendar/<token>.ics."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from icalendar import Calendar

from tests.grants.reminders.factories import application_with_deadline, shanghai

pytestmark = pytest.mark.django_db

NOW = shanghai(2026, 3, 1, 9, 0)


def feed_url(user) -> str:
    return reverse("calendar_feed", kwargs={"token": user.calendar_token})


def events(client, user) -> dict[str, object]:
    response = client.get(feed_url(user))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    return {str(event["summary"]).split(" ")[0]: event for event in calendar.walk("VEVENT")}


@pytest.fixture
def deadlines(cast):
    """One deadline for each company of the organisation and one elsewhere."""
    return {
        "mine": application_with_deadline(cast.company, shanghai(2026, 3, 20, 17, 0)),
        "supplement": application_with_deadline(
            cast.company, shanghai(2026, 4, 2, 12, 0), state="supplement_requested"
        ),
        "sibling": application_with_deadline(cast.other_company, shanghai(2026, 3, 25, 17, 0)),
        "foreign": application_with_deadline(cast.foreign_company, shanghai(2026, 3, 22, 17, 0)),
        "submitted": application_with_deadline(
            cast.company, shanghai(2026, 3, 28, 17, 0), state="submitted"
        ),
    }


@time_machine.travel(NOW, tick=False)
def test_a_consultant_sees_every_deadline_of_the_organisation(cast, client, deadlines):
    found = events(client, cast.consultant)
    assert set(found) == {
        deadlines["mine"].reference,
        deadlines["supplement"].reference,
        deadlines["sibling"].reference,
    }
    event = found[deadlines["mine"].reference]
    assert event.decoded("dtstart") == shanghai(2026, 3, 20, 17, 0)
    assert deadlines["mine"].programme.name in str(event["summary"])
    assert f"/applications/{deadlines['mine'].pk}/" in str(event["url"])
    alarm = event.subcomponents[0]
    assert alarm.name == "VALARM" and alarm.decoded("trigger") == -dt.timedelta(days=1)
    assert str(event["uid"]).startswith(f"deadline-{deadlines['mine'].pk}-call-20260320T090000Z@")


@time_machine.travel(NOW, tick=False)
def test_a_client_never_sees_another_companys_deadlines(cast, client, deadlines):
    assert set(events(client, cast.client_user)) == {
        deadlines["mine"].reference,
        deadlines["supplement"].reference,
    }
    assert set(events(client, cast.other_client)) == {deadlines["sibling"].reference}


@time_machine.travel(NOW, tick=False)
def test_an_outsider_sees_only_their_own_organisation(cast, client, deadlines):
    assert set(events(client, cast.outsider)) == {deadlines["foreign"].reference}


@time_machine.travel(NOW, tick=False)
def test_the_uid_is_stable_and_a_moved_deadline_is_a_new_event(cast, client, deadlines):
    reference = deadlines["mine"].reference
    first = str(events(client, cast.consultant)[reference]["uid"])
    assert str(events(client, cast.consultant)[reference]["uid"]) == first
    call = deadlines["mine"].call
    call.deadline += dt.timedelta(days=2)
    call.save()
    assert str(events(client, cast.consultant)[reference]["uid"]) != first


@time_machine.travel(NOW, tick=False)
def test_the_feed_is_in_the_users_language(cast, client, deadlines):
    cast.client_user.language = "zh-hans"
    cast.client_user.save()
    event = events(client, cast.client_user)[deadlines["supplement"].reference]
    assert "补正" in str(event["summary"]) or "补充" in str(event["summary"])


def test_an_unknown_token_is_a_404(client, cast):
    assert client.get("/calendar/not-a-token.ics").status_code == 404


def test_a_regenerated_token_invalidates_the_old_address(cast, client, login):
    old = feed_url(cast.consultant)
    assert client.get(old).status_code == 200
    response = login(cast.consultant).post(reverse("accounts:regenerate_calendar"))
    assert response.status_code == 302
    cast.consultant.refresh_from_db()
    assert client.get(old).status_code == 404
    assert client.get(feed_url(cast.consultant)).status_code == 200


def test_an_inactive_users_feed_is_a_404(cast, client):
    cast.consultant.is_active = False
    cast.consultant.save()
    assert client.get(feed_url(cast.consultant)).status_code == 404


def test_the_feed_needs_no_session_and_its_queries_do_not_grow(
    cast, client, django_assert_max_num_queries
):
    application_with_deadline(cast.company, shanghai(2026, 3, 20, 17, 0))
    with django_assert_max_num_queries(3):
        client.get(feed_url(cast.consultant))
    for day in range(20):
        application_with_deadline(cast.other_company, shanghai(2026, 4, 1 + day, 17, 0))
    with django_assert_max_num_queries(3):
        assert client.get(feed_url(cast.consultant)).status_code == 200
