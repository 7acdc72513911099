"""The home page's "upcoming deadlines" panel."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tests.grants.reminders.factories import application_with_deadline, shanghai

pytestmark = pytest.mark.django_db

NOW = shanghai(2026, 3, 1, 9, 0)


def panel_html(client) -> str:
    html = client.get(reverse("home")).content.decode()
    start = html.index('data-testid="upcoming-deadlines"')
    return html[start:]


@time_machine.travel(NOW, tick=False)
def test_it_lists_overdue_first_then_the_next_30_days_highlighted(cast, login):
    overdue = application_with_deadline(cast.company, shanghai(2026, 2, 27, 17, 0))
    soon = application_with_deadline(cast.company, shanghai(2026, 3, 4, 17, 0))
    later = application_with_deadline(cast.company, shanghai(2026, 3, 20, 17, 0))
    beyond = application_with_deadline(cast.company, shanghai(2026, 4, 5, 17, 0))
    html = panel_html(login(cast.consultant))
    assert html.index(overdue.reference) < html.index(soon.reference) < html.index(later.reference)
    assert beyond.reference not in html
    assert "deadline-overdue" in html and "deadline-soon" in html
    assert f'href="/applications/{soon.pk}/"' in html
    assert "2026-03-04 17:00" in html and "3 days left" in html


@time_machine.travel(NOW, tick=False)
def test_a_client_sees_only_its_companys_deadlines(cast, login):
    mine = application_with_deadline(cast.company, shanghai(2026, 3, 10, 17, 0))
    sibling = application_with_deadline(cast.other_company, shanghai(2026, 3, 10, 17, 0))
    html = panel_html(login(cast.client_user))
    assert mine.reference in html and sibling.reference not in html


@time_machine.travel(NOW, tick=False)
def test_an_outsider_sees_none_of_another_organisations_deadlines(cast, login):
    theirs = application_with_deadline(cast.company, shanghai(2026, 3, 10, 17, 0))
    html = panel_html(login(cast.outsider))
    assert theirs.reference not in html
    assert "No deadlines in the next 30 days" in html


@time_machine.travel(NOW, tick=False)
def test_the_panel_query_count_does_not_grow_with_deadlines(
    cast, rf, django_assert_max_num_queries
):
    from grants.views.reminders import upcoming_deadlines_panel

    request = rf.get("/")
    request.user = cast.consultant
    _ = cast.consultant.membership  # loaded once per request by the middleware
    application_with_deadline(cast.company, shanghai(2026, 3, 10, 17, 0))
    with django_assert_max_num_queries(4) as one:
        upcoming_deadlines_panel(request)
    for day in range(25):
        application_with_deadline(cast.other_company, NOW + dt.timedelta(days=day, hours=1))
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert "upcoming-deadlines" in upcoming_deadlines_panel(request)


@time_machine.travel(NOW, tick=False)
def test_it_shows_the_twelve_most_urgent_and_counts_the_rest(cast, login):
    apps = [
        application_with_deadline(cast.company, NOW + dt.timedelta(days=day, hours=2))
        for day in range(15)
    ]
    html = panel_html(login(cast.consultant))
    assert all(a.reference in html for a in apps[:12])
    assert apps[12].reference not in html
    assert "and 3 more" in html
