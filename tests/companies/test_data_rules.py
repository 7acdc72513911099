"""Dates of establishment, district filters and invitations of people from elsewhere."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from companies import services
from companies.models import Membership
from tests.companies.factories import REAL_USCCS, company_post
from tests.factories import UserFactory

User = get_user_model()
# 1 June 2026, 00:30 in Shanghai (still 31 May in UTC): "today" is Shanghai's date.
NOW = dt.datetime(2026, 5, 31, 16, 30, tzinfo=dt.UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_it_refuses_a_future_date_of_establishment_on_the_page(login, cast, frozen):
    response = login(cast.consultant).post(
        reverse("companies:create"), company_post(established_on="2026-06-02")
    )
    assert response.status_code == 200
    assert "future" in response.context["form"].errors["established_on"][0]


def test_it_refuses_a_future_date_of_establishment_in_the_api(api, cast, frozen):
    body = {"name": "X", "uscc": REAL_USCCS[2], "district": "xuhui", "established_on": "2026-06-02"}
    response = api(cast.consultant).post("/api/v1/companies/", body, format="json")
    assert response.status_code == 400
    assert "future" in response.json()["established_on"][0]
    response = api(cast.consultant).patch(
        f"/api/v1/companies/{cast.company.pk}/", {"established_on": "2027-01-01"}, format="json"
    )
    assert response.status_code == 400 and "established_on" in response.json()


def test_today_in_shanghai_is_a_valid_date_of_establishment(api, cast, frozen):
    body = {"name": "X", "uscc": REAL_USCCS[2], "district": "xuhui", "established_on": "2026-06-01"}
    assert api(cast.consultant).post("/api/v1/companies/", body, format="json").status_code == 201


def test_the_service_refuses_a_future_date_too(cast, frozen):
    with pytest.raises(ValidationError) as refused:
        services.company_update(
            actor=cast.consultant,
            company=cast.company,
            data={"established_on": dt.date(2026, 7, 1)},
        )
    assert "established_on" in refused.value.message_dict


@pytest.mark.parametrize("district", ["atlantis", "PUDONG", "²"])
def test_it_refuses_an_unknown_district_filter_with_a_400_naming_district(api, cast, district):
    response = api(cast.consultant).get("/api/v1/companies/", {"district": district})
    assert response.status_code == 400
    assert "district" in response.json()


def test_a_known_or_empty_district_filter_filters(api, cast):
    client = api(cast.consultant)
    assert client.get("/api/v1/companies/", {"district": ""}).json()["count"] == 2
    assert client.get("/api/v1/companies/", {"district": "xuhui"}).json()["count"] == 0


# --- invitations of people who already have an account ----------------------------------------


def _invite(cast, email):
    return services.member_invite(
        actor=cast.admin, organisation=cast.org, email=email, role="consultant"
    )


def test_it_refuses_to_invite_a_removed_member_of_another_organisation(cast):
    services.member_remove(actor=cast.outsider, membership=_other_admin(cast))
    with pytest.raises(ValidationError) as refused:
        _invite(cast, "eve@elsewhere.example")
    assert "outside your organisation" in refused.value.message_dict["email"][0]
    eve = User.objects.get(username="eve_admin")
    assert not eve.is_active and not Membership.objects.filter(user=eve).exists()


def test_it_refuses_to_invite_an_account_that_never_belonged_here(cast, login):
    support = UserFactory(username="support", email="support@grantdesk.example", is_staff=True)
    response = login(cast.admin).post(
        reverse("companies:members"), {"email": "Support@grantdesk.example", "role": "admin"}
    )
    assert response.status_code == 200
    assert "outside your organisation" in response.context["form"].errors["email"][0]
    assert not Membership.objects.filter(user=support).exists()


def test_a_removed_member_of_this_organisation_may_come_back(cast):
    email = cast.consultant.email
    services.member_remove(actor=cast.admin, membership=cast.consultant.membership)
    membership = _invite(cast, email)
    assert membership.user == cast.consultant and membership.organisation == cast.org


def test_a_member_removed_elsewhere_after_leaving_here_may_not_come_back(cast):
    email = cast.consultant.email
    services.member_remove(actor=cast.admin, membership=cast.consultant.membership)
    elsewhere = Membership.objects.create(
        user=cast.consultant, organisation=cast.other_org, role="consultant"
    )
    services.member_remove(actor=cast.outsider, membership=elsewhere)
    with pytest.raises(ValidationError):
        _invite(cast, email)


def _other_admin(cast) -> Membership:
    eve = UserFactory(username="eve_admin", email="eve@elsewhere.example")
    return Membership.objects.create(user=eve, organisation=cast.other_org, role="consultant")
