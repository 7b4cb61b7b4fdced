import hashlib

import pytest
from django.test import Client

from teamhealth.models import Alert, IntegrationToken, MetricValue
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db

URL = "/api/teamhealth/metric-values/"
TOKEN = "secret-token-for-tests"


@pytest.fixture
def team():
    return TeamFactory(name="Backend Payments")


@pytest.fixture
def token():
    return IntegrationToken.objects.create(
        name="Grafana exporter",
        token_hash=hashlib.sha256(TOKEN.encode()).hexdigest(),
        prefix=TOKEN[:8],
        all_teams=True,
    )


def post(payload, token=TOKEN, **headers):
    if token is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return Client().post(URL, payload, content_type="application/json", **headers)


GOOD = {"team": "backend-payments", "metric": "oncall_hours", "period": "2026-11-25", "value": 12.5}


def test_a_token_records_a_value_and_the_team_is_evaluated(
    team, token, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(GOOD)
    assert response.status_code == 201
    assert response.json() == {
        "team": "backend-payments",
        "metric": "oncall_hours",
        "period_start": "2026-11-16",
        "value": "12.50",
        "source": "api",
        "entered_via": "API: Grafana exporter",
    }
    value = MetricValue.objects.get()
    assert (value.source, value.entered_via) == ("api", "API: Grafana exporter")
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert Alert.objects.get().subject == "oncall_hours"  # evaluated once committed


@pytest.mark.parametrize(
    ("token", "header", "message"),
    [
        (None, None, "Authentication credentials were not provided"),
        ("wrong", None, "unknown or has been revoked"),
        (None, "Token abc", "Authorization: Bearer <token>"),
        (None, "Bearer ", "Authorization: Bearer <token>"),
    ],
)
def test_requests_without_a_valid_token_get_401(team, token, header, message):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = post(GOOD, token=token if token else None, **extra)
    assert response.status_code == 401
    assert message in response.json()["detail"]
    assert response["WWW-Authenticate"] == "Bearer"
    assert not MetricValue.objects.exists()


def test_a_revoked_token_gets_401(team, token):
    token.active = False
    token.save()
    assert post(GOOD).status_code == 401


def test_a_token_limited_to_other_teams_gets_404_for_this_one(team, token):
    token.all_teams = False
    token.save()
    token.teams.add(TeamFactory())
    response = post(GOOD)
    assert response.status_code == 404
    assert "backend-payments" in response.json()["detail"]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"metric": "happiness"}, "metric", "not a valid choice"),
        ({"value": "twelve"}, "value", "valid number"),
        ({"value": -1}, "value", "greater than or equal to 0"),
        ({"metric": "turnover", "value": 101}, "value", "between 0 and 100"),
        ({"period": "25/11/2026"}, "period", "Date has wrong format"),
        ({"team": None}, "team", "may not be null"),
    ],
)
def test_bad_input_gets_400_naming_the_field(team, token, change, field, message):
    response = post({**GOOD, **change})
    assert response.status_code == 400
    assert message in " ".join(response.json()[field])
    assert not MetricValue.objects.exists()


def test_malformed_json_gets_400(team, token):
    response = Client().post(
        URL, "{not json", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {TOKEN}"
    )
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


def test_the_openapi_schema_describes_the_endpoint_and_its_errors(token):
    response = Client().get(
        "/api/schema/",
        HTTP_ACCEPT="application/vnd.oai.openapi+json",
        HTTP_AUTHORIZATION=f"Bearer {TOKEN}",
    )
    assert response.status_code == 200
    schema = response.json() if "json" in response["Content-Type"] else None
    if schema is None:
        import yaml

        schema = yaml.safe_load(response.content)
    operation = schema["paths"]["/api/teamhealth/metric-values/"]["post"]
    assert set(operation["responses"]) == {"201", "400", "401", "403", "404"}
    assert schema["components"]["securitySchemes"]["integrationToken"]["scheme"] == "bearer"


def test_the_schema_needs_a_token_or_a_signed_in_person(token, client, make_user):
    anonymous = client.get("/api/schema/")
    assert anonymous.status_code == 401
    assert b"Authentication credentials were not provided" in anonymous.content
    assert client.get("/api/schema/", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401

    client.force_login(make_user("Engineer"))
    assert client.get("/api/schema/").status_code == 200


def test_team_list_shows_the_teams_a_token_may_write_to(team, token):
    response = Client().get("/api/teamhealth/teams/", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.json() == [{"slug": "backend-payments", "name": "Backend Payments"}]


def test_a_token_whose_teams_were_all_deleted_writes_nothing_and_says_why(team, token):
    token.all_teams = False
    token.save()
    gone = TeamFactory(name="Old Team")
    token.teams.add(gone)
    gone.delete()

    response = post(GOOD)

    assert response.status_code == 403
    assert "none of them exists any more" in response.json()["detail"]
    assert not MetricValue.objects.exists()
    listed = Client().get("/api/teamhealth/teams/", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert listed.json() == []


def test_an_all_teams_token_writes_to_teams_created_after_it(token):
    TeamFactory(name="Backend Payments")
    assert post(GOOD).status_code == 201


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_json_nested_too_deep_gets_400_and_stores_nothing(team, token, depth):
    response = Client().post(
        URL,
        "[" * depth + "]" * depth,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {TOKEN}",
    )
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]
    assert not MetricValue.objects.exists()


def test_a_body_over_the_upload_limit_gets_400(team, token, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    response = post(GOOD | {"team": "x" * 2_000})
    assert response.status_code == 400
    assert not MetricValue.objects.exists()
