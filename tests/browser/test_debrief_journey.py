"""A recruiter opens the debrief from a "ready for debrief" row and starts from the disagreement."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from hiring.models import InterviewLoop
from tests.factories import (
    InterviewFactory,
    InterviewLoopFactory,
    UserFactory,
    starl_answer,
    starl_question,
    submitted,
)

pytestmark = pytest.mark.django_db(transaction=True)


def _panel_that_disagrees(recruiter):
    loop = InterviewLoopFactory(
        candidate__name="Amara Okafor",
        recruiters=[recruiter],
        status=InterviewLoop.Status.DEBRIEF,
    )
    panel = [
        (
            "Ines",
            "Ortega",
            "System design",
            {"technical": 58},
            "no",
            "Jumped to microservices before asking about load; recovered when prompted.",
        ),
        (
            "Kenji",
            "Watanabe",
            "Behavioural (STAR-L)",
            {"leadership": 81, "culture": 84},
            "yes",
            "Led a migration across three teams and owned the rollback.",
        ),
        (
            "Priya",
            "Raman",
            "Pairing exercise",
            {"technical": 86, "culture": 78},
            "strong_yes",
            "Wrote the index migration first, then measured: 1200 ms to 140 ms.",
        ),
    ]
    for first, last, title, scores, recommendation, notes in panel:
        interviewer = UserFactory(first_name=first, last_name=last, roles=["Interviewer"])
        interview = InterviewFactory(
            loop=loop,
            interviewer=interviewer,
            title=title,
            assesses_technical="technical" in scores,
            assesses_leadership="leadership" in scores,
            assesses_culture="culture" in scores,
        )
        card = submitted(interview, **{d: Decimal(v) for d, v in scores.items()})
        card.recommendation, card.notes = recommendation, notes
        card.save()
        if "leadership" in scores:
            starl_answer(card, ratings=(4, 4, 5, 4, 3), question=starl_question())
    return loop


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_recruiter_starts_the_debrief_from_the_disagreement(request, viewport, login, screenshot):
    browser_page = request.getfixturevalue(viewport)
    recruiter = UserFactory(username="rita", roles=["Recruiter"])
    _panel_that_disagrees(recruiter)

    login(browser_page, "rita")
    browser_page.goto("/hiring/candidates/")
    browser_page.get_by_role("link", name="Open debrief").click()

    expect(browser_page.get_by_role("heading", name="Debrief: Amara Okafor")).to_be_visible()
    callout = browser_page.get_by_test_id("disagreement")
    expect(callout).to_contain_text("The panel disagrees most on Technical")
    expect(callout).to_contain_text("scores from 58 to 86 (28 points apart")
    expect(callout).to_contain_text("The recommendations split")
    if viewport == "page":
        grid = browser_page.get_by_role("table").nth(1)
        expect(grid).to_be_visible()
        expect(grid).to_contain_text("Ines Ortega")
        expect(grid).to_contain_text("Strong Yes")
    else:
        card = browser_page.get_by_role("article", name="Priya Raman: Pairing exercise")
        expect(card).to_contain_text("Strong Yes")
        expect(card).to_contain_text("1200 ms to 140 ms")
        # the page does not scroll sideways on a phone
        width = browser_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390
    expect(browser_page.get_by_text("STAR-L evidence (1 answer)")).to_be_visible()
    screenshot(browser_page, f"debrief-{viewport}")
