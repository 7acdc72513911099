"""The members page: invitations by email, role changes, removal, never the last admin."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from companies import services
from companies.models import Activity, Membership
from tests.factories import CompanyFactory

User = get_user_model()
MEMBERS = reverse("companies:members")


def role_url(membership):
    return reverse("companies:member_role", kwargs={"pk": membership.pk})


def remove_url(membership):
    return reverse("companies:member_remove", kwargs={"pk": membership.pk})


@pytest.fixture(autouse=True)
def eager_tasks(settings):
    """Run `send_email_task` in-process so the locmem outbox sees it (the worker test is below)."""
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def invite(client, captured, **data):
    with captured(execute=True):
        return client.post(MEMBERS, data)


def test_only_organisation_admins_see_the_members_page(login, cast):
    assert login(cast.admin).get(MEMBERS).status_code == 200
    for user in (cast.consultant, cast.client_user, cast.outsider):
        assert login(user).get(MEMBERS).status_code == 404


def test_the_page_lists_this_organisations_members_only(login, cast):
    html = login(cast.admin).get(MEMBERS).content.decode()
    assert cast.consultant.username in html and cast.client_user.username in html
    assert cast.outsider.username not in html


def test_the_members_link_shows_in_the_menu_for_admins_only(login, cast):
    assert MEMBERS in login(cast.admin).get("/").content.decode()
    assert MEMBERS not in login(cast.consultant).get("/").content.decode()


def test_an_admin_invites_a_consultant_who_sets_a_password(
    login, cast, django_capture_on_commit_callbacks
):
    response = invite(
        login(cast.admin),
        django_capture_on_commit_callbacks,
        email="New.Person@Example.com",
        role="consultant",
    )
    assert response.status_code == 302
    user = User.objects.get(username="new.person@example.com")
    assert user.email == "new.person@example.com" and not user.has_usable_password()
    assert user.membership.organisation == cast.org and user.membership.role == "consultant"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.person@example.com"]
    assert "Bund Grants Consulting" in message.subject
    html = message.alternatives[0][0]
    assert "Choose your password" in html
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", message.body).group(1)
    assert link in html

    anonymous = Client()
    form = anonymous.get(link, follow=True)
    assert form.status_code == 200 and form.context["validlink"]
    anonymous.post(
        form.request["PATH_INFO"],
        {"new_password1": "a-long-new-passphrase-1", "new_password2": "a-long-new-passphrase-1"},
    )
    assert Client().login(username="new.person@example.com", password="a-long-new-passphrase-1")
    activity = Activity.objects.get(verb="invited")
    assert activity.actor == cast.admin and activity.object_label == "new.person@example.com"


def test_the_link_expires_after_the_reset_timeout(login, cast, django_capture_on_commit_callbacks):
    import time_machine
    from django.conf import settings

    with time_machine.travel("2026-05-01 09:00 +0800", tick=False):
        invite(
            login(cast.admin),
            django_capture_on_commit_callbacks,
            email="late@example.com",
            role="consultant",
        )
    link = re.search(r"(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    days = settings.PASSWORD_RESET_TIMEOUT // 86400
    with time_machine.travel(f"2026-05-{1 + days + 1:02d} 09:00 +0800", tick=False):
        assert not Client().get(link, follow=True).context["validlink"]


def test_the_invitation_is_in_the_inviters_language(
    login, cast, django_capture_on_commit_callbacks
):
    cast.admin.language = "zh-hans"
    cast.admin.save()
    invite(
        login(cast.admin),
        django_capture_on_commit_callbacks,
        email="li@example.com",
        role="client",
        company=cast.company.pk,
    )
    message = mail.outbox[0]
    assert "邀请" in message.subject
    assert "陆家嘴视觉科技有限公司" in message.body and "客户" in message.body
    assert User.objects.get(username="li@example.com").membership.company == cast.company


def test_a_client_needs_a_company_of_the_organisation(login, cast):
    client = login(cast.admin)
    response = client.post(MEMBERS, {"email": "c@example.com", "role": "client"})
    assert "needs a company" in response.context["form"].errors["company"][0]
    response = client.post(
        MEMBERS, {"email": "c@example.com", "role": "client", "company": cast.foreign_company.pk}
    )
    assert "company" in response.context["form"].errors
    assert not User.objects.filter(username="c@example.com").exists()


def test_company_choices_are_the_organisations_companies(login, cast):
    form = login(cast.admin).get(MEMBERS).context["form"]
    assert set(form.fields["company"].queryset) == {cast.company, cast.other_company}


def test_an_existing_member_cannot_be_invited_again(login, cast):
    response = login(cast.admin).post(
        MEMBERS, {"email": cast.outsider.email.upper(), "role": "consultant"}
    )
    assert response.status_code == 200
    assert "already has a Grantdesk account" in response.context["form"].errors["email"][0]
    assert len(mail.outbox) == 0


def test_a_bad_email_is_a_field_error(login, cast):
    response = login(cast.admin).post(MEMBERS, {"email": "not an email", "role": "consultant"})
    assert "email" in response.context["form"].errors


def test_an_admin_changes_a_role(login, cast):
    membership = cast.consultant.membership
    response = login(cast.admin).post(role_url(membership), {"role": "admin"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == "admin"
    activity = Activity.objects.get(verb="role_changed")
    assert activity.data == {"from": "consultant", "to": "admin"}


def test_making_someone_a_client_needs_a_company(login, cast):
    membership = cast.consultant.membership
    response = login(cast.admin).post(role_url(membership), {"role": "client"}, follow=True)
    membership.refresh_from_db()
    assert membership.role == "consultant"
    assert "needs a company" in response.content.decode()
    login(cast.admin).post(role_url(membership), {"role": "client", "company": cast.company.pk})
    membership.refresh_from_db()
    assert membership.role == "client" and membership.company == cast.company


def test_the_last_admin_is_never_demoted_or_removed(login, cast):
    client = login(cast.admin)
    membership = cast.admin.membership
    response = client.post(role_url(membership), {"role": "consultant"}, follow=True)
    assert "at least one administrator" in response.content.decode()
    response = client.post(remove_url(membership), follow=True)
    assert "at least one administrator" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == "admin"


def test_an_admin_may_step_down_when_another_admin_remains(login, cast):
    services.member_change_role(
        actor=cast.admin, membership=cast.consultant.membership, role="admin"
    )
    response = login(cast.admin).post(role_url(cast.admin.membership), {"role": "consultant"})
    assert response["Location"] == "/"
    cast.admin.membership.refresh_from_db()
    assert cast.admin.membership.role == "consultant"


def test_removing_a_member_ends_the_membership_and_the_sign_in(login, cast):
    response = login(cast.admin).post(remove_url(cast.client_user.membership))
    assert response.status_code == 302
    assert not Membership.objects.filter(user=cast.client_user).exists()
    cast.client_user.refresh_from_db()
    assert not cast.client_user.is_active
    assert Activity.objects.filter(verb="removed", object_label=cast.client_user.username).exists()


def test_a_removed_person_can_be_invited_again(login, cast, django_capture_on_commit_callbacks):
    services.member_remove(actor=cast.admin, membership=cast.consultant.membership)
    invite(
        login(cast.admin),
        django_capture_on_commit_callbacks,
        email=cast.consultant.email,
        role="consultant",
    )
    cast.consultant.refresh_from_db()
    assert cast.consultant.is_active and cast.consultant.membership.organisation == cast.org


def test_members_of_another_organisation_are_404(login, cast):
    other_admin = Membership.objects.create(
        user=User.objects.create(username="eve_admin"), organisation=cast.other_org, role="admin"
    )
    client = login(other_admin.user)
    for membership in (cast.consultant.membership, cast.admin.membership):
        assert client.post(role_url(membership), {"role": "admin"}).status_code == 404
        assert client.post(remove_url(membership)).status_code == 404
    cast.consultant.membership.refresh_from_db()
    assert cast.consultant.membership.role == "consultant"


def test_non_admins_get_404_on_member_actions(login, cast):
    target = cast.client_user.membership
    for user in (cast.consultant, cast.client_user, cast.other_client, cast.outsider):
        client = login(user)
        assert client.post(role_url(target), {"role": "admin"}).status_code == 404
        assert client.post(remove_url(target)).status_code == 404
        assert client.get(role_url(target)).status_code in (404, 405)
    assert Membership.objects.get(pk=target.pk).role == "client"


def test_the_role_change_ignores_a_company_of_another_organisation(login, cast):
    target = cast.client_user.membership
    login(cast.admin).post(role_url(target), {"role": "client", "company": cast.foreign_company.pk})
    target.refresh_from_db()
    assert target.company == cast.company


def test_the_page_shows_recent_activity(login, cast):
    company = CompanyFactory(organisation=cast.org)
    services.company_update(actor=cast.consultant, company=company, data={"name": "Renamed Ltd"})
    html = login(cast.admin).get(MEMBERS).content.decode()
    assert "changed company “Renamed Ltd”" in html


@pytest.fixture
def fresh_celery_pool():
    """Set up before, and torn down after, `celery_worker_process`, which closes the broker pool
    in its teardown without dropping it: a later worker test would get "Acquire on closed pool".
    """
    from kombu import pools

    from config.celery import app

    yield
    pools.reset()  # forget the closed pools, so the next publisher opens new ones
    app._pool = None
    app.amqp._producer_pool = None


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_invitation_is_sent_by_a_real_worker(
    fresh_celery_pool, celery_worker_process, cast, login
):
    import time

    from config.celery import app

    app.conf.task_always_eager = False
    login(cast.admin).post(MEMBERS, {"email": "worker@example.com", "role": "consultant"})
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        log = celery_worker_process.log()
        if "send_email_task" in log and "succeeded" in log:
            break
        time.sleep(0.3)
    assert re.search(r"send_email_task\[[^\]]+\] succeeded in [\d.]+s: 1", log), log
