"""Celery tasks: dossier generation."""

from __future__ import annotations

from celery import shared_task

from grants.dossiers.services import dossier_generate

# Rendering a large pack with its annex takes seconds; a minute means something is wrong.
SOFT_TIME_LIMIT = 120
TIME_LIMIT = 150


@shared_task(
    name="grants.dossiers.tasks.generate_dossier",
    acks_late=True,
    soft_time_limit=SOFT_TIME_LIMIT,
    time_limit=TIME_LIMIT,
)
def generate_dossier(dossier_id: int) -> str:
    """Render one pending dossier. Idempotent: a dossier that is not pending is left alone."""
    return dossier_generate(dossier_id=dossier_id)
