"""STAR-L entry by an interviewer, candidate feedback by a recruiter, analytics."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from playwright.sync_api import expect

from hiring.models import CandidateFeedback, StarlQuestion
from tests.factories import (
    InterviewFactory,
    InterviewLoopFactory,
    UserFactory,
    decided,
    submitted,
)

pytestmark = pytest.mark.django_db(transaction=True)

PARTS = ("Situation", "Task", "Action", "Result", "Learning")


def _answer(page, number: int, question: str, rating: int, learning: bool = True):
    answer = page.get_by_role("group", name=re.compile(rf"^Answer {number}"))
    answer.get_by_label("Question asked").select_option(label=question)
    for part in PARTS:
        if part == "Learning" and not learning:
            continue
        answer.get_by_label(f"{part} evidence").fill(f"{part}: what the candidate said")
        group = answer.get_by_role("group", name=f"{part} rating")
        group.get_by_role("radio", name=re.compile(rf"^{rating} ")).check()
    return answer


def test_interviewer_records_two_starl_answers_and_sees_leadership_update(page, login, screenshot):
    interviewer = UserFactory(username="ian", roles=["Interviewer"])
    loop = InterviewLoopFactory(candidate__name="Alex Rivera")
    InterviewFactory(loop=loop, interviewer=interviewer, title="Behavioural (STAR-L)")
    questions = list(StarlQuestion.objects.filter(dimension="leadership")[:2])

    login(page, "ian")
    page.get_by_role("link", name="My interviews").first.click()
    page.get_by_role("link", name=re.compile("Alex Rivera")).click()
    page.get_by_role("link", name="Record STAR-L answers").click()

    score = page.get_by_test_id("starl-score")
    expect(score).to_have_text("—")
    # The anchors are on screen beside the ratings while choosing.
    expect(
        page.get_by_text("Vivid, concise context; stakes and constraints quantified.")
    ).to_be_visible()
    first = _answer(page, 1, questions[0].text, 4, learning=False)
    expect(score).to_have_text("75.00")
    expect(first.get_by_text("No Learning recorded")).to_be_visible()
    # Keyboard: arrow keys move a rating along the anchored scale.
    first.get_by_role("group", name="Result rating").get_by_role(
        "radio", name=re.compile("^4 ")
    ).press("ArrowDown")
    expect(score).to_have_text("81.25")  # ratings 4, 4, 4, 5 -> mean 4.25
    screenshot(page, "starl-first-answer")
    page.get_by_role("button", name="Save answers").click()
    expect(page.get_by_text("1 STAR-L answer(s) saved.")).to_be_visible()

    _answer(page, 2, questions[1].text, 2)
    # nine ratings: 4, 4, 4, 5 and five 2s -> mean 27/9 = 3 -> 50.00
    expect(score).to_have_text("50.00")
    screenshot(page, "starl-two-answers")
    page.get_by_role("button", name="Save and go to the scorecard").click()

    expect(page.get_by_text("leadership score 50.00")).to_be_visible()
    page.get_by_label("Technical score").fill("80")
    page.get_by_label("Culture score").fill("70")
    page.get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Submit scorecard").click()
    # 80 x 0.45 + 50 x 0.35 + 70 x 0.20 = 67.50
    expect(page.get_by_test_id("weighted-total")).to_have_text("67.50")
    expect(page.get_by_text("No Learning recorded")).to_be_visible()
    screenshot(page, "starl-scorecard-submitted")


def test_starl_draft_survives_a_reload(page, login):
    interviewer = UserFactory(username="ian", roles=["Interviewer"])
    interview = InterviewFactory(interviewer=interviewer, loop__candidate__name="Casey Kim")
    login(page, "ian")
    page.goto(f"/hiring/interviews/{interview.pk}/starl/")
    answer = page.get_by_role("group", name=re.compile("^Answer 1"))
    answer.get_by_label("Situation evidence").fill("Payments outage on Black Friday")
    expect(page.get_by_text(re.compile("Draft autosaved at"))).to_be_visible()
    page.reload()
    expect(page.get_by_text(re.compile("Restored your unsaved draft"))).to_be_visible()
    expect(page.get_by_label("Situation evidence")).to_have_value("Payments outage on Black Friday")


def test_starl_entry_reads_well_on_a_phone(phone_page, login, screenshot):
    interviewer = UserFactory(username="ian", roles=["Interviewer"])
    interview = InterviewFactory(interviewer=interviewer, loop__candidate__name="Alex Rivera")
    login(phone_page, "ian")
    phone_page.goto(f"/hiring/interviews/{interview.pk}/starl/")
    _answer(phone_page, 1, StarlQuestion.objects.first().text, 3)
    expect(phone_page.get_by_test_id("starl-score")).to_have_text("50.00")
    # Let the autosave land before the test's database is flushed.
    expect(phone_page.get_by_text(re.compile("Draft autosaved at"))).to_be_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page scrolls sideways on a phone"
    screenshot(phone_page, "starl-phone")


def _loop_for_feedback(recruiter):
    loop = InterviewLoopFactory(
        candidate__name="Morgan Chen",
        candidate__email="morgan@example.com",
        recruiters=[recruiter],
    )
    interview = InterviewFactory(loop=loop, title="System design")
    submitted(interview, technical=Decimal(88), leadership=Decimal(60), culture=Decimal(76))
    return loop


def test_recruiter_generates_edits_and_sends_feedback(page, login, screenshot):
    recruiter = UserFactory(username="rita", first_name="Rita", last_name="R", roles=["Recruiter"])
    _loop_for_feedback(recruiter)

    login(page, "rita")
    page.get_by_role("link", name="Candidates").first.click()
    page.get_by_role("link", name="Morgan Chen").click()
    page.get_by_role("link", name="Feedback").click()

    body = page.get_by_label("Feedback to the candidate")
    expect(body).to_have_value(
        re.compile("Technical: Top 25% of candidates for Software Engineer.")
    )
    expect(body).to_have_value(re.compile("Leadership: Below average for Software Engineer."))
    expect(
        page.get_by_text(re.compile("use the benchmark values an admin entered"))
    ).to_be_visible()
    screenshot(page, "feedback-generated")
    body.fill(body.input_value().replace("The hiring team", "Rita, for the hiring team"))
    page.get_by_role("button", name="Send feedback").click()

    expect(page.get_by_text("Feedback sent to morgan@example.com.")).to_be_visible()
    expect(page.get_by_text(re.compile("Sent to morgan@example.com by Rita R"))).to_be_visible()
    screenshot(page, "feedback-sent")
    sent = CandidateFeedback.objects.get()
    assert sent.body.endswith("Rita, for the hiring team")
    assert [m.to for m in mail.outbox] == [["morgan@example.com"]]


def test_feedback_page_on_a_phone(phone_page, login, screenshot):
    recruiter = UserFactory(username="rita", roles=["Recruiter"])
    loop = _loop_for_feedback(recruiter)
    login(phone_page, "rita")
    phone_page.goto(f"/hiring/loops/{loop.pk}/feedback/")
    expect(phone_page.get_by_role("button", name="Send feedback")).to_be_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page scrolls sideways on a phone"
    screenshot(phone_page, "feedback-phone")


def _history():
    people = [UserFactory(roles=["Interviewer"]) for _ in range(3)]
    for index in range(8):
        loop = InterviewLoopFactory(method=["starl", "combined"][index % 2])
        for bias, person in zip((0, 8, -6), people, strict=True):
            submitted(
                InterviewFactory(loop=loop, interviewer=person),
                technical=65 + index * 2 + bias,
                leadership=60 + index * 3 + bias,
                # unrelated to the outcome: its interval includes 0
                culture=75 + (index % 3) * 5 + bias,
            )
        decided(loop, outcome="performing" if index > 2 else "bad_hire")


def test_recruiter_reads_hiring_analytics(page, phone_page, login, screenshot):
    UserFactory(username="rita", roles=["Recruiter"])
    _history()
    login(page, "rita")
    page.get_by_role("link", name="Hiring analytics").first.click()
    expect(page.get_by_role("heading", name="Interview methods")).to_be_visible()
    expect(page.get_by_text("Too few loops to conclude (n = 4).").first).to_be_visible()
    expect(page.get_by_role("heading", name="Interviewer calibration")).to_be_visible()
    expect(page.get_by_text("lenient").first).to_be_visible()
    page.wait_for_function("() => Chart.instances && Object.keys(Chart.instances).length === 3")
    screenshot(page, "hiring-analytics")

    login(phone_page, "rita")
    phone_page.goto("/hiring/analytics/")
    expect(
        phone_page.get_by_role("heading", name="Do the scores predict the 6-month outcome?")
    ).to_be_visible()
    expect(phone_page.get_by_text("Predicts nothing yet").first).to_be_visible()
    phone_page.wait_for_function("() => window.Chart && Object.keys(Chart.instances).length === 3")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page scrolls sideways on a phone"
    for chart in ("methods-chart", "calibration-chart"):
        room = phone_page.evaluate(LABEL_ROOM, chart)
        assert room["widest"] <= room["axis"], f"{chart}: axis labels cut off on a phone ({room})"
    screenshot(phone_page, "hiring-analytics-phone")


# The widest line of a horizontal chart's category labels, and the width of the
# axis that holds them: wider labels are cut off at the canvas edge.
LABEL_ROOM = """(id) => {
  const chart = Chart.getChart(id), axis = chart.scales.y, ctx = chart.ctx;
  ctx.save();
  ctx.font = Chart.helpers.toFont(axis.options.ticks.font).string;
  const lines = chart.data.labels.flatMap((label) => [].concat(label));
  const widest = Math.max(...lines.map((line) => ctx.measureText(line).width));
  ctx.restore();
  return {widest: widest, axis: axis.width};
}"""


def test_recruiter_records_decision_and_later_the_outcome(page, login, screenshot):
    recruiter = UserFactory(username="rita", roles=["Recruiter"])
    loop = _loop_for_feedback(recruiter)
    login(page, "rita")
    page.goto(loop.get_absolute_url())
    page.get_by_role("link", name="Decision and outcome").click()
    page.get_by_label("Offer", exact=True).check()
    page.get_by_label("Offer accepted?").select_option(label="Accepted")
    page.get_by_label("Hours spent on the loop").fill("6.5")
    page.get_by_label("Cost of the loop ($)").fill("140")
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_text("Decision saved.")).to_be_visible()
    expect(page.get_by_text(re.compile("Due on"))).to_be_visible()
    page.get_by_label("Performing").check()
    page.get_by_role("button", name="Save 6-month outcome").click()
    expect(page.get_by_text("6-month outcome saved.")).to_be_visible()
    expect(page.get_by_text(re.compile("Recorded: Performing"))).to_be_visible()
    # The saved answers show again, so saving the decision twice changes nothing.
    expect(page.get_by_label("Offer accepted?")).to_have_value("true")
    screenshot(page, "loop-decision")
