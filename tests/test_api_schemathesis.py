"""API robustness: schemathesis drives every operation of /api/schema/ as a consultant.

Zero server errors, and every response with a documented status must match the schema. Bounded
(examples per operation) so `make test` finishes in minutes. It covers routes added later
automatically: they are read from the schema.

Two runs: one with the generated path parameters as they come (mostly unknown ids: the 404 and
400 paths), and one in which every `{id}` or `{code}` names a real object the consultant may see
(a company, project with cost lines, application with a document, call, ready dossier,
programme), so the detail, update and transition paths run on real rows with generated bodies.
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


@pytest.fixture
def seeded(cast):
    """Real objects of each kind the API addresses by id, visible to the consultant."""
    from tests.factories import (
        ApplicationFactory,
        CallFactory,
        CostLineFactory,
        DocumentSlotFactory,
        ProgrammeFactory,
        ProjectFactory,
    )
    from tests.grants.dossiers.factories import DocumentFactory, DossierFactory

    programme = ProgrammeFactory(code="schemathesis_programme")
    slot = DocumentSlotFactory(programme=programme)
    call = CallFactory(programme=programme)
    project = ProjectFactory(company=cast.company)
    CostLineFactory(project=project, kind="rd_investment")
    CostLineFactory(project=project, kind="compute_lease", months=6)
    application = ApplicationFactory(project=project, programme=programme, call=call)
    document = DocumentFactory(application=application, slot=slot)
    dossier = DossierFactory(application=application, ready=True)
    return {
        "/api/v1/applications/": application.pk,
        "/api/v1/calls/": call.pk,
        "/api/v1/companies/": cast.company.pk,
        "/api/v1/documents/": document.pk,
        "/api/v1/dossiers/": dossier.pk,
        "/api/v1/programmes/": programme.code,
        "/api/v1/projects/": project.pk,
    }


schema = _load_schema()

HEADERS_CHECKS = {
    "checks": [not_a_server_error, response_schema_conformance, content_type_conformance],
}


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
        **HEADERS_CHECKS,
    )


@schema.include(path_regex=r"\{").parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_the_api_on_real_objects_never_errors_and_matches_its_schema(
    case, consultant_token, seeded
):
    parameters = case.path_parameters
    prefix = next(p for p in seeded if case.path.startswith(p))
    for name in parameters:
        parameters[name] = seeded[prefix]
    case.call_and_validate(
        headers={"Authorization": f"Token {consultant_token}", "Host": "localhost"},
        **HEADERS_CHECKS,
    )
