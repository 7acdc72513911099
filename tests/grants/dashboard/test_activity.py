"""The organisation's activity log: activity rows and transitions merged in time order."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from grants.reports.activity import activity_log, hydrate
from tests.factories import ProgrammeFactory
from tests.grants.dashboard.conftest import at, make_application
from tests.grants.dashboard.factories import ActivityFactory, TransitionLogFactory


@pytest.fixture
def log(cast):
    programme = ProgrammeFactory(code="model_voucher", name_en="Model voucher", name_zh="模型券")
    application = make_application(cast.company, programme, "preparing", "1000.00")
    foreign = make_application(cast.foreign_company, programme, "preparing", "1000.00")
    ActivityFactory(
        company=cast.company,
        actor=cast.consultant,
        verb="created",
        object_type="company",
        object_id=str(cast.company.pk),
        object_label="Lujiazui Vision Ltd",
        at=at(2025, 3, 1),
    )
    ActivityFactory(
        company=cast.other_company,
        actor=cast.admin,
        verb="updated",
        object_type="project",
        object_label="张江 robot arm",
        at=at(2025, 3, 3),
    )
    ActivityFactory(
        company=cast.foreign_company,
        organisation=cast.other_org,
        actor=cast.outsider,
        verb="created",
        object_type="company",
        object_label="Foreign Firm",
        at=at(2025, 3, 2),
    )
    TransitionLogFactory(
        application=application,
        transition="start",
        from_state="draft",
        to_state="preparing",
        actor=cast.consultant,
        at=at(2025, 3, 2),
        comment="Let us begin",
    )
    TransitionLogFactory(application=foreign, actor=cast.outsider, at=at(2025, 3, 2, 11))
    return application


def test_it_merges_activity_and_transitions_newest_first(cast, log):
    rows = hydrate(list(activity_log(cast.consultant)))
    assert [(e.source, e.verb) for e in rows] == [
        ("activity", "updated"),
        ("transition", "start"),
        ("activity", "created"),
    ]
    transition = rows[1]
    assert transition.object_label == log.reference
    assert transition.company == cast.company
    assert transition.actor == cast.consultant
    with translation.override("en"):
        assert (transition.from_label, transition.to_label) == ("Draft", "Preparing")
    with translation.override("zh-hans"):
        assert (transition.from_label, transition.to_label) == ("草稿", "准备中")


def test_it_filters_by_actor_kind_company_and_dates(cast, log):
    def verbs(**filters):
        return [e.verb for e in hydrate(list(activity_log(cast.consultant, **filters)))]

    assert verbs(actor=cast.consultant.username) == ["start", "created"]
    assert verbs(kind="application") == ["start"]
    assert verbs(kind="project") == ["updated"]
    assert verbs(company=cast.company.pk) == ["start", "created"]
    assert verbs(date_from=dt.date(2025, 3, 2), date_to=dt.date(2025, 3, 2)) == ["start"]
    assert verbs(date_from=dt.date(2025, 3, 4)) == []


def test_clients_and_strangers_see_nothing(cast, log):
    assert list(activity_log(cast.client_user)) == []
    outsider = hydrate(list(activity_log(cast.outsider)))
    assert [(e.source, e.company) for e in outsider] == [
        ("transition", cast.foreign_company),
        ("activity", cast.foreign_company),
    ]


def test_transitions_are_read_through_the_one_scoping_rule(cast, log, monkeypatch):
    """The log's transitions are those of `Application.objects.visible_to(user)`: change the
    rule and the log follows it."""
    from grants.models.applications import ApplicationQuerySet

    def verbs():
        return [(e.source, e.verb) for e in hydrate(list(activity_log(cast.consultant)))]

    assert ("transition", "start") in verbs()
    monkeypatch.setattr(ApplicationQuerySet, "visible_to", lambda queryset, user: queryset.none())
    assert [source for source, _verb in verbs()] == ["activity", "activity"]


def test_transition_logs_are_visible_as_their_applications_are(cast, log):
    from grants.models import TransitionLog

    def companies(user):
        logs = TransitionLog.objects.visible_to(user).select_related("application")
        return {entry.application.company for entry in logs}

    assert companies(cast.consultant) == {cast.company}
    assert companies(cast.client_user) == {cast.company}
    assert companies(cast.other_client) == set()
    assert companies(cast.outsider) == {cast.foreign_company}
