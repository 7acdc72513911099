"""Transitions that matter to the client send an email (text + HTML) and a notification to the
company's client users and the assignee, each in their own language, after the commit."""

from __future__ import annotations

import pytest
from django.core import mail

from accounts.models import Notification
from grants.workflow import application_transition
from tests.grants.workflow.conftest import prepare


@pytest.mark.parametrize(
    ("name", "source"),
    [
        ("submit", "ready"),
        ("request_supplement", "under_review"),
        ("approve", "under_review"),
        ("reject", "submitted"),
        ("disburse", "approved"),
    ],
)
def test_it_notifies_clients_and_the_assignee_on_commit(
    cast, make_app, django_capture_on_commit_callbacks, name, source
):
    cast.client_user.language = "zh-hans"
    cast.client_user.save()
    application = make_app(source)
    fields = prepare(application, name)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        application_transition(application=application, name=name, actor=cast.admin, **fields)
    assert mail.outbox == [] and not Notification.objects.exists()  # nothing before the commit
    for callback in callbacks:
        callback()
    assert {m.to[0] for m in mail.outbox} == {cast.client_user.email, cast.consultant.email}
    for message in mail.outbox:
        assert message.alternatives[0][1] == "text/html"
        assert application.reference in message.subject
    chinese = next(m for m in mail.outbox if m.to == [cast.client_user.email])
    english = next(m for m in mail.outbox if m.to == [cast.consultant.email])
    assert "您好" in chinese.body and "Hello" in english.body
    assert f"/applications/{application.pk}/" in chinese.body
    notes = {n.user_id: n for n in Notification.objects.all()}
    assert set(notes) == {cast.client_user.pk, cast.consultant.pk}
    assert notes[cast.client_user.pk].url == f"/applications/{application.pk}/"
    assert notes[cast.client_user.pk].title != notes[cast.consultant.pk].title  # two languages


def test_the_client_email_shows_the_client_label(
    cast, make_app, django_capture_on_commit_callbacks
):
    cast.client_user.language = "zh-hans"
    cast.client_user.save()
    application = make_app("under_review")
    with django_capture_on_commit_callbacks(execute=True):
        application_transition(
            application=application, name="approve", actor=cast.admin, approved_amount="100"
        )
    chinese = next(m for m in mail.outbox if m.to == [cast.client_user.email])
    assert "状态: 已获批" in chinese.body  # the client's word, not the internal state
    assert chinese.subject == f"[Grantdesk] {application.reference} 已获批准"
    assert "陆家嘴视觉科技有限公司核定扶持资金 ¥100.00" in chinese.body


@pytest.mark.parametrize("name", ["start", "withdraw"])
def test_internal_steps_notify_nobody(cast, make_app, django_capture_on_commit_callbacks, name):
    application = make_app("draft")
    with django_capture_on_commit_callbacks(execute=True):
        application_transition(
            application=application, name=name, actor=cast.consultant, comment="x"
        )
    assert mail.outbox == [] and not Notification.objects.exists()


def test_nothing_is_sent_when_the_transition_is_refused(
    cast, make_app, django_capture_on_commit_callbacks
):
    from core.api import RuleRefused

    application = make_app("under_review")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuleRefused):
        application_transition(application=application, name="approve", actor=cast.admin)
    assert mail.outbox == [] and not Notification.objects.exists()


def test_the_assignee_is_told_once_even_when_acting(
    cast, make_app, django_capture_on_commit_callbacks
):
    application = make_app("submitted")
    with django_capture_on_commit_callbacks(execute=True):
        application_transition(
            application=application, name="reject", actor=cast.consultant, comment="Too late"
        )
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [cast.client_user.email, cast.consultant.email]
    )
    assert "Too late" in mail.outbox[0].body


def test_the_notification_list_follows_the_user_s_current_language(
    cast, make_app, django_capture_on_commit_callbacks, login
):
    application = make_app("under_review")
    with django_capture_on_commit_callbacks(execute=True):
        application_transition(
            application=application, name="approve", actor=cast.admin, approved_amount="100"
        )
    note = Notification.objects.get(user=cast.client_user)
    assert note.title == f"{application.reference} was approved"  # the language at sending
    client = login(cast.client_user)
    assert note.title in client.get("/me/notifications/").content.decode()

    cast.client_user.language = "zh-hans"
    cast.client_user.save(update_fields=["language"])
    html = login(cast.client_user).get("/me/notifications/").content.decode()
    assert note.texts["zh-hans"]["title"] in html and note.title not in html
    assert application.reference in note.texts["zh-hans"]["title"]
    assert note.texts["zh-hans"]["title"] != note.title
