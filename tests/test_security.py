"""Security headers: the strict Content-Security-Policy on every page, and a
production configuration that ``manage.py check --deploy`` finds nothing in."""

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[1]

EXPECTED_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "object-src": ["'none'"],
}


def _policy(response) -> dict[str, list[str]]:
    directives = (part.split() for part in response["Content-Security-Policy"].split(";"))
    return {name: values for name, *values in directives}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "who"),
    [
        ("/accounts/login/", None),
        ("/", "engineer"),
        ("/admin/", "admin"),
        ("/admin/teamhealth/threshold/", "admin"),
        ("/api/schema/", "engineer"),
        ("/no-such-page/", "engineer"),
    ],
)
def test_every_response_carries_the_strict_content_security_policy(client, path, who):
    if who == "admin":
        client.force_login(UserFactory(is_staff=True, is_superuser=True))
    elif who:
        client.force_login(UserFactory(roles=["Engineer"]))

    response = client.get(path)

    assert response.status_code in {200, 404}
    assert _policy(response) == EXPECTED_POLICY
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "Content-Security-Policy-Report-Only" not in response


@pytest.mark.django_db
def test_pages_cannot_be_framed_sniffed_or_leak_their_url(client):
    response = client.get("/accounts/login/")

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/accounts/login/", "/api/schema/", "/api/teamhealth/teams/", "/no-such-page/"]
)
def test_every_response_denies_the_browser_features_keel_never_uses(client, path):
    response = client.get(path)

    policy = dict(part.split("=", 1) for part in response["Permissions-Policy"].split(", "))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "interest-cohort"):
        assert policy[feature] == "()"


def _run(args: list[str], **env) -> subprocess.CompletedProcess:
    # Not the test run's own settings; nor DJANGO_ALLOW_ASYNC_UNSAFE, which the
    # browser tests set and check --deploy rightly warns about.
    ignored = {
        "DATABASE_URL",
        "DJANGO_SETTINGS_MODULE",
        "CELERY_BROKER_URL",
        "EMAIL_URL",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    }
    environment = {k: v for k, v in os.environ.items() if k not in ignored}
    environment.update(env)
    return subprocess.run(  # noqa: S603 - fixed interpreter and arguments
        [sys.executable, *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _production(tmp_path, **env) -> dict[str, str]:
    alphabet = string.ascii_letters + string.digits
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(50)),
        "ALLOWED_HOSTS": "keel.example.com",
        "KEEL_SECRETS_KEYS": "yZ6V0d8s6wz2p3B5sPpJm1n2kQ9vT4uX7cR0aL8eH3o=",
        "KEEL_VAR_DIR": str(tmp_path),
        **env,
    }


def test_production_passes_check_deploy_without_a_warning(tmp_path):
    result = _run(["manage.py", "check", "--deploy"], **_production(tmp_path))

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNINGS" not in result.stderr + result.stdout


_PRINT_SETTINGS = (
    "import django; django.setup(); from django.conf import settings as s;"
    "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS,"
    " s.SECURE_HSTS_PRELOAD, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
)


def test_production_refuses_to_start_without_its_own_secrets_keys(tmp_path):
    result = _run(["manage.py", "check"], **_production(tmp_path, KEEL_SECRETS_KEYS=""))

    assert result.returncode != 0
    assert "KEEL_SECRETS_KEYS" in result.stderr


def test_production_defaults_to_https_only_with_a_year_of_hsts(tmp_path):
    result = _run(["-c", _PRINT_SETTINGS], **_production(tmp_path))

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "31536000", "True", "True", "True", "True"]


def test_production_https_settings_are_tunable_from_the_environment(tmp_path):
    result = _run(
        ["-c", _PRINT_SETTINGS],
        **_production(
            tmp_path,
            SECURE_SSL_REDIRECT="false",
            SECURE_HSTS_SECONDS="3600",
            SECURE_HSTS_INCLUDE_SUBDOMAINS="false",
            SECURE_HSTS_PRELOAD="false",
        ),
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "3600", "False", "False", "True", "True"]


def test_production_redirects_plain_http_and_sends_hsts_over_https(tmp_path):
    # "/" answers without templates or a database (over HTTPS: to the login page).
    code = (
        "import django; django.setup(); from django.test import Client;"
        "c = Client(HTTP_HOST='keel.example.com');"
        "plain = c.get('/');"
        "tls = c.get('/', HTTP_X_FORWARDED_PROTO='https');"
        "print(plain.status_code, plain['Location']);"
        "print(tls['Strict-Transport-Security'])"
    )
    result = _run(["-c", code], **_production(tmp_path))

    assert result.returncode == 0, result.stderr
    redirect, hsts = result.stdout.splitlines()
    assert redirect == "301 https://keel.example.com/"
    assert hsts == "max-age=31536000; includeSubDomains; preload"
