"""A recruiter adds a candidate whose email is already on file."""

import pytest
from playwright.sync_api import expect

from hiring.models import Candidate
from tests.factories import InterviewLoopFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_recruiter_is_told_of_the_existing_record_and_creates_anyway(
    request, viewport, login, screenshot
):
    browser_page = request.getfixturevalue(viewport)
    recruiter = UserFactory(username="rita", roles=["Recruiter"])
    InterviewLoopFactory(
        recruiters=[recruiter],
        candidate__name="Aiyana Redcloud",
        candidate__email="aiyana.redcloud@example.com",
    )

    login(browser_page, "rita")
    browser_page.goto("/hiring/candidates/new/")
    browser_page.get_by_label("Candidate name").fill("Aiyana Redcloud")
    browser_page.get_by_label("Candidate email").fill(" Aiyana.Redcloud@Example.com")
    browser_page.get_by_label("Role profile").select_option(label="default")
    browser_page.get_by_label("Interview method").select_option(label="STAR-L framework")
    browser_page.get_by_role("button", name="Create candidate and loop").click()

    expect(
        browser_page.get_by_text("A candidate with this email is already on file.")
    ).to_be_visible()
    on_file = browser_page.get_by_test_id("duplicates")
    expect(on_file.get_by_role("link", name="default loop · Interviewing")).to_be_visible()
    screenshot(browser_page, f"candidate-duplicate-{viewport}")

    browser_page.get_by_label("This is a different person: create a new record anyway").check()
    browser_page.get_by_role("button", name="Create candidate and loop").click()
    expect(browser_page.get_by_text("Aiyana Redcloud added.")).to_be_visible()
    assert Candidate.objects.filter(email__iexact="aiyana.redcloud@example.com").count() == 2
