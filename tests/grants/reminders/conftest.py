from __future__ import annotations

import pytest
import time_machine
from django.core import mail

from grants.reminders.sweep import sweep_reminders


@pytest.fixture
def eager_tasks():
    """Run Celery tasks in-process (the worker path is proven by test_exactly_once.py)."""
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = previous


@pytest.fixture
def sweep_at(eager_tasks, django_capture_on_commit_callbacks):
    """sweep_at(moment) travels to `moment`, sweeps, sends the digests; returns the summary."""

    def _sweep(moment, **kwargs):
        with (
            time_machine.travel(moment, tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            return sweep_reminders(now=moment, **kwargs)

    return _sweep


@pytest.fixture
def outbox():
    mail.outbox = []
    return mail.outbox


# --- real workers ----------------------------------------------------------------------------


def kill_worker(worker) -> None:
    """SIGKILL the worker's main process and its pool processes: no cleanup runs anywhere."""
    import contextlib
    import os
    import signal

    pid = worker.process.pid
    children = []
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as f:
            children += [int(child) for child in f.read().split()]
    os.kill(pid, signal.SIGKILL)
    for child in children:
        with contextlib.suppress(ProcessLookupError):
            os.kill(child, signal.SIGKILL)
    worker.process.wait(10)
    worker._log.close()


def _fresh_broker_pool(app) -> None:
    """Drop the producer connections (as Celery does after a fork): `force_close_all` leaves a
    closed pool behind, on which the next test's `delay()` fails ("Acquire on closed pool")."""
    from kombu import pools

    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    if "amqp" in app.__dict__:
        app.__dict__["amqp"]._producer_pool = None
    pools.reset()  # kombu's registry would hand back the closed producer pool


@pytest.fixture
def reminder_workers(redis_url, settings, transactional_db):
    """start(email_url=…, queue=None, **env) starts a real worker with the reminder worker
    settings (tests/grants/reminders/worker_settings.py) and routes this test's tasks to it."""
    from config.celery import app
    from tests.conftest import WorkerProcess

    started = []
    previous = (app.conf.task_default_queue, app.conf.broker_url, app.conf.result_backend)

    def start(*, email_url: str, queue: str | None = None, **env) -> WorkerProcess:
        worker = WorkerProcess(
            redis_url,
            extra_env={
                "DJANGO_SETTINGS_MODULE": "tests.grants.reminders.worker_settings",
                "EMAIL_URL": email_url,
                **env,
            },
        )
        if queue:
            worker.queue = queue
        started.append(worker)
        worker.start()
        app.conf.task_default_queue = worker.queue
        app.conf.broker_url = redis_url
        app.conf.result_backend = redis_url
        app.conf.task_always_eager = False
        _fresh_broker_pool(app)
        return worker

    settings.CELERY_TASK_ALWAYS_EAGER = False
    try:
        yield start
    finally:
        for worker in started:
            worker.stop()
        app.conf.task_default_queue, app.conf.broker_url, app.conf.result_backend = previous
        _fresh_broker_pool(app)
        for worker in started:
            worker.log_path.unlink(missing_ok=True)
