"""The home page per role, the alert timeline and the all-alerts page, desktop and phone."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from surveys.models import Invitation
from teamhealth.services import alerts, evaluation
from tests.factories import (
    InterviewFactory,
    InterviewLoopFactory,
    TeamFactory,
    UserFactory,
    metric_series,
    team_with_members,
)
from tests.surveys.conftest import answered_round, open_round

pytestmark = pytest.mark.django_db(transaction=True)


def both_widths(page, screenshot, name):
    screenshot(page, name)
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, f"{name}-phone")
    page.set_viewport_size({"width": 1280, "height": 900})


def firing_team(name, manager, values=(6, 7, 8, 12.5)):
    team = TeamFactory(name=name, managers=[manager])
    metric_series(team, "oncall_hours", list(values))
    evaluation.evaluate_team_health(team=team, today=timezone.localdate())
    return team


def test_interviewer_home_leads_to_the_overdue_scorecard(page, login, screenshot):
    me = UserFactory(username="ian", first_name="Ian", roles=["Interviewer"])
    now = timezone.now()
    InterviewFactory(interviewer=me, title="System design", scheduled_at=now - timedelta(days=2))
    InterviewFactory(interviewer=me, title="Behavioural", scheduled_at=now - timedelta(hours=1))
    login(page, "ian")
    expect(page.get_by_role("heading", name="Scorecards to submit")).to_be_visible()
    expect(page.get_by_text("overdue since")).to_be_visible()
    both_widths(page, screenshot, "home-interviewer")
    page.get_by_role("link", name="System design with").click()
    expect(page).to_have_url(re.compile(re.escape("/scorecard/")))


def test_recruiter_home_lists_loops_ready_for_debrief(page, login, screenshot):
    me = UserFactory(username="rita", first_name="Rita", roles=["Recruiter"])
    loop = InterviewLoopFactory(recruiters=[me], status="debrief")
    login(page, "rita")
    expect(page.get_by_role("heading", name="Loops ready for debrief")).to_be_visible()
    both_widths(page, screenshot, "home-recruiter")
    page.get_by_role("link", name=str(loop.candidate)).click()
    expect(page).to_have_url(re.compile(re.escape(f"/hiring/loops/{loop.pk}/")))


def test_engineer_home_leads_to_their_survey(page, login, screenshot):
    team = team_with_members(4, name="Backend Payments")
    survey_round = open_round(team)
    me = Invitation.objects.filter(round=survey_round).first().user
    me.username, me.first_name = "erin", "Erin"
    me.save()
    login(page, "erin")
    expect(page.get_by_role("heading", name="Surveys to answer")).to_be_visible()
    expect(page.get_by_text("open until")).to_be_visible()
    both_widths(page, screenshot, "home-engineer")
    page.get_by_role("link", name="Backend Payments pulse survey").click()
    expect(page).to_have_url(re.compile(re.escape("/answer/")))


def test_manager_home_shows_alerts_results_and_plans_and_says_nothing_else(page, login, screenshot):
    me = UserFactory(username="maya", first_name="Maya", roles=["Manager", "Interviewer"])
    firing_team("Backend Payments", me)
    answered_round(manager=me, name="Platform")
    login(page, "maya")
    expect(page.get_by_role("heading", name="Alerts firing")).to_be_visible()
    expect(page.get_by_role("heading", name="Results to publish")).to_be_visible()
    expect(page.get_by_text("7 days left")).to_be_visible()
    expect(
        page.get_by_text("No scorecard waits for you and no interview is scheduled today.")
    ).to_be_visible()
    both_widths(page, screenshot, "home-manager")
    page.get_by_role("link", name="High on-call burden").click()
    expect(page.get_by_role("heading", name="Timeline")).to_be_visible()


def test_director_home_and_the_all_alerts_page(page, login, screenshot):
    UserFactory(username="dana", first_name="Dana", roles=["Director"])
    manager = UserFactory(roles=["Manager"])
    TeamFactory(name="Silent Team")
    late = TeamFactory(name="Late Team", managers=[manager])
    alerts.raise_action_plan_overdue(
        team=late,
        round_label="Late Team · 1 Nov",
        closed_on=timezone.localdate() - timedelta(days=9),
    )
    firing_team("Backend Payments", manager)
    snoozed = firing_team("Mobile", manager)
    alerts.snooze_alert(
        alert=snoozed.alerts.get(),
        user=manager,
        until=timezone.localdate() + timedelta(days=3),
        today=timezone.localdate(),
    )
    login(page, "dana")
    expect(page.get_by_role("heading", name="Teams with an overdue action plan")).to_be_visible()
    expect(page.get_by_role("link", name="Backend Payments")).to_be_visible()
    expect(page.get_by_role("link", name="See all 4")).to_be_visible()
    both_widths(page, screenshot, "home-director")

    page.get_by_role("navigation").get_by_role("link", name="Alerts").click()
    expect(page.get_by_role("heading", name="Alerts", exact=True)).to_be_visible()
    page.get_by_label("State").select_option("snoozed")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("cell", name="Snoozed until")).to_be_visible()
    expect(page.get_by_role("link", name="[Backend Payments]")).to_have_count(0)
    page.get_by_label("State").select_option("")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("row")).to_have_count(4)
    both_widths(page, screenshot, "all-alerts")


def test_the_alert_page_tells_the_whole_story(page, login, screenshot):
    manager = UserFactory(username="maya", email="maya@example.com", roles=["Manager"])
    team = firing_team("Backend Payments", manager)
    alert = team.alerts.get()
    alerts.acknowledge_alert(alert=alert, user=manager, note="Rotating the pager")
    team.metric_values.all().delete()
    metric_series(team, "oncall_hours", [9, 9, 9, 9])
    evaluation.evaluate_team_health(team=team, today=timezone.localdate())
    login(page, "maya")
    page.goto(f"/team-health/alerts/{alert.pk}/")
    timeline = page.locator(".alert-timeline")
    expect(timeline.get_by_text("Opened")).to_be_visible()
    expect(timeline.get_by_text("Notified email to maya@example.com").first).to_be_visible()
    expect(timeline.get_by_text("Rotating the pager")).to_be_visible()
    expect(timeline.get_by_text("at 9.0 hrs/week")).to_be_visible()
    both_widths(page, screenshot, "alert-timeline")
    page.goto(f"/team-health/teams/{team.slug}/")
    expect(page.get_by_role("heading", name="Response to alerts")).to_be_visible()
    expect(page.locator("[data-mttr]")).not_to_have_text("–")
