"""The small things on hiring pages: the loop's status, and a scorecard before its interview."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from hiring.models import InterviewLoop
from tests.factories import InterviewFactory, InterviewLoopFactory, UserFactory, submitted

pytestmark = pytest.mark.django_db(transaction=True)


def _loop_ready_for_debrief(recruiter):
    loop = InterviewLoopFactory(
        candidate__name="Morgan Chen",
        recruiters=[recruiter],
        status=InterviewLoop.Status.DEBRIEF,
    )
    interview = InterviewFactory(loop=loop, title="System design")
    submitted(interview, technical=Decimal(80), leadership=Decimal(75), culture=Decimal(70))
    return loop


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_adding_an_interview_takes_the_loop_back_to_interviewing(
    request, viewport, login, screenshot
):
    browser_page = request.getfixturevalue(viewport)
    recruiter = UserFactory(username="rita", roles=["Recruiter"])
    UserFactory(username="ian", first_name="Ian", last_name="Interviewer", roles=["Interviewer"])
    loop = _loop_ready_for_debrief(recruiter)

    login(browser_page, "rita")
    browser_page.goto(loop.get_absolute_url())
    header = browser_page.locator(".page-header")
    expect(header).to_contain_text("Ready for debrief")
    browser_page.get_by_label("Interview title").fill("Behavioural")
    browser_page.get_by_label("Interviewer").select_option(label="Ian Interviewer")
    browser_page.get_by_role("button", name="Add interview").click()

    expect(browser_page.get_by_text("Behavioural assigned to Ian Interviewer.")).to_be_visible()
    expect(header).to_contain_text("Interviewing")
    expect(header).not_to_contain_text("Ready for debrief")
    screenshot(browser_page, f"loop-back-to-interviewing-{viewport}")


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_scorecard_before_its_interview_says_when_it_can_be_submitted(
    request, viewport, login, screenshot
):
    browser_page = request.getfixturevalue(viewport)
    interviewer = UserFactory(username="ian", roles=["Interviewer"])
    interview = InterviewFactory(
        interviewer=interviewer,
        loop__candidate__name="Alex Rivera",
        scheduled_at=timezone.now() + dt.timedelta(hours=3),
    )

    login(browser_page, "ian")
    browser_page.goto(f"/hiring/interviews/{interview.pk}/scorecard/")
    expect(
        browser_page.get_by_text(re.compile("can be submitted once the interview starts"))
    ).to_be_visible()
    expect(browser_page.get_by_text("Draft last saved")).to_have_count(0)
    screenshot(browser_page, f"scorecard-before-interview-{viewport}")

    browser_page.get_by_label("Technical score").fill("82")
    browser_page.get_by_label("Yes", exact=True).check()
    browser_page.get_by_role("button", name="Submit scorecard").click()
    refusal = browser_page.locator("#submit-errors")
    expect(refusal).to_contain_text("can be submitted once the interview starts")
    screenshot(browser_page, f"scorecard-submit-refused-{viewport}")

    browser_page.get_by_role("button", name="Save draft").click()
    expect(browser_page.get_by_text(re.compile("Draft last saved"))).to_be_visible()
    if viewport == "phone_page":
        width = browser_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, "the page scrolls sideways on a phone"
    screenshot(browser_page, f"scorecard-draft-saved-{viewport}")


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_decided_tab_shows_decision_date_and_outcome(request, viewport, login, screenshot):
    from tests.factories import decided

    browser_page = request.getfixturevalue(viewport)
    recruiter = UserFactory(username="rita", roles=["Recruiter"])
    for name, kwargs in [
        ("Hana Hired", {"outcome": "performing"}),
        ("Dana Declined", {"accepted": False}),
        ("Nico Nooffer", {"offer": False}),
    ]:
        loop = InterviewLoopFactory(
            recruiters=[recruiter], candidate__name=name, status=InterviewLoop.Status.DECIDED
        )
        decided(loop, **kwargs)

    login(browser_page, "rita")
    browser_page.goto(reverse("hiring:loop_list"))
    browser_page.get_by_role("link", name=re.compile("^Decided")).click()
    row = browser_page.get_by_role("row", name=re.compile("Hana Hired"))
    expect(row.get_by_test_id("decision")).to_contain_text("Offer, accepted")
    expect(row.get_by_test_id("decision")).to_contain_text("6 months: Performing")
    expect(
        browser_page.get_by_role("row", name=re.compile("Nico Nooffer")).get_by_test_id("decision")
    ).to_contain_text("No offer")
    if viewport == "phone_page":
        width = browser_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, "the page scrolls sideways on a phone"
    screenshot(browser_page, f"candidates-decided-{viewport}")
