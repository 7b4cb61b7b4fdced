"""Keyboard users: the skip link comes first, and after a submit focus lands on
the answer (the first field with an error, the error summary, or the message)."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

ACTIVE = """() => {
  const el = document.activeElement;
  return {
    id: el.id, tag: el.tagName, text: el.textContent.trim(),
    invalid: el.getAttribute("aria-invalid") === "true" || el.classList.contains("is-invalid"),
    width: el.getBoundingClientRect().width,
  };
}"""


def test_tab_from_page_load_reaches_the_skip_link_first_and_it_jumps_to_main(page, login):
    UserFactory(username="rita", roles=["Recruiter"])
    login(page, "rita")
    page.goto("/hiring/candidates/")
    skip = page.get_by_role("link", name="Skip to main content")
    # Visually hidden (a 1 px clip) until it has focus, then drawn in full.
    assert skip.bounding_box()["width"] <= 1

    page.keyboard.press("Tab")
    focused = page.evaluate(ACTIVE)
    assert focused["text"] == "Skip to main content"
    assert focused["width"] > 100
    page.screenshot(path=str(ARTIFACTS / "skip-link-focused.png"))

    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # The next Tab goes into the page's content, past the navigation.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")


def test_every_page_has_one_main_landmark_named_main(page, login):
    UserFactory(username="rita", roles=["Recruiter"])
    for path in ("/accounts/login/", "/accounts/password_reset/"):
        page.goto(path)
        assert page.locator("main#main").count() == 1
    login(page, "rita")
    page.goto("/hiring/candidates/new/")
    assert page.locator("main#main").count() == 1


def test_after_a_submit_with_errors_focus_is_on_the_first_invalid_field(page, login):
    UserFactory(username="rita", roles=["Recruiter"])
    login(page, "rita")
    page.goto("/hiring/candidates/new/")
    page.get_by_role("button", name="Create candidate and loop").click()
    page.wait_for_load_state()

    first_invalid = page.locator("main [aria-invalid='true'], main .is-invalid").first
    expect(first_invalid).to_be_visible()
    focused = page.evaluate(ACTIVE)
    assert focused["invalid"]
    assert focused["id"] == first_invalid.get_attribute("id")


def test_after_a_refused_sign_in_focus_is_on_the_error_summary(page):
    UserFactory(username="rita", roles=["Recruiter"])
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("rita")
    page.get_by_label("Password").fill("not-her-password")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()

    focused = page.evaluate(ACTIVE)
    assert "Please enter a correct username and password" in focused["text"]


def test_after_a_successful_submit_focus_is_on_the_message(page, login):
    UserFactory(username="rita", roles=["Recruiter"])
    login(page, "rita")
    page.goto("/hiring/candidates/new/")
    page.get_by_label("Candidate name").fill("Grace Hopper")
    page.get_by_label("Candidate email").fill("grace@example.com")
    page.get_by_label("Role profile").select_option(index=1)
    page.get_by_label("Interview method").select_option(index=1)
    page.get_by_role("button", name="Create candidate and loop").click()
    page.wait_for_load_state()
    messages = page.locator("[data-focus-after-submit]")
    expect(messages).to_be_visible()
    assert page.evaluate(
        "document.activeElement === document.querySelector('[data-focus-after-submit]')"
    )
