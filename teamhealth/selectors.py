"""Team-health reads shared by views, tasks and the API. No template triggers a query."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, QuerySet
from django.http import Http404

from accounts.models import User

from . import access, lifecycle, periods, survey_summaries, thresholds
from .models import (
    Alert,
    AlertSubject,
    IntegrationToken,
    Metric,
    MetricValue,
    Source,
    SurveySummary,
    Team,
    Threshold,
)

CHART_PERIODS = 13


def writable_teams(token: IntegrationToken) -> QuerySet[Team]:
    """The teams an integration token may write to: every team only when it says
    so, otherwise the teams it lists (none once they have all been deleted)."""
    if token.all_teams:
        return Team.objects.all()
    return token.teams.all()


def team_for(user: User, slug: str) -> Team:
    """The team if ``user`` may read it (``access``); anything else is a 404."""
    team = access.teams_readable_by(user).filter(slug=slug).first()
    if team is None:
        raise Http404("No such team.")
    return team


def alert_for(user: User, alert_id: int) -> Alert:
    alert = (
        Alert.objects.select_related("team", "acknowledged_by")
        .prefetch_related("team__managers")
        .filter(pk=alert_id)
        .first()
    )
    if alert is None or not access.can_read_team(user, alert.team):
        raise Http404("No such alert.")
    return alert


@dataclass
class MetricStatus:
    metric: str
    label: str
    direction: str
    limit: Decimal
    limit_source: str
    value: Decimal | None = None
    period_start: date | None = None
    source: str = ""
    entered_by: str = ""  # the person, if one entered it
    entered_via: str = ""  # otherwise what it came through ("survey round ...")
    status: str = "no-data"  # ok, breach, warning, no-data
    chart: dict = field(default_factory=dict)

    @property
    def unit(self) -> str:
        return thresholds.UNIT[self.metric].strip()

    @property
    def status_label(self) -> str:
        return {
            "ok": "Within threshold",
            "breach": "Past threshold",
            "warning": "Early warning",
            "no-data": "No data yet",
        }[self.status]


def _status(metric: str, value, limit, alert: Alert | None) -> str:
    early_warning = alert is not None and alert.kind == Alert.Kind.EARLY_WARNING
    return thresholds.metric_status(metric, value, limit, early_warning=early_warning)


def team_health(team: Team, *, today: date) -> dict:
    """Everything the team page shows, in a constant number of queries."""
    starts = periods.previous_periods(today, CHART_PERIODS)
    values = list(
        MetricValue.objects.filter(team=team, period_start__gte=starts[0])
        .select_related("entered_by")
        .order_by("metric", "period_start")
    )
    limits = limits_in_force([team.pk])[team.pk]
    alerts = list(
        Alert.objects.filter(team=team)
        .exclude(status=Alert.Status.RESOLVED)
        .select_related("acknowledged_by")
        .order_by("subject")
    )
    open_by_subject = {a.subject: a for a in alerts}
    by_metric: dict[str, list[MetricValue]] = defaultdict(list)
    for mv in values:
        by_metric[mv.metric].append(mv)
    rows = []
    for metric in thresholds.METRICS:
        limit, source = limits[metric]
        row = MetricStatus(
            metric=metric,
            label=Metric(metric).label,
            direction=thresholds.DIRECTION[metric],
            limit=limit,
            limit_source=source,
        )
        history = by_metric.get(metric, [])
        if history:
            latest = history[-1]
            row.value, row.period_start = latest.value, latest.period_start
            row.source = latest.get_source_display()
            if latest.entered_by:
                row.entered_by = str(latest.entered_by)
            else:
                row.entered_via = latest.entered_via
        row.status = _status(metric, row.value, limit, open_by_subject.get(metric))
        known = {mv.period_start: float(mv.value) for mv in history}
        row.chart = {
            "id": f"chart-{metric}",
            "label": row.label,
            "unit": row.unit,
            "labels": [f"{s:%d %b}" for s in starts],
            "values": [known.get(s) for s in starts],
            "threshold": float(limit),
            "direction": row.direction,
        }
        rows.append(row)
    survey_values = [
        mv for mv in by_metric.get(Metric.FEEDBACK_SCORE, []) if mv.source == Source.SURVEY
    ]
    summary = SurveySummary.objects.filter(team=team).order_by("-closed_on", "-pk").first()
    return {
        "team": team,
        "rows": rows,
        "charts": [row.chart for row in rows],
        "alerts": [a for a in alerts if a.subject != AlertSubject.ACTION_PLAN],
        "action_plan_alert": open_by_subject.get(AlertSubject.ACTION_PLAN),
        "latest_survey": survey_values[-1] if survey_values else None,
        "survey_values": survey_values[-3:],
        "survey_summary": summary,
        "survey_dimensions": [
            (name, Decimal(score)) for name, score in summary.dimension_scores.items()
        ]
        if summary
        else [],
        "action_plan": survey_summaries.action_plan_state(
            status=summary.action_plan_status, closed_on=summary.closed_on, today=today
        )
        if summary
        else None,
    }


def overview(teams: QuerySet[Team], *, today: date) -> list[dict]:
    """Teams by metrics: each team's latest value per metric with its status, in 4 queries.

    Open alerts are counted as ``awake_alerts`` and ``snoozed_alerts``.
    """
    ordered = list(teams.order_by("name"))
    ids = [t.pk for t in ordered]
    since = periods.previous_periods(today, CHART_PERIODS)[0]
    latest: dict[tuple[int, str], MetricValue] = {}
    for mv in MetricValue.objects.filter(team_id__in=ids, period_start__gte=since).order_by(
        "period_start"
    ):
        latest[(mv.team_id, mv.metric)] = mv
    limits = limits_in_force(ids)
    open_alerts: dict[tuple[int, str], Alert] = {}
    counts: dict[int, int] = defaultdict(int)
    snoozed: dict[int, int] = defaultdict(int)
    for alert in Alert.objects.filter(team_id__in=ids).exclude(status=Alert.Status.RESOLVED):
        open_alerts[(alert.team_id, alert.subject)] = alert
        counts[alert.team_id] += 1
        shown = lifecycle.shown_status(
            status=alert.status, snoozed_until=alert.snoozed_until, today=today
        )
        if shown == lifecycle.SNOOZED:
            snoozed[alert.team_id] += 1
    result = []
    for team in ordered:
        cells = []
        for metric in thresholds.METRICS:
            latest_value = latest.get((team.pk, metric))
            limit = limits[team.pk][metric][0]
            value = latest_value.value if latest_value else None
            cells.append(
                {
                    "metric": metric,
                    "label": Metric(metric).label,
                    "value": value,
                    "unit": thresholds.UNIT[metric].strip(),
                    "status": _status(metric, value, limit, open_alerts.get((team.pk, metric))),
                    "limit": limit,
                    "direction": thresholds.DIRECTION[metric],
                }
            )
        result.append(
            {
                "team": team,
                "cells": cells,
                "open_alerts": counts[team.pk],
                # Open but quiet while snoozed: counted apart, not as firing.
                "snoozed_alerts": snoozed[team.pk],
                "awake_alerts": counts[team.pk] - snoozed[team.pk],
            }
        )
    return result


# --- Thresholds -----------------------------------------------------------------


def limits_in_force(team_ids: list[int]) -> dict[int, dict[str, tuple[Decimal, str]]]:
    """{team id: {metric: (limit, where it comes from)}} from overrides, globals, then defaults."""
    rows = list(
        Threshold.objects.filter(team_id__isnull=True)
        | Threshold.objects.filter(team_id__in=team_ids)
    )
    global_limits = {
        m: (limit, "built-in default") for m, limit in thresholds.DEFAULT_LIMITS.items()
    }
    overrides: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for row in rows:
        if row.team_id is None:
            global_limits[row.metric] = (row.limit, "global default")
        else:
            overrides[row.team_id][row.metric] = row.limit
    result = {}
    for team_id in team_ids:
        limits = dict(global_limits)
        for metric, limit in overrides.get(team_id, {}).items():
            limits[metric] = (limit, "team override")
        result[team_id] = limits
    return result


def global_limit(*, metric: str) -> Decimal:
    """The global threshold of ``metric`` (the built-in default when none is set)."""
    row = Threshold.objects.filter(team__isnull=True, metric=metric).first()
    return row.limit if row else thresholds.DEFAULT_LIMITS[metric]


def preview_threshold(*, metric: str, limit: Decimal, team: Team | None, today: date) -> int:
    """How many alerts ``limit`` would have raised over the last 12 periods.

    For a global threshold, every team without its own override counts.
    """
    starts = periods.previous_periods(today, 12)
    values = MetricValue.objects.filter(metric=metric, period_start__gte=starts[0])
    if team is not None:
        values = values.filter(team=team)
    else:
        overridden = Threshold.objects.filter(metric=metric, team__isnull=False).values("team_id")
        values = values.exclude(team_id__in=overridden)
    histories: dict[int, list] = defaultdict(list)
    for team_id, start, value in values.order_by("team_id", "period_start").values_list(
        "team_id", "period_start", "value"
    ):
        histories[team_id].append((start, value))
    return thresholds.count_alerts(
        metric=metric, histories=list(histories.values()), limit=limit, periods=12
    )


def threshold_preview(*, metric: str, limit: Decimal, team: Team | None, today: date) -> dict:
    """What changing a threshold to ``limit`` would have done over the last 12 periods.

    Compared with the threshold in force, in words an admin reads before saving.
    """
    count = preview_threshold(metric=metric, limit=limit, team=team, today=today)
    current_limit = (
        limits_in_force([team.pk])[team.pk][metric][0]
        if team is not None
        else global_limit(metric=metric)
    )
    current_count = preview_threshold(metric=metric, limit=current_limit, team=team, today=today)
    scope = team.name if team is not None else "all teams without an override"
    return {
        "count": count,
        "current_limit": str(current_limit),
        "current_count": current_count,
        "message": (
            f"With {limit} this would have raised {count} alert"
            f"{'' if count == 1 else 's'} over the last 12 periods for {scope} "
            f"(the threshold in force, {current_limit}, raised {current_count})."
        ),
    }


def threshold_chart(*, metric: str, team: Team | None, today: date) -> dict | None:
    """The team's values over the periods the preview counts, to draw a proposed limit on.

    None for a global threshold: it has no one team's chart.
    """
    if team is None:
        return None
    starts = periods.previous_periods(today, 12)
    known = {
        start: float(value)
        for start, value in MetricValue.objects.filter(
            team=team, metric=metric, period_start__gte=starts[0]
        ).values_list("period_start", "value")
    }
    return {
        "team": team.name,
        "label": Metric(metric).label,
        "unit": thresholds.UNIT[metric].strip(),
        "direction": thresholds.DIRECTION[metric],
        "labels": [f"{start:%d %b}" for start in starts],
        "values": [known.get(start) for start in starts],
        "current_limit": float(limits_in_force([team.pk])[team.pk][metric][0]),
    }


def metric_bounds() -> thresholds.Bounds:
    """The organisation's bounds on metric values and periods (settings an admin sets)."""
    return thresholds.Bounds(
        max_delivery_rate=Decimal(settings.KEEL_MAX_DELIVERY_RATE),
        history_start=settings.KEEL_HISTORY_START,
    )


def open_alert_counts() -> dict[str, int]:
    """Alerts not yet resolved, by status (firing, acknowledged), over every team. One query."""
    counts: dict[str, int] = {
        str(Alert.Status.FIRING.value): 0,
        str(Alert.Status.ACKNOWLEDGED.value): 0,
    }
    rows = (
        Alert.objects.filter(status__in=(Alert.Status.FIRING, Alert.Status.ACKNOWLEDGED))
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts.update({str(status): n for status, n in rows})
    return counts
