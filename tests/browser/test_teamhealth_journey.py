"""Team health in a browser: a manager acknowledges an alert; an admin previews a threshold."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from teamhealth.services import evaluation, metrics
from tests.factories import TeamFactory, UserFactory, metric_series

pytestmark = pytest.mark.django_db(transaction=True)

MESSAGE = "[Backend Payments] High on-call burden: 12.5 hrs/week (max 10.0)"


def backend_payments(manager):
    team = TeamFactory(name="Backend Payments", managers=[manager])
    metric_series(team, "oncall_hours", [6, 7, 6.5, 7, 8, 7.5, 8, 9, 8.5, 9.5, 10, 11, 12.5])
    metric_series(team, "delivery_rate", [34, 36, 33, 35, 37, 34, 36, 35, 33, 34, 32, 33, 31])
    metric_series(team, "turnover", [8, 8, 9, 9, 10, 10, 11, 12, 12, 14, 16, 17, 18])
    metric_series(
        team,
        "feedback_score",
        [74, 73, 75, 72, 71, 70, 71, 69, 68, 66, 64, 63, 61],
        source="survey",
    )
    evaluation.evaluate_team_health(team=team, today=timezone.localdate())
    return team


def test_manager_opens_an_alert_from_the_team_page_and_acknowledges_it(page, login, screenshot):
    manager = UserFactory(
        username="maya", first_name="Maya", last_name="Manager", roles=["Manager"]
    )
    backend_payments(manager)

    login(page, "maya")
    page.get_by_role("link", name="Team health").first.click()
    page.get_by_role("link", name="Backend Payments").click()
    expect(page.get_by_role("heading", name=re.compile("Backend Payments"))).to_be_visible()
    expect(page.locator("#chart-oncall_hours")).to_be_visible()
    page.wait_for_timeout(300)  # let Chart.js draw before the screenshot
    screenshot(page, "teamhealth-team-page")

    page.get_by_role("link", name=MESSAGE).click()
    expect(page.get_by_role("heading", name=MESSAGE)).to_be_visible()
    expect(page.get_by_text("above the maximum of 10.0")).to_be_visible()
    page.get_by_label("Note").fill("Second person added to the rota from Monday")
    page.get_by_role("button", name="Acknowledge").click()

    expect(page.get_by_text("Alert acknowledged")).to_be_visible()
    expect(page.locator(".alert-timeline").get_by_text("by Maya Manager")).to_be_visible()
    screenshot(page, "teamhealth-alert-acknowledged")

    page.get_by_role("link", name="Backend Payments").click()
    expect(page.get_by_text("Acknowledged by Maya Manager")).to_be_visible()


def test_manager_on_a_phone_sees_the_team_page_and_snoozes(phone_page, login, screenshot):
    manager = UserFactory(
        username="maya", first_name="Maya", last_name="Manager", roles=["Manager"]
    )
    team = backend_payments(manager)
    page = phone_page

    login(page, "maya")
    page.goto(f"/team-health/teams/{team.slug}/")
    expect(page.get_by_text("Past threshold").first).to_be_visible()
    page.wait_for_timeout(300)
    screenshot(page, "teamhealth-team-page-phone")
    page.get_by_role("link", name=MESSAGE).click()
    page.get_by_role("button", name="Snooze").click()
    expect(page.get_by_text(re.compile("Alert snoozed until"))).to_be_visible()
    screenshot(page, "teamhealth-alert-phone")


def test_director_sees_the_org_overview(page, login, screenshot):
    backend_payments(UserFactory(roles=["Manager"]))
    TeamFactory(name="Frontend Platform")
    UserFactory(username="dana", roles=["Director"])

    login(page, "dana")
    page.get_by_role("link", name="Org overview").first.click()
    # It opens on the teams that need attention; all teams are one filter away.
    expect(page.get_by_role("link", name="Backend Payments")).to_be_visible()
    expect(page.get_by_role("link", name="Frontend Platform")).to_have_count(0)
    page.get_by_label("Show").select_option("all")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("link", name="Frontend Platform")).to_be_visible()
    screenshot(page, "teamhealth-org-overview")


def test_admin_changes_a_threshold_and_sees_the_preview(page, login, screenshot):
    backend_payments(UserFactory(roles=["Manager"]))
    UserFactory(username="ada", is_staff=True, is_superuser=True)

    login(page, "ada")
    page.goto("/admin/teamhealth/threshold/")
    page.locator("#result_list").get_by_role("link", name="On-call burden").click()
    preview = page.locator("#threshold-preview")
    expect(preview).to_contain_text("With 10.00 this would have raised 1 alert over the last 12")
    page.get_by_label("Limit").fill("6")
    expect(preview).to_contain_text("With 6 this would have raised 1 alert")
    page.get_by_label("Limit").fill("13")
    expect(preview).to_contain_text(
        "With 13 this would have raised 0 alerts over the last 12 periods for all teams "
        "without an override (the threshold in force, 10.00, raised 1)."
    )
    screenshot(page, "teamhealth-threshold-preview")
    page.get_by_label("Limit").fill("-1")
    expect(preview).to_contain_text("Hours cannot be negative")
    page.get_by_label("Limit").fill("12")
    # The limit is saved once its preview is on screen (the server checks it was shown).
    expect(preview).to_contain_text("With 12 this would have raised")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text(re.compile("was changed successfully"))).to_be_visible()


def test_manager_reads_the_latest_survey_round_on_the_team_page_on_a_phone(
    phone_page, login, screenshot
):
    from datetime import timedelta
    from decimal import Decimal

    manager = UserFactory(username="maya", roles=["Manager"])
    team = backend_payments(manager)
    closed = timezone.localdate() - timedelta(days=3)
    metrics.record_survey_summary(
        team=team,
        round_label="Backend Payments · 2 Nov 2026",
        closed_on=closed,
        feedback_score=Decimal("61.0"),
        dimension_scores={
            "Role clarity": Decimal("70.5"),
            "Manager support": Decimal("52.0"),
            "Growth opportunities": Decimal("55.0"),
            "Team dynamics": Decimal("66.3"),
        },
        top_concerns=[
            "My manager provides actionable, specific feedback on my work at least once per sprint",
            "I can see a path to the next step of my career here.",
            "I know what is expected of me.",
        ],
        results_url="/surveys/",
        action_plan_status="awaiting",
    )
    page = phone_page
    login(page, "maya")
    page.goto(f"/team-health/teams/{team.slug}/")
    section = page.get_by_role("region", name="Survey results and action plan")
    expect(section.get_by_text("Manager support")).to_be_visible()
    expect(section.get_by_text("I can see a path to the next step")).to_be_visible()
    due = closed + timedelta(days=7)
    expect(section.get_by_text(f"Action plan due by {due:%-d %b %Y}")).to_be_visible()
    section.scroll_into_view_if_needed()
    screenshot(page, "teamhealth-survey-summary-phone")
    section.get_by_role("link", name="See the full results").click()
    expect(page).to_have_url(re.compile("/surveys/$"))
