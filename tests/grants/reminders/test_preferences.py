"""Reminder preferences on the settings page: opt-out, language, the calendar address."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from grants.models import Reminder
from tests.grants.reminders.factories import application_with_deadline, shanghai

pytestmark = pytest.mark.django_db

DEADLINE = shanghai(2026, 3, 31, 17, 0)


def save_settings(client, user, **changes):
    data = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "language": user.language,
        **({"reminder_emails": "on"} if user.reminder_emails else {}),
    }
    data.update(changes)
    data = {key: value for key, value in data.items() if value is not None}
    return client.post(reverse("accounts:settings"), data)


def test_the_settings_page_shows_the_calendar_address_and_preferences(cast, login):
    html = login(cast.client_user).get(reverse("accounts:settings")).content.decode()
    assert f"/calendar/{cast.client_user.calendar_token}.ics" in html
    assert 'name="reminder_emails"' in html and 'name="language"' in html


def test_the_api_names_the_calendar_address(cast, api):
    body = api(cast.client_user).get("/api/v1/me/").json()
    assert body["calendar_url"].endswith(f"/calendar/{cast.client_user.calendar_token}.ics")


def test_turning_reminders_off_stops_them_and_on_again_resumes(cast, login, sweep_at, outbox):
    client = login(cast.client_user)
    response = save_settings(client, cast.client_user, reminder_emails=None)
    assert response.status_code == 302
    cast.client_user.refresh_from_db()
    assert cast.client_user.reminder_emails is False
    application_with_deadline(cast.company, DEADLINE, assignee=cast.consultant)
    sweep_at(DEADLINE - dt.timedelta(days=5))
    assert [m.to for m in outbox] == [["carol_consultant@example.com"]]

    save_settings(client, cast.client_user, reminder_emails="on")
    sweep_at(DEADLINE - dt.timedelta(days=2))
    assert ["kai_client@example.com"] in [m.to for m in outbox]
    assert Reminder.objects.filter(recipient=cast.client_user, status="sent").count() == 1


def test_the_language_chosen_in_settings_is_the_language_of_the_emails(
    cast, login, sweep_at, outbox
):
    save_settings(login(cast.client_user), cast.client_user, language="zh-hans")
    application_with_deadline(cast.company, DEADLINE, assignee=cast.consultant)
    sweep_at(DEADLINE - dt.timedelta(days=5))
    chinese = next(m for m in outbox if m.to == ["kai_client@example.com"])
    assert "截止" in chinese.subject
    assert 'lang="zh-CN"' in chinese.alternatives[0][0]


def test_an_unknown_language_is_a_field_error(cast, login):
    response = save_settings(login(cast.client_user), cast.client_user, language="klingon")
    assert response.status_code == 200
    assert "klingon" in response.content.decode()
    cast.client_user.refresh_from_db()
    assert cast.client_user.language == ""
