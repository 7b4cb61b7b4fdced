"""Signing in with the company's identity provider in Chromium, desktop and phone."""

import re

import pytest
from playwright.sync_api import expect

from tests.accounts.oidc_provider import FakeProvider

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_a_manager_signs_in_with_the_company_account_and_lands_where_they_were_going(
    viewport, request, settings, screenshot
):
    page = request.getfixturevalue(viewport)
    suffix = "" if viewport == "page" else "-phone"
    provider = FakeProvider(
        claims={
            "sub": "00u-maya",
            "email": "maya@example.com",
            "email_verified": True,
            "given_name": "Maya",
            "family_name": "Lindqvist",
            "groups": ["eng-managers"],
        }
    ).start()
    try:
        for name, value in provider.settings(KEEL_OIDC_ROLES="eng-managers=Manager").items():
            setattr(settings, name, value)
        page.goto("/team-health/")
        expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/team-health/$"))
        sso = page.get_by_role("link", name="Sign in with Acme SSO")
        expect(sso).to_be_visible()
        expect(page.get_by_label("Password")).to_be_visible()
        screenshot(page, f"sign-in-with-provider{suffix}")

        sso.click()
        page.wait_for_url("**/team-health/")
        expect(page.get_by_text("Maya Lindqvist").first).to_be_attached()
        screenshot(page, f"signed-in-with-provider{suffix}")

        # A token meant for another application is refused with a message.
        page.context.clear_cookies()
        provider.audience = "another-app"
        page.goto("/accounts/login/")
        page.get_by_role("link", name="Sign in with Acme SSO").click()
        page.wait_for_url("**/accounts/login/")
        expect(page.get_by_text("Signing in with Acme SSO did not work")).to_be_visible()
        screenshot(page, f"sign-in-with-provider-refused{suffix}")
    finally:
        provider.stop()
