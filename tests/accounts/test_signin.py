"""Sign-in: lockout after repeated failures, Argon2 hashes, sessions that end."""

import datetime as dt
import json
import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.models import Session
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from accounts.client_address import client_address
from accounts.sessions import SessionLimits, Verdict, session_verdict
from tests.test_security import _production, _run

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests"


def _sign_in(client, username, password=PASSWORD, address="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def _signed_in(client) -> bool:
    return client.get(reverse("home")).status_code == 200


# --- lockout ---------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_account_even_for_the_right_password(client, make_user):
    make_user(username="ian")
    statuses = [_sign_in(client, "ian", "wrong").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 200]

    fifth = _sign_in(client, "ian", "wrong")
    assert fifth.status_code == 429
    assert fifth["Retry-After"] == "900"
    page = fifth.content.decode()
    assert "Too many failed sign-in attempts (5 in a row)" in page
    assert "please try again in 15 minutes" in page

    right = _sign_in(client, "ian")
    assert right.status_code == 429
    assert not _signed_in(client)


def test_an_account_is_locked_for_every_client_address(make_user):
    make_user(username="ian")
    for n in range(5):
        _sign_in(Client(), "ian", "wrong", address=f"10.0.1.{n}")
    client = Client()
    assert _sign_in(client, "ian", address="10.0.2.1").status_code == 429
    assert not _signed_in(client)


def test_a_client_address_is_locked_for_every_username(make_user):
    make_user(username="ian")
    for n in range(5):
        _sign_in(Client(), f"guess{n}", "wrong", address="10.0.3.1")
    assert _sign_in(Client(), "ian", address="10.0.3.1").status_code == 429
    # Someone else, elsewhere, signs in as usual.
    elsewhere = Client()
    assert _sign_in(elsewhere, "ian", address="10.0.3.2").status_code == 302
    assert _signed_in(elsewhere)


def test_signing_in_to_ones_own_account_does_not_reset_the_count_against_another(make_user):
    make_user(username="ian")
    make_user(username="mallory")
    for _ in range(4):
        _sign_in(Client(), "ian", "wrong", address="10.0.5.1")
    assert _sign_in(Client(), "mallory", address="10.0.5.1").status_code == 302
    assert _sign_in(Client(), "ian", "wrong", address="10.0.5.1").status_code == 429


def _without_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def test_an_unknown_username_is_refused_exactly_like_a_known_one(make_user):
    make_user(username="ian")
    pages = {}
    for username, address in (("ian", "10.0.4.1"), ("nobody-by-this-name", "10.0.4.2")):
        client = Client()
        responses = [_sign_in(client, username, "wrong", address) for _ in range(6)]
        pages[username] = [
            (r.status_code, _without_csrf(r.content.decode()).replace(username, "<name>"))
            for r in responses
        ]
    assert pages["ian"] == pages["nobody-by-this-name"]
    assert [status for status, _ in pages["ian"]] == [200] * 4 + [429] * 2


def test_after_the_cool_off_the_right_password_signs_in(client, make_user):
    make_user(username="ian")
    for _ in range(5):
        _sign_in(client, "ian", "wrong")
    AccessAttempt.objects.update(attempt_time=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    assert _sign_in(client, "ian").status_code == 302
    assert _signed_in(client)


def test_an_admin_lifts_a_lockout_in_django_admin(client, client_for, make_user):
    make_user(username="ian")
    for _ in range(5):
        _sign_in(client, "ian", "wrong")
    attempt = AccessAttempt.objects.get(username="ian")
    admin = client_for(make_user(is_staff=True, is_superuser=True))
    listing = admin.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200
    assert "ian" in listing.content.decode()
    admin.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})

    assert _sign_in(client, "ian").status_code == 302
    assert _signed_in(client)


@override_settings(KEEL_TRUSTED_PROXY_COUNT=1)
def test_behind_the_proxy_the_address_it_appended_is_the_clients():
    request = RequestFactory().post(
        "/", REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7"
    )
    # 1.2.3.4 came from the client itself: changing it must not dodge the lockout.
    assert client_address(request) == "203.0.113.7"
    assert client_address(RequestFactory().post("/", REMOTE_ADDR="10.9.9.9")) == "10.9.9.9"


