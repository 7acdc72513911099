"""The Celery application: ``celery -A config worker`` and ``celery -A config beat``.

Settings come from Django's (``CELERY_*``). The beat schedule lives here, in code, so every
deployment runs the same periodic work and a schedule change is reviewed like any other.
"""

from __future__ import annotations

import contextlib
import logging
import os

from celery import Celery, signals
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

task_logger = logging.getLogger("grantdesk.task")

app = Celery("grantdesk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Task modules that live below an app's top level.
app.conf.imports = ("grants.dossiers.tasks", "grants.reminders.tasks")

app.conf.beat_schedule = {
    # Reminder sweep: claims due reminder rows and enqueues one digest per recipient.
    "send-reminders": {
        "task": "grants.reminders.tasks.sweep_reminders",
        "schedule": crontab(minute="*/15"),
        "options": {"expires": 14 * 60},
    },
}


# --- task logs: every record of a task carries its name and id ----------------------------------


@signals.task_prerun.connect
def _bind_task_context(task_id=None, task=None, **kwargs) -> None:
    from core.logging import bind

    task.request.log_token = bind(task=task.name, task_id=task_id)
    task_logger.info("task %s started", task.name)


@signals.task_postrun.connect
def _unbind_task_context(task_id=None, task=None, state=None, **kwargs) -> None:
    from core.logging import reset

    task_logger.info("task %s finished: %s", task.name, state)
    token = getattr(task.request, "log_token", None)
    if token is not None:
        # A token bound in another context (eager mode inside a request) cannot be reset here.
        with contextlib.suppress(ValueError):
            reset(token)


@signals.task_failure.connect
def _log_task_failure(task_id=None, exception=None, sender=None, einfo=None, **kwargs) -> None:
    task_logger.error(
        "task %s failed: %r",
        getattr(sender, "name", "?"),
        exception,
        exc_info=(type(exception), exception, exception.__traceback__),
    )
