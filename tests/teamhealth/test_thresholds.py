"""The rules users argue about: breach, message, early warnings, turnover. No database."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from teamhealth import thresholds as t

START = date(2026, 1, 5)


def history(*values):
    return [(START + timedelta(days=14 * i), D(str(v))) for i, v in enumerate(values)]


@pytest.mark.parametrize(
    ("metric", "value", "limit", "fires"),
    [
        ("oncall_hours", "10.0", "10.0", False),
        ("oncall_hours", "10.01", "10.0", True),
        ("oncall_hours", "9.99", "10.0", False),
        ("turnover", "20", "20", False),
        ("turnover", "20.01", "20", True),
        ("feedback_score", "65", "65", False),
        ("feedback_score", "64.99", "65", True),
        ("feedback_score", "65.01", "65", False),
        ("delivery_rate", "20", "20", False),
        ("delivery_rate", "19.99", "20", True),
        ("delivery_rate", "0", "0", False),
    ],
)
def test_a_value_equal_to_its_threshold_does_not_fire(metric, value, limit, fires):
    assert t.is_breach(metric, D(value), D(limit)) is fires


@pytest.mark.parametrize(
    ("metric", "value", "limit", "message"),
    [
        (
            "oncall_hours",
            "12.5",
            "10",
            "[Backend Payments] High on-call burden: 12.5 hrs/week (max 10.0)",
        ),
        ("turnover", "25", "20", "[Backend Payments] High turnover: 25.0% (max 20.0)"),
        (
            "feedback_score",
            "58.25",
            "65",
            "[Backend Payments] Low feedback score: 58.3/100 (min 65.0)",
        ),
        (
            "delivery_rate",
            "14",
            "20",
            "[Backend Payments] Low delivery rate: 14.0 points/sprint (min 20.0)",
        ),
    ],
)
def test_every_metric_has_a_message_in_the_product_format(metric, value, limit, message):
    finding = t.evaluate(
        team_name="Backend Payments", metric=metric, history=history(value), limit=D(limit)
    )
    assert finding.kind == t.BREACH
    assert finding.message == message
    assert "threshold" not in finding.reason or finding.reason  # says why
    assert finding.reason.startswith(f"The {t._NAME[metric]} of the period starting")


def test_breach_severity_grows_with_distance_past_the_limit():
    assert t.severity("oncall_hours", D("12.5"), D("10")) == D("2.5")
    assert t.severity("delivery_rate", D("14"), D("20")) == D("6")
    assert t.severity("delivery_rate", D("24"), D("20")) == D("0")


@pytest.mark.parametrize(
    ("values", "warns"),
    [
        ((5, 6, 7, 8), True),  # three periods in a row worse
        ((6, 7, 8), False),  # only two changes
        ((5, 6, 6, 8), False),  # equal is not worse
        ((9, 6, 7, 8), False),
        ((1, 2, 3, 4, 5), True),
    ],
)
def test_worsening_streak_needs_three_periods_in_a_row(values, warns):
    finding = t.evaluate(
        team_name="T", metric="oncall_hours", history=history(*values), limit=D("100")
    )
    assert (finding is not None and finding.kind == t.EARLY_WARNING) is warns
    if warns:
        assert "got worse 3 periods in a row" in finding.reason


def test_worsening_streak_for_a_minimum_metric_means_falling():
    finding = t.evaluate(
        team_name="T", metric="feedback_score", history=history(80, 78, 76, 75), limit=D("10")
    )
    assert finding.kind == t.EARLY_WARNING
    assert finding.message == "[T] Early warning, feedback score: 75.0/100 (min 10.0)"


# Trailing eight: mean 10, population standard deviation 1 (four 9s and four 11s).
TRAILING = (9, 11, 9, 11, 9, 11, 9, 11)


@pytest.mark.parametrize(
    ("current", "warns"),
    [("12", False), ("12.01", True), ("11.99", False), ("1", False)],
)
def test_outlier_beyond_two_standard_deviations_of_trailing_eight(current, warns):
    finding = t.evaluate(
        team_name="T", metric="oncall_hours", history=history(*TRAILING, current), limit=D("100")
    )
    assert (finding is not None) is warns
    if warns:
        assert "more than 2 standard deviations" in finding.reason
        assert "mean 10.0, standard deviation 1.0" in finding.reason


def test_outlier_needs_eight_trailing_periods():
    finding = t.evaluate(
        team_name="T", metric="oncall_hours", history=history(*TRAILING[1:], "30"), limit=D("100")
    )
    assert finding is None


def test_outlier_in_the_better_direction_is_not_a_warning():
    finding = t.evaluate(
        team_name="T", metric="delivery_rate", history=history(*TRAILING, "30"), limit=D("0")
    )
    assert finding is None


def test_a_breach_outranks_an_early_warning():
    finding = t.evaluate(
        team_name="T", metric="oncall_hours", history=history(5, 6, 7, 11), limit=D("10")
    )
    assert finding.kind == t.BREACH


@pytest.mark.parametrize(
    ("metric", "limit", "problem"),
    [
        ("turnover", "100", None),
        ("turnover", "100.01", "between 0 and 100"),
        ("feedback_score", "-1", "cannot be negative"),
        ("oncall_hours", "-0.5", "Hours cannot be negative"),
        ("oncall_hours", "500", None),
        ("delivery_rate", "-1", "Points cannot be negative"),
        ("delivery_rate", "0", None),
    ],
)
def test_validate_limit_explains_what_is_wrong(metric, limit, problem):
    message = t.validate_limit(metric, D(limit))
    if problem is None:
        assert message is None
    else:
        assert problem in message


def test_count_alerts_counts_breach_episodes_not_periods():
    histories = [history(5, 11, 12, 5, 11), history(5, 5, 5), history(10, 10)]
    assert t.count_alerts(metric="oncall_hours", histories=histories, limit=D(10), periods=12) == 2
    assert t.count_alerts(metric="oncall_hours", histories=histories, limit=D(4), periods=12) == 3
    assert t.count_alerts(metric="oncall_hours", histories=histories, limit=D(10), periods=2) == 1


def test_turnover_is_leavers_in_six_months_over_average_headcount():
    on = date(2026, 11, 25)
    long_ago = date(2020, 1, 1)
    spans = [(long_ago, None)] * 9 + [(long_ago, on - timedelta(days=10))]
    # 10 people for most of the window, 9 at the end: average 9.93, one leaver.
    assert t.turnover_percent(spans, on) == D("10.07")


def test_turnover_ignores_leavers_before_the_window_and_handles_empty_teams():
    on = date(2026, 11, 25)
    spans = [(date(2020, 1, 1), None), (date(2020, 1, 1), on - timedelta(days=200))]
    assert t.turnover_percent(spans, on) == D("0.00")
    assert t.turnover_percent([], on) is None
    assert t.turnover_percent([(date(2020, 1, 1), on - timedelta(days=300))], on) is None


@pytest.mark.parametrize(
    ("value", "early_warning", "expected"),
    [
        (None, True, "no-data"),
        (D("10.5"), True, "breach"),  # past the limit wins over a warning
        (D(10), True, "warning"),  # equal to the limit is not a breach
        (D(10), False, "ok"),
    ],
)
def test_metric_status_for_pages_and_digests(value, early_warning, expected):
    assert t.metric_status("oncall_hours", value, D(10), early_warning=early_warning) == expected


@pytest.mark.parametrize(
    ("metric", "value", "problem"),
    [
        ("turnover", "0", None),
        ("turnover", "100", None),
        ("turnover", "100.01", "Turnover is between 0 and 100, not 100.01."),
        ("feedback_score", "100", None),
        ("feedback_score", "101", "Feedback score is between 0 and 100, not 101."),
        ("feedback_score", "-1", "Feedback score is 0 or more, not -1."),
        ("oncall_hours", "168", None),
        (
            "oncall_hours",
            "168.01",
            "On-call burden is at most 168 hours a week (every hour of it), not 168.01.",
        ),
        ("oncall_hours", "-0.5", "On-call burden is 0 or more, not -0.5."),
        ("delivery_rate", "250", None),
        ("delivery_rate", "300", None),
        (
            "delivery_rate",
            "300.5",
            "Delivery rate is at most 300 points per sprint (the maximum an admin set), not 300.5.",
        ),
    ],
)
def test_validate_value_bounds_percentages_hours_of_a_week_and_the_delivery_maximum(
    metric, value, problem
):
    assert t.validate_value(metric, D(value), bounds=BOUNDS) == problem


BOUNDS = t.Bounds(max_delivery_rate=D("300"), history_start=date(2020, 1, 1))


@pytest.mark.parametrize(
    ("day", "problem"),
    [
        (
            date(1, 1, 1),
            "0001-01-01 is before the start of history (2020-01-01): no team has values that old.",
        ),
        (
            date(2019, 12, 31),
            "2019-12-31 is before the start of history (2020-01-01): no team has values that old.",
        ),
        (date(2020, 1, 1), None),
        (date(2026, 11, 29), None),
        (date(2026, 11, 30), "The period starting 30 Nov 2026 has not begun yet."),
        (date(9999, 12, 31), "The period starting 20 Dec 9999 has not begun yet."),
    ],
)
def test_validate_period_refuses_before_history_and_periods_not_begun(day, problem):
    assert t.validate_period(day, bounds=BOUNDS, today=date(2026, 11, 26)) == problem


@pytest.mark.parametrize(
    ("metric", "stored", "source", "refused"),
    [
        ("feedback_score", "survey", "manual", True),
        ("feedback_score", "survey", "csv", True),
        ("feedback_score", "survey", "api", True),
        ("feedback_score", "survey", "survey", False),
        ("feedback_score", "manual", "manual", False),
        ("feedback_score", None, "manual", False),
        ("oncall_hours", "survey", "manual", False),
    ],
)
def test_a_survey_feedback_score_is_replaced_only_by_the_survey(metric, stored, source, refused):
    problem = t.validate_replacement(metric, stored_source=stored, source=source)
    assert (problem is not None) == refused


@pytest.mark.parametrize(
    ("metric", "value", "limit", "said"),
    [
        ("oncall_hours", D("8"), D("10"), "back to 8.0 hrs/week (max 10.0)"),
        ("delivery_rate", D("27.25"), D("25"), "back to 27.3 points/sprint (min 25.0)"),
        ("turnover", D("9"), D("15"), "back to 9.0% (max 15.0)"),
    ],
)
def test_cleared_message_quotes_the_value_against_its_limit(metric, value, limit, said):
    assert t.cleared_message(metric, value, limit) == said
