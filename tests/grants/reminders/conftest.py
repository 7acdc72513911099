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
