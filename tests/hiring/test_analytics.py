"""Hiring analytics against small hand-computed data sets."""

import math
from datetime import UTC, datetime, timedelta
from decimal import Decimal as D

import pytest

from hiring import analytics
from hiring.analytics import MethodCounts, SubmittedCard


def test_correlation_and_fisher_interval_match_hand_computation():
    # mean x 3, mean y 0.6; sum dx*dy = 3.0, sum dx^2 = 10, sum dy^2 = 1.2
    # r = 3 / sqrt(12) = 0.8660; z = atanh(r) = 1.3170; half width 1.96 / sqrt(2) = 1.3859
    result = analytics.correlation("technical", [1, 2, 3, 4, 5], [0, 0, 1, 1, 1])
    assert result.n == 5
    assert result.r == pytest.approx(3 / math.sqrt(12))
    assert result.ci_low == pytest.approx(math.tanh(1.31696 - 1.38590), abs=1e-4)
    assert result.ci_high == pytest.approx(math.tanh(1.31696 + 1.38590), abs=1e-4)
    assert result.predicts is False  # the interval includes 0: predicts nothing yet


def test_strong_correlation_on_enough_pairs_predicts():
    xs = list(range(30))
    ys = [0] * 15 + [1] * 15
    assert analytics.correlation("total", xs, ys).predicts is True


def test_strong_negative_correlation_is_called_backwards_not_a_prediction_to_trust():
    xs = list(range(30))
    ys = [1] * 15 + [0] * 15  # the higher the score, the more bad hires
    result = analytics.correlation("culture", xs, ys)
    assert result.ci_high < 0
    assert result.backwards is True
    assert analytics.correlation("total", xs, list(reversed(ys))).backwards is False
    assert analytics.correlation("total", [1, 2, 3, 4, 5], [0, 0, 1, 1, 1]).backwards is False
    assert analytics.correlation("total", [1, 2, 3], [0, 1, 1]).backwards is False  # no interval


def test_correlation_labels():
    assert analytics.correlation("total", [], []).label == "Weighted total"
    assert analytics.correlation("culture", [], []).label == "Culture"


def test_correlation_needs_four_pairs_and_variation():
    assert analytics.correlation("culture", [1, 2, 3], [0, 1, 1]).r is None
    constant = analytics.correlation("culture", [70, 80, 90, 60], [1, 1, 1, 1])
    assert constant.r is None
    assert constant.predicts is None


def test_predictive_validity_codes_outcomes_and_leaves_out_people_who_left():
    hires = [
        ({"technical": D(60), "leadership": D(50), "culture": D(80)}, D(60), "bad_hire"),
        ({"technical": D(70), "leadership": D(60), "culture": D(80)}, D(70), "bad_hire"),
        ({"technical": D(80), "leadership": D(70), "culture": D(80)}, D(80), "performing"),
        ({"technical": D(90), "leadership": D(80), "culture": D(80)}, D(90), "performing"),
        ({"technical": D(99), "leadership": D(99), "culture": D(99)}, D(99), "left"),
    ]
    by_name = {c.name: c for c in analytics.predictive_validity(hires)}
    assert by_name["technical"].n == 4
    # x 60..90, y 0 0 1 1: r = 20*... = 0.8944 (hand: sum dxdy 20, dx^2 500, dy^2 1)
    assert by_name["technical"].r == pytest.approx(20 / math.sqrt(500))
    assert by_name["culture"].r is None  # all 80: predicts nothing we can measure
    assert by_name["total"].n == 4


