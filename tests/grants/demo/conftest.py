"""The demo, seeded once per module: `seed_demo` takes seconds (eight dossiers are rendered), and
every test here only reads what it made (a test that writes does so inside its own rolled-back
transaction). The data is committed outside the tests' transactions and flushed afterwards."""

from __future__ import annotations

import time
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        out = StringIO()
        started = time.monotonic()
        call_command("seed_demo", stdout=out)
        try:
            yield SimpleNamespace(output=out.getvalue(), seconds=time.monotonic() - started)
        finally:
            call_command("flush", interactive=False, verbosity=0)
