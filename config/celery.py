"""The Celery application: ``celery -A config worker`` and ``celery -A config beat``.

Settings come from Django's (``CELERY_*``). The beat schedule lives here, in code, so every
deployment runs the same periodic work and a schedule change is reviewed like any other.
"""

from __future__ import annotations

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

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
