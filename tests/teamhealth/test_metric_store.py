from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from teamhealth import periods, services
from teamhealth.models import MetricValue
from tests.factories import TeamFactory


@pytest.mark.parametrize(
    ("day", "start"),
    [
        (date(2024, 1, 1), date(2024, 1, 1)),
        (date(2024, 1, 14), date(2024, 1, 1)),
        (date(2024, 1, 15), date(2024, 1, 15)),
        (date(2023, 12, 31), date(2023, 12, 18)),
        (date(2026, 11, 25), date(2026, 11, 16)),
    ],
)
def test_period_start_is_the_monday_opening_the_two_week_window(day, start):
    assert periods.period_start(day) == start
    assert (periods.period_end(start) - start).days == 13


def test_previous_periods_are_oldest_first_and_end_with_the_current_one():
    starts = periods.previous_periods(date(2026, 11, 25), 3)
    assert starts == [date(2026, 10, 19), date(2026, 11, 2), date(2026, 11, 16)]


@pytest.mark.django_db
def test_record_metric_replaces_the_value_of_the_same_period():
    team = TeamFactory()
    services.record_metric(
        team=team,
        metric="oncall_hours",
        day=date(2026, 11, 17),
        value=Decimal("12.5"),
        source="manual",
    )
    services.record_metric(
        team=team, metric="oncall_hours", day=date(2026, 11, 29), value=Decimal("9"), source="api"
    )
    value = MetricValue.objects.get()
    assert value.period_start == date(2026, 11, 16)
    assert value.value == Decimal("9")
    assert value.source == "api"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("metric", "value"), [("turnover", "100.5"), ("feedback_score", "101"), ("delivery_rate", "-1")]
)
def test_record_metric_rejects_out_of_range_values(metric, value):
    with pytest.raises(ValidationError):
        services.record_metric(
            team=TeamFactory(),
            metric=metric,
            day=date(2026, 11, 17),
            value=Decimal(value),
            source="manual",
        )
    assert not MetricValue.objects.exists()
