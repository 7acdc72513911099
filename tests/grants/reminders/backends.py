"""Test email backends."""

from __future__ import annotations

import smtplib

from django.core.mail.backends.locmem import EmailBackend


class FailOnceBackend(EmailBackend):
    """Fails like an SMTP server `failures` times, then delivers to mail.outbox."""

    failures = 0

    def send_messages(self, messages):
        if FailOnceBackend.failures > 0:
            FailOnceBackend.failures -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)
