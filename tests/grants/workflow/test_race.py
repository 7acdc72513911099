"""Real races on PostgreSQL: two people act on the same application at the same moment."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection

from core.api import Conflict
from grants.models import Application, TransitionLog
from grants.workflow import application_create, application_transition
from tests.factories import CostLineFactory, ProjectFactory
from tests.grants.workflow.conftest import upload_document

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_together(*jobs):
    """Run each job in its own thread (own connection), released by one barrier."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def runner(i, job):
        try:
            prepared = job[0]()
            barrier.wait(timeout=10)
            results[i] = ("ok", job[1](prepared))
        except Exception as error:  # the outcome is what the test checks
            results[i] = ("error", error)
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def test_two_actors_transition_at_once_one_wins_the_other_gets_409(postgres, cast, make_app):
    application = make_app("preparing")
    pk = application.pk

    def load():
        return Application.objects.get(pk=pk)  # both see "preparing" before either acts

    def withdraw(actor):
        return lambda app: application_transition(
            application=app, name="withdraw", actor=actor, comment=f"by {actor.username}"
        )

    def start_review_request(app):

        return application_transition(application=app, name="request_review", actor=cast.admin)

    upload_document(application, "licence")
    upload_document(application, "contract")
    results = run_together((load, withdraw(cast.consultant)), (load, start_review_request))
    outcomes = sorted(kind for kind, _ in results)
    assert outcomes == ["error", "ok"], results
    (error,) = [value for kind, value in results if kind == "error"]
    assert isinstance(error, Conflict)
    assert error.conflict_code in {"concurrent_update", "transition_not_allowed"}
    assert TransitionLog.objects.filter(application_id=pk).count() == 1
    winner = TransitionLog.objects.get(application_id=pk)
    assert Application.objects.get(pk=pk).state == winner.to_state


def test_the_same_transition_twice_at_once_is_done_once(postgres, cast, make_app):
    application = make_app("draft")
    pk = application.pk

    def load():
        return Application.objects.get(pk=pk)

    def start(actor):
        return lambda app: application_transition(application=app, name="start", actor=actor)

    results = run_together((load, start(cast.consultant)), (load, start(cast.admin)))
    assert sorted(kind for kind, _ in results) == ["error", "ok"]
    assert TransitionLog.objects.filter(application_id=pk).count() == 1


def test_simultaneous_creations_take_consecutive_references(postgres, cast, programme):
    projects = []
    for company in (cast.company, cast.other_company, cast.company):
        project = ProjectFactory(company=company)
        CostLineFactory(project=project, kind="model_service", amount=Decimal("1000"))
        projects.append(project)

    def create(project):
        return (
            lambda: project,
            lambda p: application_create(project=p, programme=programme, actor=cast.consultant),
        )

    results = run_together(*(create(p) for p in projects))
    assert [kind for kind, _ in results] == ["ok", "ok", "ok"], results
    numbers = sorted(int(value.reference.rsplit("-", 1)[1]) for _, value in results)
    assert numbers == [1, 2, 3]
