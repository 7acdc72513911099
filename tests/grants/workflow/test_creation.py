"""Creation rules: eligibility, one live application per programme, no double funding,
defaults, and references unique and gap-free per organisation and year."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from companies.models import Activity
from core.api import RuleRefused
from grants.models import Application
from grants.workflow import application_create, application_transition, application_update
from tests.factories import (
    CallFactory,
    CompanyFactory,
    CostLineFactory,
    ProgrammeFactory,
    ProjectFactory,
)


def test_it_creates_a_draft_with_the_estimate_the_open_call_and_the_actor(cast, project, programme):
    CallFactory(programme=programme, deadline=timezone.now() + dt.timedelta(days=60))
    soonest = CallFactory(programme=programme, deadline=timezone.now() + dt.timedelta(days=20))
    CallFactory(
        programme=programme,
        deadline=timezone.now() - dt.timedelta(days=1),
        opens_at=timezone.now() - dt.timedelta(days=9),
    )
    application = application_create(project=project, programme=programme, actor=cast.consultant)
    assert application.state == "draft"
    assert application.requested_amount == Decimal("600000.00")
    assert application.call == soonest
    assert application.assignee == cast.consultant
    assert application.company == cast.company and application.organisation == cast.org
    assert application.reference == f"GD-{timezone.localdate().year}-000001"
    assert Activity.objects.filter(verb="created", object_id=str(application.pk)).exists()


def test_it_refuses_an_ineligible_programme_with_the_failing_rules(cast, project, programme):
    cast.company.district = "outside"
    cast.company.tax_credit_rating = "C"
    cast.company.save()
    with pytest.raises(RuleRefused) as refused:
        application_create(project=project, programme=programme, actor=cast.consultant)
    text = " ".join(refused.value.reasons)
    assert "Registered outside Shanghai" in text
    assert "Tax credit rating C is not allowed" in text
    assert not Application.objects.exists()


def test_it_refuses_a_second_live_application_to_the_same_programme(cast, project, programme):
    first = application_create(project=project, programme=programme, actor=cast.consultant)
    with pytest.raises(RuleRefused) as refused:
        application_create(project=project, programme=programme, actor=cast.consultant)
    assert refused.value.reasons == [
        f"The project already has a live application to this programme: {first.reference}."
    ]
    application_transition(application=first, name="withdraw", actor=cast.consultant, comment="x")
    again = application_create(project=project, programme=programme, actor=cast.consultant)
    assert again.state == "draft"


def test_it_refuses_a_cost_kind_already_funding_another_live_application(cast, project, programme):
    other = ProgrammeFactory(code="other_model_programme", basis="model_service")
    different = ProgrammeFactory(code="compute_programme", basis="compute_lease")
    CostLineFactory(project=project, kind="compute_lease", amount=Decimal("100000"))
    first = application_create(project=project, programme=programme, actor=cast.consultant)
    with pytest.raises(RuleRefused) as refused:
        application_create(project=project, programme=other, actor=cast.consultant)
    assert f"live application {first.reference}" in refused.value.reasons[0]
    assert "cannot be funded twice" in refused.value.reasons[0]
    assert application_create(project=project, programme=different, actor=cast.consultant)


def test_the_same_cost_kind_may_fund_another_project(cast, project, programme):
    application_create(project=project, programme=programme, actor=cast.consultant)
    second = ProjectFactory(company=cast.company)
    CostLineFactory(project=second, kind="model_service", amount=Decimal("10000"))
    assert application_create(project=second, programme=programme, actor=cast.consultant)


def test_it_takes_a_given_amount_call_and_assignee(cast, project, programme):
    call = CallFactory(programme=programme)
    application = application_create(
        project=project,
        programme=programme,
        call=call,
        requested_amount=Decimal("1234.565"),
        assignee=cast.admin,
        actor=cast.consultant,
    )
    assert (application.requested_amount, application.call, application.assignee) == (
        Decimal("1234.57"),
        call,
        cast.admin,
    )


def test_it_refuses_a_call_of_another_programme(cast, project, programme):
    call = CallFactory(programme=ProgrammeFactory(code="elsewhere"))
    with pytest.raises(ValidationError) as error:
        application_create(project=project, programme=programme, call=call, actor=cast.consultant)
    assert error.value.message_dict == {"call": ["This call belongs to another programme."]}


@pytest.mark.parametrize("who", ["client_user", "outsider"])
def test_it_refuses_an_assignee_who_is_not_a_consultant_of_the_organisation(
    cast, project, programme, who
):
    with pytest.raises(ValidationError) as error:
        application_create(
            project=project, programme=programme, assignee=getattr(cast, who), actor=cast.admin
        )
    assert "assignee" in error.value.message_dict


@pytest.mark.parametrize("who", ["client_user", "outsider"])
def test_only_the_organisations_staff_create(cast, project, programme, who):
    with pytest.raises(PermissionDenied):
        application_create(project=project, programme=programme, actor=getattr(cast, who))


def test_references_are_gap_free_per_organisation_even_after_a_refusal(cast, project, programme):
    first = application_create(project=project, programme=programme, actor=cast.consultant)
    with pytest.raises(RuleRefused):
        application_create(project=project, programme=programme, actor=cast.consultant)
    other_project = ProjectFactory(company=cast.other_company)
    CostLineFactory(project=other_project, kind="model_service", amount=Decimal("10000"))
    second = application_create(project=other_project, programme=programme, actor=cast.admin)
    foreign_project = ProjectFactory(company=cast.foreign_company)
    CostLineFactory(project=foreign_project, kind="model_service", amount=Decimal("10000"))
    foreign = application_create(project=foreign_project, programme=programme, actor=cast.outsider)
    year = timezone.localdate().year
    assert [first.reference, second.reference] == [f"GD-{year}-000001", f"GD-{year}-000002"]
    assert foreign.reference == f"GD-{year}-000001"


def test_the_sequence_restarts_each_shanghai_year(cast, programme):
    projects = []
    for _ in range(3):
        p = ProjectFactory(company=cast.company)
        CostLineFactory(project=p, kind="model_service", amount=Decimal("10000"))
        projects.append(p)
    # 2026-12-31 23:30 in Shanghai is still 2026 there, while UTC says 15:30.
    with time_machine.travel(dt.datetime(2026, 12, 31, 15, 30, tzinfo=dt.UTC), tick=False):
        a = application_create(project=projects[0], programme=programme, actor=cast.consultant)
    # 16:30 UTC is 00:30 on 1 January 2027 in Shanghai.
    with time_machine.travel(dt.datetime(2026, 12, 31, 16, 30, tzinfo=dt.UTC), tick=False):
        b = application_create(project=projects[1], programme=programme, actor=cast.consultant)
        c = application_create(project=projects[2], programme=programme, actor=cast.consultant)
    assert a.reference.startswith("GD-2026-") and a.reference.endswith("000001")
    assert [b.reference, c.reference] == ["GD-2027-000001", "GD-2027-000002"]


def test_update_changes_allowed_fields_and_records_who(cast, make_app):
    application = make_app("draft")
    before = application.updated_at
    updated = application_update(
        application=application,
        actor=cast.consultant,
        requested_amount=Decimal("100.00"),
        assignee=cast.admin,
    )
    assert updated.requested_amount == Decimal("100.00") and updated.assignee == cast.admin
    assert updated.updated_at > before
    activity = Activity.objects.get(verb="updated")
    assert activity.actor == cast.consultant
    assert activity.data["requested_amount"] == ["500000.00", "100.00"]


def test_update_refuses_fields_the_state_no_longer_allows(cast, make_app):
    application = make_app("submitted")
    with pytest.raises(ValidationError) as error:
        application_update(
            application=application, actor=cast.consultant, requested_amount=Decimal("1")
        )
    assert "requested_amount" in error.value.message_dict
    with pytest.raises(ValidationError):
        application_update(
            application=make_app("draft", project=ProjectFactory(company=cast.company)),
            actor=cast.consultant,
            submission_ref="X",
        )
    updated = application_update(
        application=application, actor=cast.consultant, submission_ref="SH-1"
    )
    assert updated.submission_ref == "SH-1"


def test_update_refuses_clients(cast, make_app):
    with pytest.raises(PermissionDenied):
        application_update(
            application=make_app("draft"), actor=cast.client_user, requested_amount=Decimal("1")
        )


def test_a_company_of_another_organisation_gets_its_own_sequence(cast, programme):
    company = CompanyFactory(organisation=cast.other_org)
    project = ProjectFactory(company=company)
    CostLineFactory(project=project, kind="model_service", amount=Decimal("5"))
    application = application_create(project=project, programme=programme, actor=cast.outsider)
    assert application.organisation == cast.other_org
