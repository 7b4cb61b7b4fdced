"""The API against its own OpenAPI schema (drf-spectacular, /api/schema/), with a token:
whatever a client sends, the answer is one the schema documents, never a 500."""

from __future__ import annotations

import hashlib

import pytest
import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from teamhealth.models import IntegrationToken
from tests.factories import TeamFactory

from .conftest import PROPERTIES

TOKEN = "generated-input-token"


# The schema view reads no database: loading it while tests are collected is safe.
schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.fixture
def token(db, wsgi_in_test_transaction):
    TeamFactory(name="Backend Payments", slug="backend-payments")
    return IntegrationToken.objects.create(
        name="generated", token_hash=hashlib.sha256(TOKEN.encode()).hexdigest(), prefix="gen"
    )


@schema.parametrize()
@PROPERTIES
def test_every_operation_answers_as_documented_and_never_500(case, token):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {TOKEN}"},
        checks=[not_a_server_error, status_code_conformance, response_schema_conformance],
    )
