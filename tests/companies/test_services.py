"""The services record who did what, and keep their rules under concurrency."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from companies import services
from companies.models import Activity, Company, Membership
from tests.companies.factories import REAL_USCCS
from tests.factories import CompanyFactory, ProjectFactory


def test_every_change_is_an_activity_row_with_actor_and_object(cast):
    company = services.company_create(
        actor=cast.consultant,
        organisation=cast.org,
        data={"name": "Acme", "uscc": REAL_USCCS[3], "district": "yangpu"},
        contacts=[{"name": "Zhao"}],
    )
    project = services.project_save(
        actor=cast.consultant,
        company=company,
        data={"title": "P1", "areas": ["finance"]},
        costs=[{"kind": "rd_investment", "amount": Decimal("10.00")}],
    )
    services.project_save(actor=cast.admin, company=company, project=project, data={"title": "P2"})
    services.project_delete(actor=cast.admin, project=project)
    services.company_update(actor=cast.admin, company=company, data={"employees": 3})
    services.company_delete(actor=cast.admin, company=company)
    rows = list(
        Activity.objects.order_by("id").values_list("actor__username", "verb", "object_type")
    )
    assert rows == [
        ("carol_consultant", "created", "company"),
        ("carol_consultant", "created", "project"),
        ("alice_admin", "updated", "project"),
        ("alice_admin", "deleted", "project"),
        ("alice_admin", "updated", "company"),
        ("alice_admin", "deleted", "company"),
    ]
    assert all(a.organisation_id == cast.org.pk for a in Activity.objects.all())


def test_activities_are_visible_to_staff_of_the_organisation_only(cast):
    services.company_update(actor=cast.admin, company=cast.company, data={"employees": 9})
    assert Activity.objects.visible_to(cast.consultant).count() == 1
    assert Activity.objects.visible_to(cast.client_user).count() == 0
    assert Activity.objects.visible_to(cast.outsider).count() == 0


def test_the_services_validate_what_callers_pass(cast):
    with pytest.raises(ValidationError) as caught:
        services.company_create(
            actor=cast.admin,
            organisation=cast.org,
            data={"name": "X", "uscc": "91330100799655058C", "district": "pudong"},
        )
    assert "uscc" in caught.value.message_dict
    project = ProjectFactory(company=cast.company)
    with pytest.raises(ValidationError) as caught:
        services.project_save(
            actor=cast.admin,
            company=cast.company,
            project=project,
            data={},
            costs=[{"kind": "rd_investment", "amount": Decimal("1"), "months": 0}],
        )
    assert "months" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.project_save(
            actor=cast.admin, company=cast.company, data={"title": "t", "areas": ["nope"]}
        )
    assert "areas" in caught.value.message_dict


def test_a_duplicate_uscc_is_refused_by_the_service_too(cast):
    with pytest.raises(ValidationError) as caught:
        services.company_update(
            actor=cast.admin, company=cast.other_company, data={"uscc": cast.company.uscc}
        )
    assert "already exists" in caught.value.message_dict["uscc"][0]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_admins_demoting_each_other_at_once_leave_one_admin(postgres, cast):
    second = CompanyFactory(organisation=cast.org)  # noqa: F841 - some data beside the members
    services.member_change_role(
        actor=cast.admin, membership=cast.consultant.membership, role="admin"
    )
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def demote(actor, target):
        try:
            barrier.wait()
            services.member_change_role(actor=actor, membership=target, role="consultant")
            outcomes.append("ok")
        except services.Refused:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=demote, args=(cast.admin, cast.consultant.membership)),
        threading.Thread(target=demote, args=(cast.consultant, cast.admin.membership)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == ["ok", "refused"]
    assert Membership.objects.filter(organisation=cast.org, role="admin").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_saves_of_the_same_uscc_at_once_make_one_company(postgres, cast):
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def create(name):
        try:
            barrier.wait()
            services.company_create(
                actor=cast.consultant,
                organisation=cast.org,
                data={"name": name, "uscc": REAL_USCCS[1], "district": "pudong"},
            )
            outcomes.append("ok")
        except ValidationError as error:
            outcomes.append("uscc" if "uscc" in error.message_dict else "other")
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(f"Twin {n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == ["ok", "uscc"]
    assert Company.objects.filter(uscc=REAL_USCCS[1]).count() == 1
