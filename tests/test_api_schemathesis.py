"""API robustness: schemathesis drives every operation of /api/schema/ as a consultant.

Zero server errors, and every response with a documented status must match the schema. Bounded
(examples per operation) so `make test` finishes in minutes. It covers routes added later
automatically: they are read from the schema.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
)

pytestmark = [pytest.mark.schemathesis, pytest.mark.django_db]

MAX_EXAMPLES = 25


def _load_schema():
    from config.wsgi import application

    # Generating the schema needs no database: it is read from the code at collection time.
    return schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.fixture(autouse=True)
def keep_test_connection():
    """As Django's test client does: keep the test's connection (and its transaction) open
    across the in-process WSGI requests."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def consultant_token(cast):
    from rest_framework.authtoken.models import Token

    token, _ = Token.objects.get_or_create(user=cast.consultant)
    return token.key


schema = _load_schema()


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_the_api_never_errors_and_matches_its_schema(case, consultant_token):
    case.call_and_validate(
        headers={"Authorization": f"Token {consultant_token}", "Host": "localhost"},
        checks=[not_a_server_error, response_schema_conformance, content_type_conformance],
    )
