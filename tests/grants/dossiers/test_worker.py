"""The Celery path for real: a worker process renders what the API asked for."""

from __future__ import annotations

import time

import pytest

from grants.dossiers.tasks import SOFT_TIME_LIMIT, TIME_LIMIT, generate_dossier
from grants.models import Dossier

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def wait_for(predicate, timeout: float = 90.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError("timed out")


def test_the_task_has_time_limits_and_acks_late():
    assert generate_dossier.acks_late is True
    assert (
        generate_dossier.soft_time_limit
        == SOFT_TIME_LIMIT
        < generate_dossier.time_limit
        == TIME_LIMIT
    )
    assert generate_dossier.name == "grants.dossiers.tasks.generate_dossier"


def test_post_returns_at_once_and_the_worker_renders_the_dossier(
    celery_worker_process, cjk, api, application, cast
):
    consultant = api(cast.consultant)
    url = f"/api/v1/applications/{application.pk}/dossier/"
    started = time.monotonic()
    response = consultant.post(url)
    assert response.status_code == 202
    assert time.monotonic() - started < 1.0  # enqueued, not rendered in the request
    assert response.json()["status"] == "pending"

    def ready():
        body = consultant.get(url).json()
        return body if body["status"] != "pending" else None

    body = wait_for(ready)
    assert body["status"] == "ready", celery_worker_process.log()
    assert body["pages"] >= 10
    dossier = Dossier.objects.get(pk=body["id"])
    assert dossier.step == Dossier.Step.STORING
    pdf = api(cast.client_user).get(body["download_url"].removeprefix("http://testserver"))
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")
    # Delivered again (acks_late redelivery), the task leaves the ready dossier alone.
    assert generate_dossier.apply_async(args=[dossier.pk]).get(timeout=60) == "ready"
    again = Dossier.objects.get(pk=dossier.pk)
    assert (again.sha256, again.file.name, again.generated_at) == (
        dossier.sha256,
        dossier.file.name,
        dossier.generated_at,
    )
    # Outsiders and the other client still see nothing.
    assert api(cast.outsider).get(url).status_code == 404
    assert api(cast.other_client).get(url).status_code == 404
