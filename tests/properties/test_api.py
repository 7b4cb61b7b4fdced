"""The API against its own OpenAPI schema (drf-spectacular, /api/schema/), with a token:
whatever a client sends, the answer is one the schema documents, never a 500."""

from __future__ import annotations

import hashlib
import json

import pytest
import schemathesis
from drf_spectacular.generators import SchemaGenerator
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from teamhealth.models import IntegrationToken
from tests.factories import TeamFactory

from . import strategies
from .conftest import PROPERTIES

TOKEN = "generated-input-token"


# The schema as /api/schema/ serves it to a token holder, generated without a request:
# tests are collected before any database exists to check a token against.
schema = schemathesis.openapi.from_dict(
    json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True), default=str))
)
schema.app = application
schema.location = "/api/schema/"


@pytest.fixture
def token(db, wsgi_in_test_transaction):
    TeamFactory(name="Backend Payments", slug="backend-payments")
    return IntegrationToken.objects.create(
        name="generated",
        token_hash=hashlib.sha256(TOKEN.encode()).hexdigest(),
        prefix="gen",
        all_teams=True,
    )


@schema.parametrize()
@PROPERTIES
def test_every_operation_answers_as_documented_and_never_500(case, token):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {TOKEN}"},
        checks=[not_a_server_error, status_code_conformance, response_schema_conformance],
    )


SENSIBLE = {"team": "backend-payments", "metric": "oncall_hours", "period": "", "value": "5"}
EDGE_BODIES = [
    b"[" * 100_000 + b"]" * 100_000,
    b'{"team": ' * 5_000 + b"1" + b"}" * 5_000,
    b"\x00",
    b'{"team": "a\\u0000b"}',
    b"\xff\xfe",
]


def test_every_field_takes_each_edge_value_and_every_edge_body_without_an_error(token, client):
    from django.utils import timezone

    sensible = SENSIBLE | {"period": timezone.localdate().isoformat()}
    headers = {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}
    url = "/api/teamhealth/metric-values/"
    values = [*strategies.NASTY_TEXT, *(d.isoformat() for d in strategies.EDGE_DATES)]
    for name in sensible:
        for value in [*values, 1e308, -1, None, [], {}, True, 10**40]:
            body = sensible | {name: value}
            response = client.post(url, body, content_type="application/json", **headers)
            assert response.status_code in (201, 400, 404), (name, value, response.status_code)
    for raw in EDGE_BODIES:
        response = client.post(url, raw, content_type="application/json", **headers)
        assert response.status_code == 400, raw[:20]