def test_method_rows_compute_rates_and_flag_small_n():
    counts = [
        MethodCounts(
            method="starl",
            decided=25,
            offers=10,
            accepted=6,
            answered_offers=8,
            outcomes=12,
            bad_hires=3,
            avg_cost=D("111.456"),
            avg_hours=D("5.84"),
        ),
        MethodCounts(method="combined", decided=4, offers=3, outcomes=1, bad_hires=0),
    ]
    starl, combined, unstructured = analytics.method_rows(
        counts, ["starl", "combined", "unstructured"]
    )
    assert starl.pass_rate == D("0.4")
    assert starl.bad_hire_rate == D("0.25")
    assert starl.acceptance_rate == D("0.75")
    assert starl.avg_cost == D("111.46")
    assert starl.avg_hours == D("5.8")
    assert starl.published_bad_hire_rate == D("0.22")
    assert starl.notes == []
    assert combined.notes == ["Too few loops to conclude (n = 4)."]
    few_outcomes = analytics.method_rows(
        [MethodCounts(method="starl", decided=30, offers=12, outcomes=9)], ["starl"]
    )[0]
    assert few_outcomes.notes == ["Too few 6-month outcomes to judge bad hires (n = 9)."]
    assert unstructured.n == 0
    assert unstructured.pass_rate is None


@pytest.mark.parametrize(
    ("decided", "notes"),
    [(19, ["Too few loops to conclude (n = 19)."]), (20, [])],
)
def test_too_few_loops_to_conclude_below_20_decided_loops_only(decided, notes):
    row = analytics.method_rows(
        [MethodCounts(method="starl", decided=decided, offers=5, outcomes=10)], ["starl"]
    )[0]
    assert row.notes == notes


@pytest.mark.parametrize(
    ("outcomes", "notes"),
    [(9, ["Too few 6-month outcomes to judge bad hires (n = 9)."]), (10, [])],
)
def test_too_few_outcomes_to_judge_bad_hires_below_10_outcomes_only(outcomes, notes):
    row = analytics.method_rows(
        [MethodCounts(method="starl", decided=20, offers=5, outcomes=outcomes)], ["starl"]
    )[0]
    assert row.notes == notes


def test_calibration_measures_deviation_from_the_rest_of_the_panel():
    cards = [
        SubmittedCard(1, 100, {"technical": D(80)}, on_time=True),
        SubmittedCard(2, 100, {"technical": D(70)}, on_time=True),
        SubmittedCard(3, 100, {"technical": D(60)}, on_time=False),
        SubmittedCard(1, 200, {"technical": D(90), "culture": D(70)}, on_time=False),
        SubmittedCard(3, 200, {"technical": D(80), "culture": D(70)}, on_time=False),
    ]
    result = {c.interviewer_id: c for c in analytics.calibration(cards)}
    # person 1: loop 100: 80 - mean(70, 60) = +15; loop 200: 90 - 80 = +10 -> +12.5
    assert result[1].deviation["technical"] == D("12.50")
    assert result[1].tendency["technical"] == "lenient"
    assert result[1].deviation["culture"] == D("0.00")
    assert result[1].tendency["culture"] == "in line"
    assert result[1].deviation["leadership"] is None
    assert result[1].on_time_share == D("0.5")
    # person 3: loop 100: 60 - 75 = -15; loop 200: 80 - 90 = -10 -> -12.5
    assert result[3].deviation["technical"] == D("-12.50")
    assert result[3].tendency["technical"] == "harsh"
    assert result[3].on_time_share == D("0")
    # person 2: 70 - mean(80, 60) = 0; one score: no spread
    assert result[2].tendency["technical"] == "in line"
    assert result[2].spread is None
    # person 1 spread: stdev(80, 90, 70) = 10
    assert result[1].spread == D("10.00")
    assert result[1].cards == 2


def test_calibration_boundary_is_inclusive_at_5_points():
    cards = [
        SubmittedCard(1, 1, {"culture": D(75)}, on_time=True),
        SubmittedCard(2, 1, {"culture": D(70)}, on_time=True),
    ]
    result = {c.interviewer_id: c for c in analytics.calibration(cards)}
    assert result[1].tendency["culture"] == "lenient"
    assert result[2].tendency["culture"] == "harsh"


def test_a_scorecard_is_on_time_up_to_24_hours_after_the_interview():
    interview_at = datetime(2026, 3, 2, 10, tzinfo=UTC)
    assert analytics.submitted_on_time(
        interview_at=interview_at, submitted_at=interview_at + timedelta(hours=24)
    )
    assert not analytics.submitted_on_time(
        interview_at=interview_at, submitted_at=interview_at + timedelta(hours=24, seconds=1)
    )
