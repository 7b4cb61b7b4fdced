"""Signing in with the company's OpenID Connect provider, against a real local provider."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
import requests
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client
from django.urls import reverse

from accounts.oidc import parse_role_map, roles_for_groups

from .oidc_provider import FakeProvider

pytestmark = pytest.mark.django_db

User = get_user_model()

ALICE = {
    "sub": "00u-alice",
    "email": "alice@example.com",
    "email_verified": True,
    "given_name": "Alice",
    "family_name": "Okafor",
    "preferred_username": "alice",
}


@pytest.fixture
def provider(settings):
    fake = FakeProvider(claims=dict(ALICE)).start()
    for name, value in fake.settings().items():
        setattr(settings, name, value)
    yield fake
    fake.stop()


def sso_sign_in(client: Client, provider: FakeProvider, next_url: str = ""):
    """The browser's round trip: Keel → provider → Keel's callback."""
    start_url = reverse("oidc_authentication_init") + (f"?next={next_url}" if next_url else "")
    start = client.get(start_url)
    assert start.status_code == 302
    assert start["Location"].startswith(f"{provider.url}/authorize?")
    asked = parse_qs(urlparse(start["Location"]).query)
    assert asked["code_challenge_method"] == ["S256"]
    assert asked["nonce"]
    assert asked["state"]
    back = requests.get(start["Location"], allow_redirects=False, timeout=5)
    callback = urlparse(back.headers["Location"])
    assert callback.path == reverse("oidc_authentication_callback")
    return client.get(f"{callback.path}?{callback.query}")


def signed_in_user(client: Client):
    response = client.get(reverse("home"))
    return response.wsgi_request.user if response.status_code == 200 else None


# --- the sign-in page -------------------------------------------------------


def test_the_sign_in_page_offers_the_provider_beside_the_password(client, provider):
    page = client.get(reverse("login") + "?next=/hiring/").content.decode()
    assert "Sign in with Acme SSO" in page
    assert f"{reverse('oidc_authentication_init')}?next=/hiring/" in page
    assert 'name="password"' in page


def test_without_a_client_id_there_is_no_button_and_no_endpoint(client, settings):
    settings.OIDC_RP_CLIENT_ID = ""
    assert "Sign in with" not in client.get(reverse("login")).content.decode()
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    callback = reverse("oidc_authentication_callback") + "?code=x&state=y"
    assert client.get(callback).status_code == 404


def test_password_sign_in_still_works_when_single_sign_on_is_on(client, provider, make_user):
    make_user(username="ian", password="pw-for-tests")
    response = client.post(reverse("login"), {"username": "ian", "password": "pw-for-tests"})
    assert response.status_code == 302
    assert signed_in_user(client).username == "ian"


# --- who signs in -----------------------------------------------------------


def test_a_new_person_gets_an_account_with_their_name_and_mapped_roles(client, provider, settings):
    settings.KEEL_OIDC_ROLES = "eng-managers=Manager,talent=Recruiter"
    provider.claims["groups"] = ["eng-managers", "everyone"]
    response = sso_sign_in(client, provider, next_url="/team-health/")
    assert response.status_code == 302
    assert response["Location"] == "/team-health/"
    user = signed_in_user(client)
    assert (user.username, user.email, user.get_full_name()) == (
        "alice",
        "alice@example.com",
        "Alice Okafor",
    )
    assert user.oidc_subject == "00u-alice"
    assert not user.has_usable_password()
    assert set(user.groups.values_list("name", flat=True)) == {"Manager"}
    assert not user.is_staff
    assert not user.is_superuser


def test_the_same_subject_signs_in_to_the_same_account_even_with_a_new_email(client, provider):
    sso_sign_in(client, provider)
    provider.claims["email"] = "alice.okafor@example.com"
    again = Client()
    sso_sign_in(again, provider)
    assert User.objects.filter(oidc_subject="00u-alice").count() == 1
    assert signed_in_user(again).username == "alice"


def test_an_existing_account_is_linked_by_verified_email(client, provider, make_user):
    existing = make_user("Interviewer", username="aokafor", email="Alice@Example.com")
    sso_sign_in(client, provider)
    assert signed_in_user(client).pk == existing.pk
    existing.refresh_from_db()
    assert existing.oidc_subject == "00u-alice"
    # No groups claim: the roles admins gave stay.
    assert set(existing.groups.values_list("name", flat=True)) == {"Interviewer"}


def test_an_unverified_email_never_takes_over_an_existing_account(client, provider, make_user):
    existing = make_user("Director", username="aokafor", email="alice@example.com")
    provider.claims["email_verified"] = False
    sso_sign_in(client, provider)
    user = signed_in_user(client)
    assert user.pk != existing.pk
    assert not user.groups.exists()
    existing.refresh_from_db()
    assert existing.oidc_subject is None


def test_an_account_linked_to_another_subject_is_not_taken_by_email(client, provider, make_user):
    make_user("Director", username="aokafor", email="alice@example.com", oidc_subject="00u-other")
    sso_sign_in(client, provider)
    user = signed_in_user(client)
    assert user.username != "aokafor"
    assert not user.has_role("Director")


def test_the_groups_claim_sets_exactly_the_mapped_roles(client, provider, make_user, settings):
    settings.KEEL_OIDC_ROLES = "eng-managers=Manager,interviewers=Interviewer"
    existing = make_user("Director", "Interviewer", email="alice@example.com")
    provider.claims["groups"] = ["eng-managers"]
    sso_sign_in(client, provider)
    assert set(existing.groups.values_list("name", flat=True)) == {"Manager"}


def test_without_a_map_groups_named_like_roles_are_those_roles(client, provider):
    provider.claims["groups"] = ["engineer", "Director", "payroll"]
    sso_sign_in(client, provider)
    assert set(signed_in_user(client).groups.values_list("name", flat=True)) == {
        "Engineer",
        "Director",
    }


def test_a_deactivated_person_cannot_sign_in(client, provider, make_user):
    make_user(email="alice@example.com", oidc_subject="00u-alice", is_active=False)
    response = sso_sign_in(client, provider)
    assert response["Location"] == reverse("login")
    assert signed_in_user(client) is None


def test_creating_accounts_can_be_turned_off(client, provider, settings):
    settings.OIDC_CREATE_USER = False
    response = sso_sign_in(client, provider)
    assert response["Location"] == reverse("login")
    assert not User.objects.filter(oidc_subject="00u-alice").exists()


# --- what is refused --------------------------------------------------------


@pytest.mark.parametrize(
    ("attribute", "value"),
    [
        pytest.param("audience", "another-app", id="token-for-another-client"),
        pytest.param("sign_with_other_key", True, id="signed-with-another-key"),
        pytest.param("issuer_override", "https://evil.example", id="another-issuer"),
        pytest.param("lifetime", -3600, id="expired-token"),
        pytest.param("userinfo_subject", "00u-mallory", id="userinfo-of-someone-else"),
    ],
)
def test_a_token_that_does_not_check_out_signs_nobody_in(client, provider, attribute, value):
    setattr(provider, attribute, value)
    response = sso_sign_in(client, provider)
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert signed_in_user(client) is None
    assert not User.objects.filter(oidc_subject__isnull=False).exists()
    page = client.get(reverse("login")).content.decode()
    assert "Signing in with Acme SSO did not work" in page


def test_a_replayed_callback_signs_nobody_in(client, provider):
    start = client.get(reverse("oidc_authentication_init"))
    back = requests.get(start["Location"], allow_redirects=False, timeout=5)
    callback = urlparse(back.headers["Location"])
    assert client.get(f"{callback.path}?{callback.query}")["Location"] == "/"
    client.post(reverse("logout"))
    # The same code and state again, in another browser and in the first one.
    for browser in (Client(), client):
        response = browser.get(f"{callback.path}?{callback.query}")
        assert response.status_code == 302
        assert response["Location"] == reverse("login")
        assert signed_in_user(browser) is None


def test_a_provider_that_is_down_is_a_message_not_an_error(client, provider):
    start = client.get(reverse("oidc_authentication_init"))
    back = requests.get(start["Location"], allow_redirects=False, timeout=5)
    callback = urlparse(back.headers["Location"])
    provider.stop()
    response = client.get(f"{callback.path}?{callback.query}")
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert "did not work" in client.get(reverse("login")).content.decode()


def test_the_provider_refusing_to_sign_in_is_a_message(client, provider):
    client.get(reverse("oidc_authentication_init"))
    response = client.get(reverse("oidc_authentication_callback") + "?error=access_denied")
    assert response["Location"] == reverse("login")
    assert signed_in_user(client) is None


# --- configuration ----------------------------------------------------------


def test_role_map_parsing():
    assert parse_role_map(" eng-managers = manager , a=b=Director,") == {
        "eng-managers": "Manager",
        "a=b": "Director",
    }
    with pytest.raises(ValueError, match="'Wizard' is not a Keel role"):
        parse_role_map("eng=Wizard")
    with pytest.raises(ValueError, match="not 'provider-group=Role'"):
        parse_role_map("eng-managers")
    assert roles_for_groups(["x", "eng"], {"eng": "Engineer"}) == {"Engineer"}
    assert roles_for_groups(["ADMIN", "x"], {}) == {"Admin"}


def test_half_configured_single_sign_on_stops_keel_with_the_variable_named(settings):
    settings.OIDC_RP_CLIENT_ID = "keel"
    settings.OIDC_OP_TOKEN_ENDPOINT = ""
    with pytest.raises(SystemCheckError, match="KEEL_OIDC_TOKEN_ENDPOINT is required"):
        call_command("check")


def test_an_unknown_role_in_the_map_stops_keel(settings):
    settings.KEEL_OIDC_ROLES = "eng=Wizard"
    with pytest.raises(SystemCheckError, match="KEEL_OIDC_ROLES"):
        call_command("check")


def test_admins_see_who_is_linked_to_the_provider_and_cannot_edit_it(client, provider, make_user):
    sso_sign_in(client, provider)
    alice = User.objects.get(oidc_subject="00u-alice")
    admin = Client()
    admin.force_login(make_user(is_staff=True, is_superuser=True))
    page = admin.get(reverse("admin:accounts_user_change", args=[alice.pk])).content.decode()
    assert "00u-alice" in page
    assert 'name="oidc_subject"' not in page
