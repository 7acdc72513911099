"""Cached home panels: per user and language, fresh after any change of tenant data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import RequestFactory
from django.utils import timezone, translation

from core import panels
from tests.factories import (
    ApplicationFactory,
    CallFactory,
    CompanyFactory,
    ProgrammeFactory,
    ProjectFactory,
)

calls: list[str] = []


def counting_panel(request, obj=None) -> str:
    calls.append(request.user.username)
    return f"<p>{len(calls)} {translation.get_language()}</p>"


@pytest.fixture
def registered():
    calls.clear()
    panels.add("home", counting_panel, order=999, cached=True)
    yield
    panels.remove("home", counting_panel)


def render_for(user, language="en"):
    request = RequestFactory().get("/")
    request.user = user
    with translation.override(language):
        return [html for html in panels.render("home", request) if "<p>" in html]


def test_a_cached_panel_renders_once_per_user_and_language(cast, registered):
    assert render_for(cast.consultant) == ["<p>1 en</p>"]
    assert render_for(cast.consultant) == ["<p>1 en</p>"]
    assert render_for(cast.admin) == ["<p>2 en</p>"]
    assert render_for(cast.consultant, "zh-hans") == ["<p>3 zh-hans</p>"]
    assert calls == ["carol_consultant", "alice_admin", "carol_consultant"]


def test_any_change_of_tenant_data_shows_on_the_next_render(cast, registered):
    render_for(cast.consultant)
    CompanyFactory(organisation=cast.org)
    assert render_for(cast.consultant) == ["<p>2 en</p>"]


def test_uncached_panels_always_render(cast):
    seen = []

    def live(request, obj=None):
        seen.append(1)
        return "<p>live</p>"

    panels.add("home", live, order=998)
    try:
        render_for(cast.consultant)
        render_for(cast.consultant)
    finally:
        panels.remove("home", live)
    assert len(seen) == 2


# --- the whole home page, cached per user -------------------------------------------------------


def test_the_home_page_is_served_from_the_cache_until_data_changes(
    cast, login, django_assert_max_num_queries
):
    client = login(cast.consultant)
    client.get("/")  # sets the CSRF cookie the cache key needs
    first = client.get("/")
    with django_assert_max_num_queries(4):  # session user, unread count, cache: no figures
        again = client.get("/")
    assert again.content == first.content
    assert b"GD-2026-777777" not in again.content
    programme = ProgrammeFactory()
    call = CallFactory(programme=programme, deadline=timezone.now() + dt.timedelta(days=5))
    project = ProjectFactory(company=cast.company)
    ApplicationFactory(project=project, programme=programme, call=call, reference="GD-2026-777777")
    assert b"GD-2026-777777" in client.get("/").content  # the upcoming deadlines show it


def test_a_cached_home_page_keeps_working_forms(cast, login):
    import re

    client = login(cast.consultant)
    client.get("/")
    html = client.get("/").content.decode()  # from the cache
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    client.handler.enforce_csrf_checks = True
    response = client.post(
        "/i18n/setlang/", {"language": "zh-hans", "next": "/", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


def test_flash_messages_are_never_lost_to_the_cache(cast, login):
    client = login(cast.consultant)
    client.get("/")
    client.get("/")  # cached
    client.post(
        "/me/settings/",
        {
            "first_name": "Carol",
            "last_name": "Chen",
            "email": "carol@example.com",
            "language": "en",
            "reminder_emails": "on",
        },
    )
    html = client.get("/").content.decode()
    assert "Your settings are saved." in html
    assert "Carol Chen" in html


def test_each_user_and_language_has_its_own_page(cast, login):
    consultant, admin = login(cast.consultant), login(cast.admin)
    consultant.get("/")
    assert cast.admin.display_name in admin.get("/").content.decode()
    assert "欢迎" in consultant.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
