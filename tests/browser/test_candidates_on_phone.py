"""A recruiter reads the candidate list on a phone."""

import pytest
from playwright.sync_api import expect

from tests.factories import InterviewLoopFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_candidate_list_fits_a_phone_with_role_and_method_under_the_name(
    phone_page, login, screenshot
):
    recruiter = UserFactory(username="rita", roles=["Recruiter"])
    InterviewLoopFactory(
        recruiters=[recruiter],
        candidate__name="Alexandra Rivera-Montgomery",
        candidate__email="alexandra.rivera-montgomery@candidate.example",
        status="debrief",
        method="combined",
    )

    login(phone_page, "rita")
    phone_page.goto("/hiring/candidates/")
    expect(phone_page.get_by_role("link", name="Alexandra Rivera-Montgomery")).to_be_visible()
    expect(phone_page.get_by_text("· Combined STAR-L + system design")).to_be_visible()
    expect(phone_page.get_by_text("Ready for debrief")).to_be_visible()
    screenshot(phone_page, "candidates-phone")
    # The table fitted 713 px of columns into 366: Method and Status were off screen.
    widths = phone_page.locator(".table-responsive").evaluate(
        "el => [el.scrollWidth, el.clientWidth]"
    )
    assert widths[0] <= widths[1]
