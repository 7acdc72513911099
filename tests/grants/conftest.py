"""Fixtures of every grants test."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import translation


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language. A request by a user whose language is Chinese
    leaves Chinese active in the thread (the middleware activates it and nothing resets it),
    which would otherwise leak into the next test's in-process messages."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