def test_without_a_proxy_forwarded_headers_are_ignored():
    request = RequestFactory().post("/", REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_address(request) == "10.9.9.9"


# --- password hashes -------------------------------------------------------------

_PRINT_SIGNIN_SETTINGS = (
    "import django, json; django.setup(); from django.conf import settings as s;"
    "print(json.dumps([s.PASSWORD_HASHERS, s.AXES_FAILURE_LIMIT,"
    " s.AXES_COOLOFF_TIME.total_seconds(), s.SESSION_IDLE_SECONDS, s.SESSION_COOKIE_AGE,"
    " s.KEEL_TRUSTED_PROXY_COUNT]))"
)


def _production_settings(tmp_path, **env):
    result = _run(["-c", _PRINT_SIGNIN_SETTINGS], **_production(tmp_path, **env))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_puts_argon2_first_and_rehashes_a_pbkdf2_password_at_sign_in(
    tmp_path, client, make_user
):
    hashers, *_ = _production_settings(tmp_path)
    assert hashers[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in hashers

    with override_settings(PASSWORD_HASHERS=hashers):
        user = make_user(username="old-timer")
        user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
        user.save(update_fields=["password"])

        assert _sign_in(client, "old-timer").status_code == 302
        user.refresh_from_db()
        assert user.password.startswith("argon2$")
        assert user.check_password(PASSWORD)


def test_production_sign_in_and_session_limits_and_their_environment(tmp_path):
    assert _production_settings(tmp_path)[1:] == [5, 900.0, 8 * 3600, 14 * 24 * 3600, 1]
    tuned = _production_settings(
        tmp_path,
        KEEL_SIGNIN_FAILURE_LIMIT="10",
        KEEL_SIGNIN_COOLOFF_MINUTES="30",
        KEEL_SESSION_IDLE_SECONDS="3600",
        KEEL_SESSION_MAX_AGE_SECONDS="86400",
        KEEL_TRUSTED_PROXY_COUNT="2",
    )
    assert tuned[1:] == [10, 1800.0, 3600, 86400, 2]


# --- sessions --------------------------------------------------------------------


def _session_row() -> tuple[str, dt.datetime]:
    session = Session.objects.get()
    return session.session_data, session.expire_date


def test_a_session_ends_after_eight_idle_hours(client_for, make_user, shifted_clock):
    client = client_for(make_user("Engineer"))
    shifted_clock.advance(dt.timedelta(hours=7, minutes=59))
    assert _signed_in(client)
    shifted_clock.advance(dt.timedelta(hours=7, minutes=59))
    assert _signed_in(client)

    shifted_clock.advance(dt.timedelta(hours=8))
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert "signed out after 8 hours without activity" in response.content.decode()
    assert not _signed_in(client)


@override_settings(SESSION_COOKIE_AGE=24 * 3600)
def test_activity_does_not_keep_a_session_past_its_absolute_age(
    client_for, make_user, shifted_clock
):
    client = client_for(make_user("Engineer"))
    for _ in range(3):
        shifted_clock.advance(dt.timedelta(hours=7))
        assert _signed_in(client)
    shifted_clock.advance(dt.timedelta(hours=3))
    response = client.get(reverse("home"), follow=True)
    assert "reached its maximum age of 24 hours" in response.content.decode()
    assert not _signed_in(client)


def test_requests_a_few_minutes_apart_do_not_write_the_session(
    client_for, make_user, shifted_clock
):
    client = client_for(make_user("Engineer"))
    before = _session_row()
    for _ in range(4):
        shifted_clock.advance(dt.timedelta(minutes=1))
        assert _signed_in(client)
    assert _session_row() == before
    shifted_clock.advance(dt.timedelta(minutes=2))
    assert _signed_in(client)
    assert _session_row() != before


def test_session_expiry_rule():
    limits = SessionLimits(max_age=1000, idle=100, touch=10)

    def verdict(signed_in_at, last_seen, now):
        return session_verdict(
            signed_in_at=signed_in_at, last_seen=last_seen, now=now, limits=limits
        )

    assert verdict(None, None, 5) is Verdict.START
    assert verdict(0, 0, 9) is Verdict.KEEP
    assert verdict(0, 0, 10) is Verdict.TOUCH
    assert verdict(0, 0, 99) is Verdict.TOUCH
    assert verdict(0, 0, 100) is Verdict.IDLE
    assert verdict(0, 950, 999) is Verdict.TOUCH
    assert verdict(0, 995, 1000) is Verdict.TOO_OLD
