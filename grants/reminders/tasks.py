"""Celery tasks: the reminder sweep and digest sending."""
