"""The latest survey round on the team page: the push service, the plan's state, the page."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from teamhealth import survey_summaries
from teamhealth.models import SurveySummary
from teamhealth.services import metrics
from tests.factories import TeamFactory, UserFactory


@pytest.mark.parametrize(
    ("status", "days_after_close", "state"),
    [
        ("awaiting", 0, "awaiting"),
        ("awaiting", 7, "awaiting"),
        ("awaiting", 8, "overdue"),
        ("published", 30, "published"),
        ("published", 0, "published"),
    ],
)
def test_action_plan_is_overdue_only_after_seven_days_unpublished(status, days_after_close, state):
    closed = date(2026, 11, 2)
    found = survey_summaries.action_plan_state(
        status=status, closed_on=closed, today=closed + timedelta(days=days_after_close)
    )
    assert found.state == state
    assert found.due_on == date(2026, 11, 9)


def test_action_plan_labels_say_when():
    closed = date(2026, 11, 2)
    assert (
        survey_summaries.action_plan_state(status="awaiting", closed_on=closed, today=closed).label
        == "Action plan due by 9 Nov 2026"
    )
    assert (
        survey_summaries.action_plan_state(
            status="awaiting", closed_on=closed, today=date(2026, 11, 10)
        ).label
        == "Action plan overdue since 10 Nov 2026"
    )


def test_the_overdue_check_and_the_pages_agree_on_every_day():
    closed = date(2026, 11, 2)
    for days in range(20):
        today = closed + timedelta(days=days)
        state = survey_summaries.action_plan_state(status="awaiting", closed_on=closed, today=today)
        overdue = survey_summaries.action_plan_overdue(closed_on=closed, today=today)
        assert overdue is (state.state == "overdue") is (days > 7)
        assert overdue is (closed <= survey_summaries.last_close_overdue_on(today))


def summary_kwargs(**overrides):
    return {
        "round_label": "Backend Payments · 2 Nov 2026",
        "closed_on": timezone.localdate() - timedelta(days=2),
        "feedback_score": Decimal("58.3"),
        "dimension_scores": {
            "Role clarity": Decimal("71.0"),
            "Manager support": Decimal("49.5"),
            "Growth opportunities": Decimal("52.0"),
            "Team dynamics": Decimal("60.8"),
        },
        "top_concerns": [
            "My manager provides actionable, specific feedback on my work at least once per sprint",
            "I can see how I will grow here",
            "I know what is expected of me",
        ],
        "results_url": "/surveys/rounds/7/",
        "action_plan_status": "awaiting",
        **overrides,
    }


@pytest.mark.django_db
def test_record_survey_summary_is_idempotent_per_team_and_round():
    team = TeamFactory(name="Backend Payments")
    metrics.record_survey_summary(team=team, **summary_kwargs())
    metrics.record_survey_summary(team=team, **summary_kwargs(action_plan_status="published"))
    summary = SurveySummary.objects.get()
    assert summary.action_plan_status == "published"
    assert summary.dimension_scores["Manager support"] == "49.5"
    metrics.record_survey_summary(team=team, **summary_kwargs(round_label="Next round"))
    assert SurveySummary.objects.filter(team=team).count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"feedback_score": Decimal("100.5")}, "__all__"),
        ({"dimension_scores": {"Role clarity": Decimal(-1)}}, "dimension_scores"),
        ({"dimension_scores": {"Role clarity": Decimal(101)}}, "dimension_scores"),
        ({"action_plan_status": "maybe"}, "action_plan_status"),
    ],
)
def test_record_survey_summary_rejects_bad_values(overrides, field):
    with pytest.raises(ValidationError) as error:
        metrics.record_survey_summary(team=TeamFactory(), **summary_kwargs(**overrides))
    assert field in error.value.message_dict
    assert not SurveySummary.objects.exists()


@pytest.mark.django_db
def test_team_page_shows_latest_survey_results_and_action_plan_status(client_for):
    manager = UserFactory(roles=["Manager"])
    team = TeamFactory(name="Backend Payments", managers=[manager])
    metrics.record_survey_summary(
        team=team,
        **summary_kwargs(round_label="Older", closed_on=timezone.localdate() - timedelta(days=20)),
    )
    metrics.record_survey_summary(team=team, **summary_kwargs())
    html = client_for(manager).get(f"/team-health/teams/{team.slug}/").content.decode()
    assert "Latest survey round: <strong>Backend Payments · 2 Nov 2026</strong>" in html
    assert "Older" not in html
    assert '<span class="metric-value">58.3</span>' in html
    assert "Manager support</dt>" in html
    assert "<strong>49.5</strong>" in html
    assert "<li>I can see how I will grow here</li>" in html
    assert 'href="/surveys/rounds/7/"' in html
    due = timezone.localdate() - timedelta(days=2) + timedelta(days=7)
    assert f"Action plan due by {due:%-d %b %Y}" in html


@pytest.mark.django_db
def test_team_page_shows_an_overdue_plan_in_red(client_for):
    manager = UserFactory(roles=["Manager"])
    team = TeamFactory(managers=[manager])
    metrics.record_survey_summary(
        team=team, **summary_kwargs(closed_on=timezone.localdate() - timedelta(days=9))
    )
    html = client_for(manager).get(f"/team-health/teams/{team.slug}/").content.decode()
    assert 'class="badge action-plan-overdue">Action plan overdue since' in html
