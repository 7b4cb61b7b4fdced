"""Rate limits: sign-in POSTs and survey links per client IP, the API per token."""

import hashlib
import logging

import pytest
from django.core.cache import cache
from django.test import Client

from accounts import throttle
from surveys.models import InvitationLink
from teamhealth.models import IntegrationToken, MetricValue

pytestmark = pytest.mark.django_db


@pytest.fixture
def tight(settings):
    settings.KEEL_RATE_LIMITS = {"sign_in": "3/m", "survey_link": "3/m", "api": "3/m"}


def _limited(response) -> bool:
    return response.status_code == 429 and 0 < int(response["Retry-After"]) <= 60


def test_a_burst_of_sign_in_attempts_gets_429_with_retry_after(tight, make_user):
    make_user(username="ada", password="right-password")
    client = Client()
    wrong = {"username": "ada", "password": "wrong"}

    answers = [client.post("/accounts/login/", wrong) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]  # the form, with its error

    fourth = client.post("/accounts/login/", {"username": "ada", "password": "right-password"})
    assert _limited(fourth)
    assert "Too many requests" in fourth.content.decode()
    # The page itself still opens; another address may still sign in.
    assert client.get("/accounts/login/").status_code == 200
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.post("/accounts/login/", wrong).status_code == 200


def test_the_admin_sign_in_shares_the_sign_in_limit(tight):
    client = Client()
    wrong = {"username": "ada", "password": "wrong"}
    assert [client.post("/accounts/login/", wrong).status_code for _ in range(2)] == [200, 200]
    assert client.post("/admin/login/", wrong).status_code == 200

    assert _limited(client.post("/admin/login/", wrong))
    assert client.get("/admin/login/").status_code == 200


def test_a_burst_of_survey_link_requests_gets_429_counted_by_ip_only(tight, caplog):
    client = Client()
    tokens = [f"guess-{n}" for n in range(4)]
    with caplog.at_level(logging.DEBUG):
        answers = [client.get(f"/surveys/a/{token}/") for token in tokens]

    assert [a.status_code for a in answers[:3]] == [200, 200, 200]
    assert _limited(answers[3])
    assert _limited(client.get("/surveys/answer/not-signed/"))  # same address, same count
    assert Client(REMOTE_ADDR="10.0.0.9").get("/surveys/answer/not-signed/").status_code == 200
    # Nothing of the links is kept: no row, no cache key or log line naming a token.
    assert not InvitationLink.objects.exists()
    keys = list(cache._cache.keys())  # type: ignore[attr-defined]
    assert keys
    for token in tokens:
        digest = hashlib.sha256(token.encode()).hexdigest()
        assert not any(token in key or digest in key for key in keys)
        assert not any(token in record.getMessage() for record in caplog.records)


def test_a_burst_of_api_requests_gets_429_per_token(tight):
    for name, secret in (("one", "token-one"), ("two", "token-two")):
        IntegrationToken.objects.create(
            name=name, token_hash=IntegrationToken.hash_of(secret), prefix=name, all_teams=True
        )

    def get(secret):
        return Client().get("/api/teamhealth/teams/", HTTP_AUTHORIZATION=f"Bearer {secret}")

    assert [get("token-one").status_code for _ in range(3)] == [200, 200, 200]
    fourth = Client().post(
        "/api/teamhealth/metric-values/",
        {},
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer token-one",
    )
    assert _limited(fourth)
    assert "Too many requests" in fourth.json()["detail"]
    assert not MetricValue.objects.exists()
    assert get("token-two").status_code == 200  # another integration is not held back


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "1.1.1.1", "127.0.0.1"),
        (1, "6.6.6.6, 2.2.2.2", "2.2.2.2"),
        (2, "6.6.6.6, 3.3.3.3, 2.2.2.2", "3.3.3.3"),
        (2, "2.2.2.2", "127.0.0.1"),
    ],
)
def test_the_client_ip_trusts_only_the_configured_proxies(
    settings, rf, proxies, forwarded, expected
):
    settings.KEEL_TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", HTTP_X_FORWARDED_FOR=forwarded)
    assert throttle.client_ip(request) == expected
