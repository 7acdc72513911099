"""The admin shows dossiers read-only; nothing deletes a copy of record there."""

from __future__ import annotations

import pytest
from django.urls import reverse

from grants.models import Dossier
from tests.factories import UserFactory
from tests.grants.dossiers.factories import DossierFactory


@pytest.fixture
def superuser(db):
    user = UserFactory(username="root_admin", is_staff=True, is_superuser=True)
    return user


@pytest.fixture
def copy(application):
    return DossierFactory(application=application, ready=True, is_copy_of_record=True)


def test_the_admin_lists_and_shows_dossiers_without_linking_the_file(login, superuser, copy):
    client = login(superuser)
    listing = client.get(reverse("admin:grants_dossier_changelist"))
    assert listing.status_code == 200
    assert copy.application.reference in listing.content.decode()
    detail = client.get(reverse("admin:grants_dossier_change", args=[copy.pk]))
    assert detail.status_code == 200
    html = detail.content.decode()
    assert copy.file.name in html
    assert copy.file.url not in html


def test_the_admin_refuses_to_delete_a_copy_of_record(login, superuser, copy):
    client = login(superuser)
    url = reverse("admin:grants_dossier_delete", args=[copy.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Dossier.objects.filter(pk=copy.pk).exists()


def test_the_bulk_delete_action_is_not_offered(login, superuser, copy):
    client = login(superuser)
    response = client.post(
        reverse("admin:grants_dossier_changelist"),
        {"action": "delete_selected", "_selected_action": [copy.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    assert Dossier.objects.filter(pk=copy.pk).exists()
    listing = client.get(reverse("admin:grants_dossier_changelist")).content.decode()
    assert "delete_selected" not in listing


def test_the_admin_cannot_add_or_change_dossiers(login, superuser, copy):
    client = login(superuser)
    assert client.get(reverse("admin:grants_dossier_add")).status_code == 403
    response = client.post(
        reverse("admin:grants_dossier_change", args=[copy.pk]), {"sha256": "0" * 64}
    )
    assert response.status_code == 403
    copy.refresh_from_db()
    assert copy.sha256 != "0" * 64
