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
from .models import Alert, AlertSubject, Metric, MetricValue, Source, Team


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


def _notify(*, alert: Alert, event: str) -> None:
    """Record that ``alert`` changed in a way people hear about (wired to the outbox)."""


@transaction.atomic
def raise_action_plan_overdue(*, team: Team, round_label: str, closed_on: date) -> None:
    """Raise (or keep) the team's "survey action plan overdue" alert.

    Called by the surveys app when a round closed on ``closed_on`` still has no
    published action plan 7 days later. Idempotent: calling it again for the
    same round changes nothing, and never re-opens an alert that was resolved.
    """
    key = f"round:{round_label}"
    alert = (
        Alert.objects.select_for_update()
        .filter(team=team, subject=AlertSubject.ACTION_PLAN)
        .exclude(status=Alert.Status.RESOLVED)
        .first()
    )
    if alert is not None and alert.key == key:
        return
    if Alert.objects.filter(team=team, subject=AlertSubject.ACTION_PLAN, key=key).exists():
        return  # this round's alert was raised and resolved already
    message = (
        f"[{team.name}] Survey action plan overdue: round {round_label} closed {closed_on:%Y-%m-%d}"
    )
    reason = (
        f"The survey round {round_label} closed on {closed_on:%d %b %Y} and no action plan "
        "was published within 7 days."
    )
    if alert is None:
        alert = Alert(team=team, subject=AlertSubject.ACTION_PLAN)
        event = "fired"
    else:
        # A later round is overdue too: the one open alert now speaks of it.
        alert.version += 1
        event = "escalated"
    alert.kind = Alert.Kind.ACTION_PLAN_OVERDUE
    alert.key = key
    alert.message = message[:300]
    alert.reason = reason
    alert.period_start = periods.period_start(closed_on)
    alert.full_clean()
    alert.save()
    _notify(alert=alert, event=event)


@transaction.atomic
def resolve_action_plan_overdue(*, team: Team) -> None:
    """Resolve the team's open "action plan overdue" alert, if any (the plan is published)."""
    alert = (
        Alert.objects.select_for_update()
        .filter(team=team, subject=AlertSubject.ACTION_PLAN)
        .exclude(status=Alert.Status.RESOLVED)
        .first()
    )
    if alert is not None:
        resolve_alert(alert=alert, reason="The action plan was published.")


def resolve_alert(*, alert: Alert, reason: str = "") -> Alert:
    """Close an open alert and send the resolve notice."""
    from django.utils import timezone

    alert.status = Alert.Status.RESOLVED
    alert.resolved_at = timezone.now()
    alert.version += 1
    if reason:
        alert.reason = f"{alert.reason}\nResolved: {reason}".strip()
    alert.save()
    _notify(alert=alert, event="resolved")
    return alert
