"""Every email goes through here: a subject / text / HTML template triad in one language.

Templates live at `templates/emails/<name>_subject.txt`, `<name>.txt` and `<name>.html`. The
context is plain data (it crosses the Celery broker as JSON).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def render_email(name: str, context: dict[str, Any], language: str) -> tuple[str, str, str]:
    with translation.override(language):
        full = {"site_url": settings.SITE_URL, "language": language, **context}
        subject = " ".join(render_to_string(f"emails/{name}_subject.txt", full).split())
        text = render_to_string(f"emails/{name}.txt", full)
        html = render_to_string(f"emails/{name}.html", full)
    return subject, text, html


def send_email(
    name: str,
    *,
    to: list[str],
    context: dict[str, Any],
    language: str | None = None,
    headers: dict[str, str] | None = None,
) -> int:
    """Render and send now. Use `core.tasks.send_email_task` to send from a request."""
    subject, text, html = render_email(name, context, language or settings.LANGUAGE_CODE)
    message = EmailMultiAlternatives(
        subject, text, settings.DEFAULT_FROM_EMAIL, to, headers=headers
    )
    message.attach_alternative(html, "text/html")
    return message.send()
