"""The survey overview's heatmap, action items moved to done, and the trend of every
round, in a real browser at desktop and phone widths."""

import pytest
from playwright.sync_api import expect

from surveys import services
from surveys.models import ActionItem, ActionStatusChange
from teamhealth.models import Membership
from tests.browser.conftest import ARTIFACTS
from tests.factories import UserFactory, team_with_members
from tests.surveys.test_action_progress import _plan, _round
from tests.surveys.test_heatmap import published

pytestmark = pytest.mark.django_db(transaction=True)


def _varied(offset):
    def answers(survey_round):
        questions = survey_round.questions.filter(kind="likert").order_by("position")
        return {q.pk: 1 + (index + offset) % 5 for index, q in enumerate(questions)}

    return answers


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_director_reads_the_heatmap_by_dimension_and_by_question(
    viewport, request, login, screenshot
):
    page = request.getfixturevalue(viewport)
    suffix = "" if viewport == "page" else "-phone"
    UserFactory(username="dana", roles=["Director"])
    for offset, name in enumerate(["Backend Payments", "Data Platform", "Mobile Apps"]):
        published(team_size=7, answers=6, per_question=_varied(offset), name=name)
    published(team_size=5, answers=5, value=5, name="Infrastructure")
    published(team_size=6, answers=2, value=1, name="Small team")

    login(page, "dana")
    page.goto("/surveys/overview/")
    heatmap = page.get_by_test_id("heatmap")
    expect(heatmap.get_by_role("columnheader", name="Manager support")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Small team")).to_contain_text(
        "Hidden: fewer than 5 answers"
    )
    expect(page.get_by_test_id("heatmap-total")).to_contain_text("All 4 shown teams")
    expect(page.get_by_role("row").filter(has_text="Infrastructure")).to_contain_text("or more")
    screenshot(page, f"survey-heatmap-dimensions{suffix}")

    page.get_by_role("link", name="Heatmap by question").click()
    expect(heatmap.get_by_role("columnheader", name="Q1", exact=True)).to_be_visible()
    screenshot(page, f"survey-heatmap-questions{suffix}")

    page.get_by_label("Team name").fill("data")
    page.get_by_label("Order").select_option(label="Lowest dimension first")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("link", name="Data Platform")).to_be_visible()
    expect(page.get_by_role("link", name="Mobile Apps")).to_have_count(0)


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_owner_moves_an_action_to_done_and_the_next_round_shows_it(
    viewport, request, login, screenshot
):
    page = request.getfixturevalue(viewport)
    suffix = "" if viewport == "page" else "-phone"
    manager = UserFactory(username="maya", roles=["Manager"])
    team = team_with_members(6, manager=manager, name="Backend Payments")
    owner = Membership.objects.filter(team=team).order_by("pk").first().user
    owner.username = "eli"
    owner.save()
    for weeks in range(20, 2, -2):
        _round(team, answers=2 if weeks == 12 else 5, value=2 + weeks % 3, weeks_ago=weeks)
    planned = _round(team, answers=5, value=2, weeks_ago=2)
    services.publish_results(survey_round=planned, by=manager)
    _plan(planned, owner)

    login(page, "eli")
    page.goto(planned.get_absolute_url())
    item = page.get_by_test_id("action-item").first
    item.get_by_role("combobox").select_option(label="Done")
    item.get_by_role("button", name="Update status").click()
    expect(page.get_by_test_id("action-item").first.get_by_test_id("action-status")).to_have_text(
        "Done"
    )
    expect(page.get_by_test_id("plan-progress")).to_have_text("1 of 3 done")
    screenshot(page, f"survey-action-done{suffix}")
    page.locator("#action-plan").screenshot(path=str(ARTIFACTS / f"survey-action-plan{suffix}.png"))
    assert ActionStatusChange.objects.get().changed_by == owner
    assert ActionItem.objects.filter(status="done").count() == 1

    latest = _round(team, answers=6, value=4)
    page.context.clear_cookies()
    login(page, "maya")
    page.goto(latest.get_absolute_url())
    moved = page.get_by_role("row").filter(has_text="Action 0")
    expect(moved).to_contain_text("Done")
    expect(moved).to_contain_text("Improved by")
    page.get_by_text("Every round as a table").click()
    expect(page.get_by_test_id("trend-table")).to_contain_text("Fewer than 5 answers: not shown")
    screenshot(page, f"survey-trend-and-actions{suffix}")
    page.get_by_role("heading", name="Did the earlier concerns move?").locator("..").screenshot(
        path=str(ARTIFACTS / f"survey-concerns-moved{suffix}.png")
    )


def test_the_demo_looks_lived_in(page, login, screenshot, django_capture_on_commit_callbacks):
    import io

    from django.core.management import call_command

    from surveys.models import SurveyRound
    from teamhealth.models import Team

    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=io.StringIO())
    login(page, "director", "keel-demo")
    page.goto("/surveys/overview/")
    # Every demo team's latest round met its k: all of them are in the total.
    teams = Team.objects.count()
    expect(page.get_by_test_id("heatmap-total")).to_contain_text(f"All {teams} shown teams")
    screenshot(page, "demo-survey-heatmap")
    page.goto("/surveys/overview/?view=questions&sort=lowest")
    screenshot(page, "demo-survey-heatmap-questions")
    latest = (
        SurveyRound.objects.filter(team__name="Mobile Apps", status="published")
        .order_by("-period_start")
        .first()
    )
    page.goto(latest.get_absolute_url())
    page.get_by_text("Every round as a table").click()
    expect(page.get_by_test_id("trend-table")).to_contain_text("Fewer than 5 answers: not shown")
    screenshot(page, "demo-survey-trend")
