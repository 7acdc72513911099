"""Requesting and generating dossiers; versions; the copy of record."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from companies.models import Activity
from grants.dossiers import services
from grants.dossiers.services import (
    dossier_freeze_copy_of_record,
    dossier_generate,
    dossier_request,
)
from grants.guards import current_dossier
from grants.models import Dossier
from grants.models.dossiers import CopyOfRecordError
from tests.grants.dossiers.conftest import pdfinfo_pages
from tests.grants.dossiers.factories import DossierFactory


@pytest.fixture
def no_enqueue(monkeypatch):
    """Record what would be sent to the broker (the worker path has its own tests)."""
    sent: list[int] = []
    monkeypatch.setattr(services, "_enqueue", sent.append)
    return sent


def test_a_request_creates_a_pending_dossier_and_enqueues_it_on_commit(
    application, cast, no_enqueue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossier_request(application=application, actor=cast.consultant)
    assert dossier.status == Dossier.Status.PENDING
    assert dossier.requested_by == cast.consultant
    assert no_enqueue == [dossier.pk]
    activity = Activity.objects.get(object_type="dossier", verb="requested")
    assert activity.actor == cast.consultant
    assert activity.object_id == str(dossier.pk)


def test_it_refuses_a_request_from_a_client_or_an_outsider(application, cast, no_enqueue):
    for user in (cast.client_user, cast.outsider):
        with pytest.raises(PermissionDenied):
            dossier_request(application=application, actor=user)
    assert not Dossier.objects.exists()


def test_a_second_request_while_one_is_pending_returns_it(application, cast, no_enqueue):
    first = dossier_request(application=application, actor=cast.consultant)
    second = dossier_request(application=application, actor=cast.admin)
    assert second.pk == first.pk
    assert Dossier.objects.count() == 1


def test_a_stalled_pending_dossier_is_failed_and_a_new_one_made(application, cast, no_enqueue):
    stalled = DossierFactory(
        application=application, requested_at=timezone.now() - dt.timedelta(hours=1)
    )
    fresh = dossier_request(application=application, actor=cast.consultant)
    assert fresh.pk != stalled.pk
    stalled.refresh_from_db()
    assert stalled.status == Dossier.Status.FAILED
    assert "did not finish" in stalled.failure_message


def test_generating_stores_the_pdf_with_its_hash_pages_and_size(
    cjk, application, cast, no_enqueue, tmp_path
):
    dossier = dossier_request(application=application, actor=cast.consultant)
    steps = []
    assert dossier_generate(dossier_id=dossier.pk, progress=steps.append) == "ready"
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.READY
    content = dossier.file.read()
    assert content.startswith(b"%PDF-")
    assert dossier.sha256 == hashlib.sha256(content).hexdigest()
    assert dossier.size == len(content)
    assert dossier.pages >= 10
    assert pdfinfo_pages(content, tmp_path) == dossier.pages
    assert dossier.generated_at is not None
    assert dossier.file.name.startswith(f"dossiers/{application.organisation_id}/")
    assert steps == ["collecting", "rendering", "storing"]
    assert current_dossier(application) == dossier
    assert Activity.objects.filter(verb="generated", object_id=str(dossier.pk)).exists()


def test_generation_is_idempotent(cjk, application, cast, no_enqueue):
    dossier = dossier_request(application=application, actor=cast.consultant)
    dossier_generate(dossier_id=dossier.pk)
    dossier.refresh_from_db()
    before = (dossier.sha256, dossier.file.name, dossier.generated_at)
    assert dossier_generate(dossier_id=dossier.pk) == "ready"
    dossier.refresh_from_db()
    assert (dossier.sha256, dossier.file.name, dossier.generated_at) == before
    assert dossier_generate(dossier_id=999999) == "missing"


def test_a_failed_render_is_recorded_with_a_readable_reason(
    application, cast, no_enqueue, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("the layout exploded")

    monkeypatch.setattr(services, "build_dossier", broken)
    dossier = dossier_request(application=application, actor=cast.consultant)
    assert dossier_generate(dossier_id=dossier.pk) == "failed"
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.FAILED
    assert (
        dossier.failure_message
        == "The PDF could not be generated. RuntimeError: the layout exploded"
    )
    assert not dossier.file


def test_a_time_limit_is_recorded_as_such(application, cast, no_enqueue, monkeypatch):
    from celery.exceptions import SoftTimeLimitExceeded

    def slow(*args, **kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(services, "build_dossier", slow)
    dossier = dossier_request(application=application, actor=cast.consultant)
    dossier_generate(dossier_id=dossier.pk)
    dossier.refresh_from_db()
    assert dossier.failure_message == "The generation took too long and was stopped."


def test_an_unreachable_broker_fails_the_dossier(application, cast, monkeypatch):
    from grants.dossiers import tasks

    def down(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.generate_dossier, "apply_async", down)
    dossier = DossierFactory(application=application)
    services._enqueue(dossier.pk)
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.FAILED
    assert dossier.failure_message.startswith("The background worker could not be reached.")


def test_the_failure_reason_is_worded_in_the_readers_language(application):
    from django.utils.translation import override

    dossier = DossierFactory(application=application, status="failed", error="timeout")
    with override("zh-hans"):
        assert dossier.failure_message == "生成耗时过长，已被终止。"


def test_every_generation_is_a_new_version(cjk, application, cast, no_enqueue):
    first = dossier_request(application=application, actor=cast.consultant)
    dossier_generate(dossier_id=first.pk)
    second = dossier_request(application=application, actor=cast.consultant)
    dossier_generate(dossier_id=second.pk)
    assert second.pk != first.pk
    assert Dossier.objects.filter(application=application, status="ready").count() == 2


def test_a_change_after_generation_makes_the_dossier_stale(application):
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=1)):
        dossier = DossierFactory(application=application, ready=True)
    assert current_dossier(application) == dossier
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=2)):
        application.project.save()  # the project changes
    assert current_dossier(application) is None


# --- the copy of record ------------------------------------------------------------------------


def test_freezing_marks_the_current_dossier_and_later_generations_do_not_replace_it(
    cjk, application, cast, no_enqueue
):
    first = dossier_request(application=application, actor=cast.consultant)
    dossier_generate(dossier_id=first.pk)
    frozen = dossier_freeze_copy_of_record(application=application)
    assert frozen.pk == first.pk
    assert frozen.is_copy_of_record
    assert frozen.frozen_at is not None
    sha = frozen.sha256

    later = dossier_request(application=application, actor=cast.consultant)
    dossier_generate(dossier_id=later.pk)
    again = dossier_freeze_copy_of_record(application=application)
    assert again.pk == first.pk
    first.refresh_from_db()
    later.refresh_from_db()
    assert first.is_copy_of_record and first.sha256 == sha
    assert not later.is_copy_of_record
    assert Dossier.objects.filter(application=application, is_copy_of_record=True).count() == 1


def test_freezing_without_a_current_dossier_freezes_nothing(application):
    assert dossier_freeze_copy_of_record(application=application) is None


def test_the_orm_refuses_to_delete_or_change_a_copy_of_record(application):
    copy = DossierFactory(application=application, ready=True)
    Dossier.objects.filter(pk=copy.pk).update(is_copy_of_record=True, frozen_at=timezone.now())
    copy.refresh_from_db()
    with pytest.raises(CopyOfRecordError):
        copy.delete()
    with pytest.raises(CopyOfRecordError):
        Dossier.objects.filter(application=application).delete()
    with pytest.raises(CopyOfRecordError):
        copy.sha256 = "0" * 64
        copy.save()
    assert Dossier.objects.filter(pk=copy.pk, is_copy_of_record=True).exists()


def test_a_second_copy_of_record_is_refused_by_the_database(application):
    from django.db import IntegrityError, transaction

    DossierFactory(application=application, ready=True, is_copy_of_record=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        DossierFactory(application=application, ready=True, is_copy_of_record=True)


def test_generating_never_touches_a_copy_of_record(application):
    copy = DossierFactory(application=application, ready=True, is_copy_of_record=True)
    sha = Dossier.objects.get(pk=copy.pk).sha256
    assert dossier_generate(dossier_id=copy.pk) == "ready"
    assert Dossier.objects.get(pk=copy.pk).sha256 == sha
