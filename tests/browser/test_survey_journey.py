"""Survey journeys: an engineer answers on a phone; a manager reads results and acts."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from surveys import services
from surveys.models import ActionPlan, Invitation, Question, SurveyRound
from tests.browser.conftest import ARTIFACTS
from tests.factories import MembershipFactory, UserFactory, team_with_members
from tests.surveys.conftest import answer, links_from_outbox, open_round

pytestmark = pytest.mark.django_db(transaction=True)


def test_engineer_answers_from_the_emailed_link_on_a_phone(phone_page, screenshot):
    team = team_with_members(5, name="Backend Payments")
    MembershipFactory(team=team, user=UserFactory(username="eli", email="eli@example.com"))
    survey_round = open_round(team)
    link = links_from_outbox()["eli@example.com"]
    page = phone_page

    page.goto(link.replace("http://testserver", ""))
    expect(page.get_by_role("heading", name="Backend Payments team survey")).to_be_visible()
    expect(page.get_by_text("What is stored and who sees what")).to_be_visible()
    expect(page.get_by_text("unless at least 5 people answer")).to_be_visible()
    expect(page.get_by_text("0 of 13 answered")).to_be_visible()
    screenshot(page, "survey-answer-phone-full")
    page.screenshot(path=str(ARTIFACTS / "survey-answer-phone-viewport.png"))

    questions = list(survey_round.questions.filter(kind=Question.Kind.LIKERT).order_by("position"))
    choices = ["Agree", "Strongly agree", "Disagree", "Neither agree nor disagree"]
    for index, question in enumerate(questions):
        group = page.get_by_role("group", name=re.compile(re.escape(question.text)))
        group.get_by_text(choices[index % 4], exact=True).click()
    expect(page.get_by_text("12 of 13 answered")).to_be_visible()
    page.get_by_label(re.compile("Anything else")).fill("Fewer meetings on Fridays, please.")
    page.screenshot(path=str(ARTIFACTS / "survey-answer-phone-bottom.png"))
    page.get_by_role("button", name="Submit my answers").click()

    expect(
        page.get_by_role("heading", name="Thank you. Your answers are stored, anonymously.")
    ).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "survey-answered-phone.png"))
    assert Invitation.objects.get(user__username="eli").has_answered

    # The link again, later: it is spent, and says so as any unknown link does.
    page.goto(link.replace("http://testserver", ""))
    expect(page.get_by_role("heading", name="This survey link does not work")).to_be_visible()
    page.goto("/surveys/a/not-a-token/")
    expect(page.get_by_role("heading", name="This survey link does not work")).to_be_visible()
    screenshot(page, "survey-link-invalid-phone")


def test_manager_reads_results_publishes_them_and_an_action_plan(page, login, screenshot):
    manager = UserFactory(username="maya", roles=["Manager"])
    team = team_with_members(6, manager=manager, name="Backend Payments")
    earlier = open_round(team)
    invitations = list(Invitation.objects.select_related("round").filter(round=earlier))
    for invitation in invitations[:5]:
        answer(invitation, 2)
    earlier = services.close_round(survey_round=earlier)
    SurveyRound.objects.filter(pk=earlier.pk).update(
        period_start=earlier.period_start - dt.timedelta(days=14)
    )
    survey_round = open_round(team)
    invitations = list(Invitation.objects.select_related("round").filter(round=survey_round))
    questions = list(survey_round.questions.filter(kind="likert").order_by("position"))
    for index, invitation in enumerate(invitations[:6]):
        answer(
            invitation,
            per_question={q.pk: 1 + (index + position) % 5 for position, q in enumerate(questions)},
            comment=f"Comment {index}: more focus time",
            enps=7 + index % 4,
        )
    survey_round = services.close_round(survey_round=survey_round)
    mail.outbox.clear()

    login(page, "maya")
    page.get_by_role("link", name="Surveys").first.click()
    page.get_by_role("link", name=re.compile("Backend Payments · ")).first.click()
    expect(page.get_by_role("heading", name="Backend Payments survey results")).to_be_visible()
    expect(page.get_by_test_id("feedback-score")).to_have_text(str(survey_round.feedback_score))
    expect(page.get_by_text("6 of 6 answered")).to_be_visible()
    expect(page.get_by_role("heading", name="Top 3 concerns")).to_be_visible()
    expect(page.get_by_role("heading", name="Did the earlier concerns move?")).to_be_visible()
    expect(page.locator("#trend-chart")).to_be_visible()
    screenshot(page, "survey-results-manager")

    page.get_by_label("Note to the team (optional)").fill("Thank you all. Let's discuss Thursday.")
    page.get_by_role("button", name="Publish results to the team").click()
    expect(page.get_by_text("Results published. The team has been emailed a link.")).to_be_visible()
    assert len(mail.outbox) == 6

    page.get_by_role("link", name="Write action plan").click()
    due = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    for index in range(3):
        concern = page.get_by_role("group", name=re.compile(f"Concern {index + 1}:"))
        concern.get_by_label("What will be done").fill(f"Agreed action {index + 1}")
        concern.get_by_label("Owner").select_option(label=str(manager))
        concern.get_by_label("Due date").fill(due)
    screenshot(page, "survey-action-plan-form")
    page.get_by_role("button", name="Publish action plan").click()
    expect(page.get_by_text("Action plan published to the team.")).to_be_visible()
    expect(page.get_by_text("Agreed action 3")).to_be_visible()
    screenshot(page, "survey-results-with-plan")
    assert ActionPlan.objects.get(round=survey_round).items.count() == 3


def test_an_engineer_reads_published_results_on_a_phone_with_every_bar_on_screen(
    phone_page, login, screenshot
):
    engineer = UserFactory(username="eli", roles=["Engineer"])
    team = team_with_members(6, name="Backend Payments")
    MembershipFactory(team=team, user=engineer)
    survey_round = open_round(team)
    invitations = list(Invitation.objects.select_related("round").filter(round=survey_round))
    for index, invitation in enumerate(invitations[:6]):
        answer(invitation, 1 + index % 5)
    survey_round = services.publish_results(
        survey_round=services.close_round(survey_round=survey_round)
    )
    page = phone_page
    login(page, "eli")
    page.goto(survey_round.get_absolute_url())
    expect(page.get_by_role("heading", name="Backend Payments survey results")).to_be_visible()
    bars = page.locator(".distribution:visible")
    expect(bars.first).to_be_visible()
    # 4 dimensions and 12 questions, each with its answer bar inside the 390 px screen
    # (they used to sit in a fourth column, scrolled off to the right).
    assert bars.count() == 16
    for index in range(bars.count()):
        box = bars.nth(index).bounding_box()
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= 390
    screenshot(page, "survey-results-engineer-phone")


@pytest.mark.parametrize("device", ["page", "phone_page"])
def test_after_answering_the_answer_page_thanks_the_person(device, request, login, screenshot):
    engineer = UserFactory(username="eli", roles=["Engineer"])
    team = team_with_members(5, name="Backend Payments")
    MembershipFactory(team=team, user=engineer)
    survey_round = open_round(team)
    tab = request.getfixturevalue(device)
    login(tab, "eli")
    tab.goto(f"/surveys/rounds/{survey_round.pk}/answer/")
    for fieldset in tab.locator("fieldset[data-question]").all():
        if fieldset.locator(".likert-scale").count():
            fieldset.get_by_text("Agree", exact=True).click()
    tab.get_by_role("button", name="Submit my answers").click()
    expect(
        tab.get_by_role("heading", name="Thank you. Your answers are stored, anonymously.")
    ).to_be_visible()

    # Back to the answer page (the back button, then a reload): thanked again, never told off.
    tab.go_back()
    tab.reload()
    expect(
        tab.get_by_role(
            "heading", name="Thank you. Your answers to the Backend Payments survey are stored"
        )
    ).to_be_visible()
    assert "already answered" not in tab.content()
    screenshot(tab, f"survey-answered-again-{'desktop' if device == 'page' else 'phone'}")
    assert Invitation.objects.get(user=engineer, round=survey_round).has_answered
