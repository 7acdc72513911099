"""Sign-in throttling, request and task logs with who and where, errors logged with tracebacks."""

from __future__ import annotations

import logging

import pytest
from django.urls import path

from tests.factories import PASSWORD


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3


def test_it_locks_out_after_repeated_failures_with_a_clear_message(client, cast, axes_on):
    for _ in range(3):
        client.post("/accounts/login/", {"username": cast.consultant.username, "password": "nope"})
    response = client.post(
        "/accounts/login/", {"username": cast.consultant.username, "password": PASSWORD}
    )
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many failed sign-in attempts" in html
    assert "15 minutes" in html


def test_the_lockout_message_is_in_chinese_too(client, cast, axes_on):
    for _ in range(4):
        response = client.post(
            "/accounts/login/",
            {"username": cast.consultant.username, "password": "nope"},
            HTTP_ACCEPT_LANGUAGE="zh-CN",
        )
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()


def test_other_users_are_not_locked_out(client, cast, axes_on):
    for _ in range(4):
        client.post("/accounts/login/", {"username": cast.consultant.username, "password": "x"})
    response = client.post(
        "/accounts/login/", {"username": cast.admin.username, "password": PASSWORD}
    )
    assert response.status_code == 302


def test_request_logs_carry_the_user_and_organisation(login, cast, caplog):
    with caplog.at_level(logging.INFO, logger="grantdesk.request"):
        login(cast.consultant).get("/")
    record = next(r for r in caplog.records if r.name == "grantdesk.request")
    assert record.path == "/"
    assert record.status == 200
    assert record.context["user"] == cast.consultant.username
    assert record.context["org"] == cast.org.pk


def test_api_token_requests_are_logged_with_their_user(api, cast, caplog):
    with caplog.at_level(logging.INFO, logger="grantdesk.request"):
        api(cast.client_user).get("/api/v1/me/")
    record = next(r for r in caplog.records if r.name == "grantdesk.request")
    assert record.context["user"] == cast.client_user.username


def _boom(request):
    raise RuntimeError("kaboom for the log")


def _urlpatterns():
    from config import urls

    return [path("boom/", _boom), *urls.urlpatterns]


urlpatterns = _urlpatterns()
handler500 = "core.views.server_error"


@pytest.mark.urls("tests.core.test_hardening")
def test_errors_are_logged_with_a_traceback_when_debug_is_off(login, cast, caplog, settings):
    settings.DEBUG = False
    client = login(cast.consultant)
    client.raise_request_exception = False
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/boom/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
    record = next(r for r in caplog.records if r.name == "django.request")
    assert record.exc_info and "kaboom for the log" in str(record.exc_info[1])


def test_json_logs_are_one_object_per_line_with_context():
    import json

    from core.logging import ContextFilter, JsonFormatter, bind, reset

    token = bind(user="carol", org=7, task="grants.x")
    try:
        record = logging.LogRecord("grantdesk.task", logging.ERROR, __file__, 1, "failed", (), None)
        ContextFilter().filter(record)
        line = JsonFormatter().format(record)
    finally:
        reset(token)
    payload = json.loads(line)
    assert payload["user"] == "carol" and payload["org"] == 7 and payload["task"] == "grants.x"


def test_task_logs_carry_the_task_name(caplog, settings):
    from core.tasks import ping

    settings.CELERY_TASK_ALWAYS_EAGER = True
    with caplog.at_level(logging.INFO, logger="grantdesk.task"):
        ping.apply(args=("x",))
    started = next(r for r in caplog.records if "started" in r.getMessage())
    assert started.context["task"] == "core.tasks.ping"
