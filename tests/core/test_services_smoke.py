"""The real services are really used: a task crosses Redis to a live worker process."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.worker


def test_a_task_round_trips_through_redis_and_a_live_worker(celery_worker_process):
    from core.tasks import ping

    result = ping.delay("grantdesk")
    assert result.get(timeout=60) == "pong:grantdesk"
    assert "core.tasks.ping" in celery_worker_process.log()


def test_the_suite_runs_on_the_database_ci_asks_for(db):
    import os

    from django.db import connection

    wanted = os.environ.get("DATABASE_URL", "sqlite")
    assert connection.vendor == ("postgresql" if wanted.startswith("postgres") else "sqlite")
