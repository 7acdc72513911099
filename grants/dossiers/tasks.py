"""Celery tasks: dossier generation."""
