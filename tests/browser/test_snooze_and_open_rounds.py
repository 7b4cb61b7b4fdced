"""Snoozed alerts and open survey rounds as managers and directors see them, desktop and phone."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from teamhealth.services import evaluation
from tests.factories import TeamFactory, UserFactory, metric_series, team_with_members
from tests.surveys.conftest import answered_round, open_round

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_manager_snoozes_an_alert_for_a_day_and_everyone_sees_it_snoozed(
    viewport, request, login, screenshot
):
    page = request.getfixturevalue(viewport)
    suffix = "" if viewport == "page" else "-phone"
    manager = UserFactory(username="maya", roles=["Manager"])
    UserFactory(username="dana", roles=["Director"])
    team = TeamFactory(name="Backend Payments", managers=[manager])
    metric_series(team, "oncall_hours", [6, 7, 8, 12.5])
    evaluation.evaluate_team_health(team=team, today=timezone.localdate())

    login(page, "maya")
    page.goto(f"/team-health/teams/{team.slug}/")
    page.get_by_role("link", name="High on-call burden").first.click()
    page.get_by_label("A day", exact=False).check()
    screenshot(page, f"alert-snooze-presets{suffix}")
    page.get_by_role("button", name="Snooze").click()
    expect(page.get_by_text("Snoozed until").first).to_be_visible()
    screenshot(page, f"alert-snoozed{suffix}")
    page.goto(f"/team-health/teams/{team.slug}/")
    expect(page.locator(".alert-status-snoozed")).to_be_visible()
    screenshot(page, f"team-page-snoozed{suffix}")

    page.context.clear_cookies()
    login(page, "dana")
    page.goto("/team-health/org/")
    expect(page.get_by_test_id("snoozed-alerts")).to_have_text("1 snoozed")
    screenshot(page, f"org-overview-snoozed{suffix}")


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_director_sees_an_open_round_as_open_on_the_survey_overview(
    viewport, request, login, screenshot
):
    page = request.getfixturevalue(viewport)
    suffix = "" if viewport == "page" else "-phone"
    UserFactory(username="dana", roles=["Director"])
    answered_round(team_size=6, answers=5, value=4, name="Closed team")
    open_round(team_with_members(6, name="Open team"))

    login(page, "dana")
    page.goto("/surveys/overview/")
    row = page.get_by_role("row").filter(has_text="Open team")
    expect(row).to_contain_text("results once it closes")
    screenshot(page, f"survey-overview-open-round{suffix}")
