"""The preferences form: an email address belongs to one user."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import UserFactory


def save(client, user, **changes):
    data = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "language": user.language,
        "reminder_emails": "on",
    }
    data.update(changes)
    return client.post(reverse("accounts:settings"), data)


@pytest.mark.parametrize("taken", ["carol_consultant@example.com", "CAROL_CONSULTANT@example.com"])
def test_it_refuses_an_email_another_user_has(login, cast, taken):
    response = save(login(cast.client_user), cast.client_user, email=taken)
    assert response.status_code == 200
    assert "already" in response.context["form"].errors["email"][0]
    cast.client_user.refresh_from_db()
    assert cast.client_user.email == "kai_client@example.com"


def test_it_refuses_an_email_that_is_another_users_sign_in_name(login, cast):
    UserFactory(username="invited@example.com", email="")
    response = save(login(cast.client_user), cast.client_user, email="Invited@example.com")
    assert "email" in response.context["form"].errors


def test_a_user_keeps_or_changes_their_own_email(login, cast):
    client = login(cast.client_user)
    assert save(client, cast.client_user).status_code == 302
    assert save(client, cast.client_user, email="kai.new@example.com").status_code == 302
    cast.client_user.refresh_from_db()
    assert cast.client_user.email == "kai.new@example.com"


def test_a_blank_email_is_not_a_clash(login, cast):
    cast.consultant.email = ""
    cast.consultant.save()
    assert save(login(cast.client_user), cast.client_user, email="").status_code == 302
