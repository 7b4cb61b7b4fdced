"""Surveys push each visible round's results to the team-health page, and nothing else."""

import datetime as dt

import pytest
from django.utils import timezone

from surveys import selectors, services
from teamhealth.models import SurveySummary
from tests.factories import UserFactory

from .conftest import answered_round

pytestmark = pytest.mark.django_db


def test_closing_a_round_that_met_k_pushes_its_summary_to_team_health():
    survey_round = answered_round(team_size=6, answers=5, value=4)
    assert survey_round.has_results

    summary = SurveySummary.objects.get(team=survey_round.team)
    results = selectors.round_results(survey_round)
    assert summary.round_label == survey_round.label
    assert summary.closed_on == timezone.localdate(survey_round.closed_at)
    assert summary.feedback_score == survey_round.feedback_score == results.feedback_score
    assert summary.dimension_scores == {label: str(d.score) for label, d in results.dimensions}
    assert len(summary.dimension_scores) == 4
    assert summary.top_concerns == [c.text for c in results.top_concerns]
    assert len(summary.top_concerns) == 3
    assert summary.results_url == f"/surveys/rounds/{survey_round.pk}/"
    assert summary.action_plan_status == "awaiting"


def test_a_round_below_its_minimum_group_size_pushes_nothing():
    survey_round = answered_round(team_size=6, answers=2)
    assert not survey_round.has_results

    assert not SurveySummary.objects.filter(team=survey_round.team).exists()
    # Publishing it (results hidden) pushes nothing either.
    services.publish_results(survey_round=survey_round)
    assert not SurveySummary.objects.exists()


def test_publishing_the_action_plan_marks_the_summary_published_without_a_second_row():
    manager = UserFactory(roles=["Manager"])
    survey_round = answered_round(manager=manager)
    concerns = selectors.round_results(survey_round).top_concerns
    services.save_action_plan(
        survey_round=survey_round,
        by=manager,
        actions=[
            services.ActionInput(
                question_id=c.question_id,
                what="Act",
                owner=manager,
                due_on=timezone.localdate() + dt.timedelta(days=14),
            )
            for c in concerns
        ],
    )
    summary = SurveySummary.objects.get(team=survey_round.team)
    assert summary.action_plan_status == "published"
    assert SurveySummary.objects.count() == 1


def test_a_team_with_the_longest_name_still_closes_and_pushes_its_round():
    survey_round = answered_round(team_size=6, answers=5, name="N" * 120)
    assert survey_round.status == "closed"
    summary = SurveySummary.objects.get(team=survey_round.team)
    assert summary.round_label == survey_round.label
    assert len(summary.round_label) > 120
