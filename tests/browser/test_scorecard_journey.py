"""The first journey: an interviewer fills a scorecard in a browser."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import InterviewFactory, InterviewLoopFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_interviewer_submits_scorecard_and_sees_weighted_total(page, login, screenshot):
    interviewer = UserFactory(username="ian", roles=["Interviewer"])
    loop = InterviewLoopFactory(candidate__name="Alex Rivera")
    InterviewFactory(loop=loop, interviewer=interviewer, title="System design")

    login(page, "ian")
    page.get_by_role("link", name="My interviews").first.click()
    page.get_by_role("link", name=re.compile("Alex Rivera")).click()
    page.get_by_label("Technical score").fill("82.5")
    page.get_by_label("Leadership score").fill("78")
    page.get_by_label("Culture score").fill("91")
    page.get_by_label("Yes", exact=True).check()
    screenshot(page, "scorecard-form")
    page.get_by_role("button", name="Submit scorecard").click()

    expect(page.get_by_test_id("weighted-total")).to_have_text("82.63")
    expect(page.get_by_text("No flags")).to_be_visible()
    screenshot(page, "scorecard-result")


def test_scorecard_below_minimum_shows_the_flag(page, login):
    interviewer = UserFactory(username="ian", roles=["Interviewer"])
    loop = InterviewLoopFactory(candidate__name="Jordan Lee")
    InterviewFactory(loop=loop, interviewer=interviewer, title="Pairing")

    login(page, "ian")
    page.goto("/hiring/interviews/")
    page.get_by_role("link", name=re.compile("Jordan Lee")).click()
    page.get_by_label("Technical score").fill("65")
    page.get_by_label("Leadership score").fill("78")
    page.get_by_label("Culture score").fill("91")
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Submit scorecard").click()

    expect(page.get_by_text("Technical score 65 below minimum 70")).to_be_visible()


def test_out_of_range_score_is_reported_next_to_the_field(page, login):
    interviewer = UserFactory(username="ian", roles=["Interviewer"])
    InterviewFactory(interviewer=interviewer, loop__candidate__name="Casey Kim")

    login(page, "ian")
    page.goto("/hiring/interviews/")
    page.get_by_role("link", name=re.compile("Casey Kim")).click()
    page.get_by_label("Technical score").fill("100.01")
    page.get_by_role("button", name="Save draft").click()

    expect(page.locator(".invalid-feedback").first).to_contain_text(
        "Technical score must be between 0 and 100"
    )


def test_recruiter_creates_candidate_and_loop_and_assigns_interviewer(page, login, screenshot):
    UserFactory(username="rita", roles=["Recruiter"])
    UserFactory(username="ian", first_name="Ian", last_name="Interviewer", roles=["Interviewer"])

    login(page, "rita")
    page.get_by_role("link", name="Candidates").first.click()
    page.get_by_role("link", name="New candidate").click()
    page.get_by_label("Candidate name").fill("Morgan Chen")
    page.get_by_label("Candidate email").fill("morgan@example.com")
    page.get_by_label("Role profile").select_option(label="senior-backend")
    page.get_by_label("Interview method").select_option(label="Combined STAR-L + system design")
    page.get_by_role("button", name="Create candidate and loop").click()

    expect(page.get_by_role("heading", name="Morgan Chen")).to_be_visible()
    page.get_by_label("Interview title").fill("System design")
    page.get_by_label("Interviewer").select_option(label="Ian Interviewer")
    page.get_by_role("button", name="Add interview").click()

    expect(page.get_by_text("System design assigned to Ian Interviewer.")).to_be_visible()
    expect(page.get_by_text("not assessed yet").first).to_be_visible()
    screenshot(page, "loop-detail")


def test_layout_reads_well_on_a_phone(phone_page, login, screenshot):
    interviewer = UserFactory(username="ian", roles=["Interviewer"])
    InterviewFactory(interviewer=interviewer, loop__candidate__name="Alex Rivera")
    login(phone_page, "ian")
    phone_page.goto("/hiring/interviews/")
    expect(phone_page.get_by_role("button", name="Toggle navigation")).to_be_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page scrolls sideways on a phone"
    screenshot(phone_page, "my-interviews-phone")
