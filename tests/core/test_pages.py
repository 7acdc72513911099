"""The pages shell: sign-in required, both languages, errors, static files served by the app."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from tests.factories import PASSWORD


def test_every_page_needs_a_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/")


def test_sign_in_page_renders_in_english_and_chinese(client, db):
    assert "Sign in to Grantdesk" in client.get("/accounts/login/").content.decode()
    zh = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "登录" in zh
    assert 'lang="zh-CN"' in zh


def test_a_user_signs_in_and_sees_the_home_page(client, cast):
    response = client.post(
        "/accounts/login/",
        {"username": cast.consultant.username, "password": PASSWORD},
        follow=True,
    )
    assert response.status_code == 200
    assert response.request["PATH_INFO"] == "/"
    assert cast.consultant.display_name in response.content.decode()


def test_a_wrong_password_is_a_message_beside_the_form(client, cast):
    response = client.post(
        "/accounts/login/", {"username": cast.consultant.username, "password": "x"}
    )
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()


def test_switching_language_is_remembered_for_the_user(login, cast):
    client = login(cast.consultant)
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert response.status_code == 302
    cast.consultant.refresh_from_db()
    assert cast.consultant.language == "zh-hans"
    # A new session, another browser: the saved choice still applies.
    fresh = login(cast.consultant)
    assert "首页" in fresh.get("/").content.decode()


def test_password_reset_sends_a_working_link(client, cast):
    client.post("/accounts/password/reset/", {"email": cast.consultant.email})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    done = client.post(
        form.request["PATH_INFO"],
        {"new_password1": "a-new-long-passphrase-42", "new_password2": "a-new-long-passphrase-42"},
        follow=True,
    )
    assert done.status_code == 200
    assert Client().login(username=cast.consultant.username, password="a-new-long-passphrase-42")


def test_password_change(login, cast):
    client = login(cast.consultant)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-passphrase-7",
            "new_password2": "another-long-passphrase-7",
        },
    )
    assert response.status_code == 302
    cast.consultant.refresh_from_db()
    assert cast.consultant.check_password("another-long-passphrase-7")


@pytest.mark.parametrize(
    ("accept", "text"), [("en", "This page does not exist"), ("zh-CN", "此页面不存在")]
)
def test_the_404_page_is_in_the_users_language(login, cast, accept, text):
    client = login(cast.consultant)
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 404
    assert text in response.content.decode()


def test_the_500_page_is_in_the_users_language(rf, db):
    from django.utils import translation

    from core.views import server_error

    with translation.override("zh-hans"):
        request = rf.get("/")
        response = server_error(request)
    assert response.status_code == 500
    assert "出错" in response.content.decode()


def test_front_end_packages_are_served_by_the_app(client, db):
    for path in (
        "/static/vendor/htmx/htmx.min.js",
        "/static/vendor/bootstrap/css/bootstrap.min.css",
        "/static/vendor/bootstrap/js/bootstrap.bundle.min.js",
        "/static/vendor/bootstrap-icons/bootstrap-icons.min.css",
        "/static/js/app.js",
    ):
        response = client.get(path)
        assert response.status_code == 200, path


def test_pages_load_nothing_from_another_host(login, cast):
    html = login(cast.consultant).get("/").content.decode()
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert "<script>" not in html and "onclick=" not in html


def test_notifications_page_has_an_empty_state(login, cast):
    html = login(cast.consultant).get("/me/notifications/").content.decode()
    assert "No notifications yet" in html


def test_settings_page_saves_preferences(login, cast):
    client = login(cast.client_user)
    response = client.post(
        "/me/settings/",
        {"first_name": "Kai", "last_name": "Li", "email": "kai@example.com", "language": "zh-hans"},
    )
    assert response.status_code == 302
    cast.client_user.refresh_from_db()
    assert cast.client_user.language == "zh-hans"
    assert cast.client_user.reminder_emails is False  # unchecked box: opted out
