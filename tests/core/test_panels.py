"""Cached home panels: per user and language, fresh after any change of tenant data."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.utils import translation

from core import panels
from tests.factories import CompanyFactory

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
