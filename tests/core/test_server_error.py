"""The 500 page renders even when what broke is the database (no context processors, no ORM)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.urls import path

from tests.conftest import BASE_DIR


def _boom(request):
    raise RuntimeError("kaboom")


def _urlpatterns():
    from config import urls

    return [path("boom/", _boom), *urls.urlpatterns]


urlpatterns = _urlpatterns()
handler500 = "core.views.server_error"


def _broken_context(request):
    from django.db import OperationalError

    raise OperationalError("the database went away")


@pytest.mark.urls("tests.core.test_server_error")
def test_it_renders_the_500_page_when_the_context_processors_would_fail(
    login, cast, settings, monkeypatch
):
    settings.DEBUG = False
    monkeypatch.setattr("core.context_processors.navigation_for", _broken_context)
    client = login(cast.consultant)
    client.raise_request_exception = False
    response = client.get("/boom/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 500
    assert "出错" in response.content.decode()


def test_it_renders_the_500_page_without_touching_the_database(rf, db, django_assert_num_queries):
    from django.utils import translation

    from core.views import server_error

    request = rf.get("/")
    with translation.override("en"), django_assert_num_queries(0):
        response = server_error(request)
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_it_renders_the_500_page_in_the_active_language_when_the_database_is_down():
    """A real app process whose database does not answer; the session lookup fails first."""
    script = (
        "import django; django.setup(); from django.test import Client; "
        "c = Client(raise_request_exception=False); c.cookies['sessionid'] = 'x' * 32; "
        "r = c.get('/companies/', HTTP_HOST='localhost', HTTP_ACCEPT_LANGUAGE='zh-hans'); "
        "print(r.status_code); print(r.content.decode())"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:9/unreachable",
        "CONN_MAX_AGE": "0",
    }
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    status, _sep, body = out.stdout.strip().partition("\n")
    assert status == "500", out.stderr[-3000:]
    assert "出错" in body and 'lang="zh-CN"' in body
