"""Celery tasks of the foundation: the one email task, and a ping for health checks."""

from __future__ import annotations

import smtplib
from typing import Any

from celery import shared_task

from core.emails import send_email


@shared_task(
    bind=True,
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=30,
    retry_kwargs={"max_retries": 8},
    acks_late=True,
)
def send_email_task(self, name: str, to: list[str], context: dict[str, Any], language: str) -> int:
    """Send one templated email; retried with back-off when the mail server fails."""
    return send_email(name, to=to, context=context, language=language)


@shared_task
def ping(value: str) -> str:
    """A round trip through the broker and a worker (health checks and the smoke test)."""
    return f"pong:{value}"
