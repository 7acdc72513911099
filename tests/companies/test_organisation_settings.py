"""Organisation admins change the organisation's name and its four-eyes rule on the members page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from companies import services
from companies.models import Activity, Organisation

MEMBERS = reverse("companies:members")
SETTINGS = reverse("companies:organisation_settings")


def settings_post(**overrides) -> dict:
    data = {
        "organisation-name": "Bund Grants Consulting",
        "organisation-require_second_reviewer": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_the_members_page_shows_the_settings_form_to_admins(login, cast):
    html = login(cast.admin).get(MEMBERS).content.decode()
    assert 'name="organisation-require_second_reviewer"' in html
    assert f'action="{SETTINGS}"' in html


def test_an_admin_turns_on_the_four_eyes_rule_and_renames_the_organisation(login, cast):
    response = login(cast.admin).post(
        SETTINGS, settings_post(**{"organisation-name": "Bund Grants"})
    )
    assert response.status_code == 302 and response["Location"] == MEMBERS
    cast.org.refresh_from_db()
    assert cast.org.require_second_reviewer is True and cast.org.name == "Bund Grants"
    activity = Activity.objects.get(verb="updated", object_type="organisation")
    assert activity.actor == cast.admin and activity.organisation == cast.org
    assert set(activity.data["fields"]) == {"name", "require_second_reviewer"}
    assert activity.summary == "changed organisation “Bund Grants”"


def test_an_admin_turns_the_rule_off_again(login, cast):
    cast.org.require_second_reviewer = True
    cast.org.save()
    login(cast.admin).post(
        SETTINGS, settings_post(**{"organisation-require_second_reviewer": None})
    )
    cast.org.refresh_from_db()
    assert cast.org.require_second_reviewer is False


@pytest.mark.parametrize(
    ("name", "message"), [("", "This field is required."), ("Elsewhere Advisory", "already")]
)
def test_a_bad_name_is_an_error_beside_the_field_and_nothing_changes(login, cast, name, message):
    response = login(cast.admin).post(SETTINGS, settings_post(**{"organisation-name": name}))
    assert response.status_code == 200
    errors = response.context["settings_form"].errors["name"]
    assert message in errors[0]
    assert "is-invalid" in response.content.decode()
    cast.org.refresh_from_db()
    assert cast.org.name == "Bund Grants Consulting" and not cast.org.require_second_reviewer
    assert not Activity.objects.filter(object_type="organisation").exists()


def test_consultants_clients_and_outsiders_get_404(login, cast):
    for user in (cast.consultant, cast.client_user, cast.other_client, cast.outsider):
        response = login(user).post(SETTINGS, settings_post(**{"organisation-name": "Taken"}))
        assert response.status_code == 404
    assert not Organisation.objects.filter(name="Taken").exists()
    cast.org.refresh_from_db()
    cast.other_org.refresh_from_db()
    assert not cast.org.require_second_reviewer and not cast.other_org.require_second_reviewer


def test_an_admin_changes_only_their_own_organisation(login, cast):
    login(cast.admin).post(SETTINGS, settings_post())
    cast.other_org.refresh_from_db()
    assert not cast.other_org.require_second_reviewer


def test_the_settings_form_is_in_chinese(login, cast):
    cast.admin.language = "zh-hans"
    cast.admin.save()
    html = login(cast.admin).get(MEMBERS).content.decode()
    assert "机构设置" in html and "保存设置" in html


def test_the_service_records_nothing_when_nothing_changed(cast):
    services.organisation_update(
        actor=cast.admin, organisation=cast.org, data={"name": cast.org.name}
    )
    assert not Activity.objects.filter(object_type="organisation").exists()
