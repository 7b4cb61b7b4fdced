"""Every write of the teamhealth app goes through here.

Other apps push into team health through these services (``surveys`` records
its feedback score here); ``teamhealth`` never imports them.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User

from . import periods
from .models import HealthSignal, Metric, MetricValue, Source, Team


@transaction.atomic
def record_metric(
    *,
    team: Team,
    metric: str,
    day: date,
    value: Decimal,
    source: str,
    entered_by: User | None = None,
    entered_via: str = "",
) -> MetricValue:
    """Record (or replace) a team's value of a metric for the period containing ``day``."""
    if metric not in Metric.values:
        raise ValidationError({"metric": f"Unknown metric {metric!r}."})
    if source not in Source.values:
        raise ValidationError({"source": f"Unknown source {source!r}."})
    start = periods.period_start(day)
    existing = (
        MetricValue.objects.select_for_update()
        .filter(team=team, metric=metric, period_start=start)
        .first()
    )
    metric_value = existing or MetricValue(team=team, metric=metric, period_start=start)
    metric_value.value = value
    metric_value.source = source
    metric_value.entered_by = entered_by
    metric_value.entered_via = entered_via
    metric_value.full_clean()
    metric_value.save()
    return metric_value


@transaction.atomic
def raise_action_plan_overdue(*, team: Team, round_label: str, closed_on: date) -> None:
    """Record that a survey round closed on ``closed_on`` has no action plan 7 days later.

    Idempotent: the same round is recorded once, however often this is called.
    """
    HealthSignal.objects.get_or_create(
        team=team,
        kind=HealthSignal.Kind.ACTION_PLAN_OVERDUE,
        key=f"round:{round_label}"[:200],
        defaults={
            "message": (
                f"[{team.name}] Survey action plan overdue: round {round_label} "
                f"closed {closed_on:%Y-%m-%d}"
            )[:300],
            "period_start": periods.period_start(closed_on),
        },
    )
