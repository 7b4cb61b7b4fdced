"""Team-health reads shared by views, tasks and the API. No template triggers a query."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.paginator import Page
from django.db.models import (
    BooleanField,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from accounts.models import User
from accounts.pagination import CountedPaginator

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


ATTENTION, ALL = "attention", "all"
TEAMS_PER_PAGE = 25


def _limit_expression(metric: str, global_limit: Decimal):
    """The limit in force for ``metric`` of the outer team: its override, else the global one."""
    override = Threshold.objects.filter(team=OuterRef("pk"), metric=metric).values("limit")[:1]
    return Coalesce(
        Subquery(override),
        Value(global_limit),
        output_field=DecimalField(max_digits=8, decimal_places=2),
    )


def breach_q(metric: str, value: str, limit: str) -> Q:
    """``thresholds.is_breach`` as a database condition on two annotations: a
    value strictly past its limit, in the metric's direction."""
    if thresholds.DIRECTION[metric] == thresholds.MAX:
        return Q(**{f"{value}__gt": F(limit)})
    return Q(**{f"{value}__lt": F(limit)})


def _firing(today: date) -> Q:
    """Alerts firing and not quiet under a snooze (``lifecycle.shown_status``)."""
    return Q(status=Alert.Status.FIRING) & ~Q(snoozed_until__gte=today)


def teams_with_health(teams: QuerySet[Team], *, today: date) -> QuerySet[Team]:
    """``teams`` annotated, by the database, with each metric's latest value of
    the last 13 periods (``latest_<metric>``), the limit in force
    (``limit_<metric>``), whether it is past it (``breach_<metric>``), whether
    an alert on it is firing unsnoozed (``alerting_<metric>``), and
    ``needs_attention``: an alert firing or a value past its threshold.
    Nothing is loaded but the teams asked for."""
    since = periods.previous_periods(today, CHART_PERIODS)[0]
    global_limits = dict(thresholds.DEFAULT_LIMITS)
    global_limits.update(Threshold.objects.filter(team__isnull=True).values_list("metric", "limit"))
    awake = Alert.objects.filter(_firing(today), team=OuterRef("pk"))
    annotations: dict = {"alerting": Exists(awake)}
    for metric in thresholds.METRICS:
        latest = (
            MetricValue.objects.filter(team=OuterRef("pk"), metric=metric, period_start__gte=since)
            .order_by("-period_start")
            .values("value")[:1]
        )
        annotations[f"latest_{metric}"] = Subquery(latest)
        annotations[f"limit_{metric}"] = _limit_expression(metric, global_limits[metric])
        annotations[f"alerting_{metric}"] = Exists(awake.filter(subject=metric))
    annotated = teams.annotate(**annotations)
    per_metric = {
        f"breach_{metric}": ExpressionWrapper(
            breach_q(metric, f"latest_{metric}", f"limit_{metric}"),
            output_field=BooleanField(),
        )
        for metric in thresholds.METRICS
    }
    annotated = annotated.annotate(**per_metric)
    attention = Q(alerting=True)
    for metric in thresholds.METRICS:
        attention |= Q(**{f"breach_{metric}": True})
    return annotated.annotate(
        needs_attention=ExpressionWrapper(attention, output_field=BooleanField())
    )


def _attention_q(metric: str) -> Q:
    if metric:
        return Q(**{f"breach_{metric}": True}) | Q(**{f"alerting_{metric}": True})
    return Q(needs_attention=True)


@dataclass(frozen=True)
class Overview:
    rows: list[dict]  # the page's teams, as ``overview_rows`` makes them
    page: Page
    state: str  # ATTENTION or ALL
    metric: str  # "" or the metric whose state narrows "needs attention"
    search: str
    total: int  # teams matching the search
    attention: int  # of those, how many need attention (on ``metric`` if given)

    @property
    def metric_label(self) -> str:
        return Metric(self.metric).label if self.metric else ""


def overview(
    teams: QuerySet[Team],
    *,
    today: date,
    state: str = ATTENTION,
    metric: str = "",
    search: str = "",
    page: str | int | None = None,
) -> Overview:
    """One page of teams by metrics, in a fixed number of queries whatever the
    number of teams: the counts (teams, teams needing attention), then the
    page's teams with their latest values, then their open alerts.

    ``state`` ATTENTION keeps the teams with an alert firing or a value past
    its threshold (on ``metric`` alone when given); ALL keeps every team.
    ``search`` narrows to team names containing it."""
    state = state if state in (ATTENTION, ALL) else ATTENTION
    metric = metric if metric in thresholds.METRICS else ""
    search = search.strip()[:100]
    health = teams_with_health(teams, today=today)
    if search:
        health = health.filter(name__icontains=search)
    attention = _attention_q(metric)
    counts = health.order_by().aggregate(total=Count("pk"), attention=Count("pk", filter=attention))
    shown = health.filter(attention) if state == ATTENTION else health
    count = counts["attention"] if state == ATTENTION else counts["total"]
    paged = CountedPaginator(shown.order_by("name", "pk"), TEAMS_PER_PAGE, count=count)
    page_obj = paged.get_page(page)
    page_teams = list(page_obj.object_list)
    return Overview(
        rows=overview_rows(page_teams, today=today),
        page=page_obj,
        state=state,
        metric=metric,
        search=search,
        total=counts["total"],
        attention=counts["attention"],
    )


def overview_rows(teams: list[Team], *, today: date) -> list[dict]:
    """Each team (annotated by ``teams_with_health``) with its latest value per
    metric and its status; open alerts counted as ``awake_alerts`` and
    ``snoozed_alerts``. One query, for the open alerts of these teams only."""
    ids = [t.pk for t in teams]
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
    for team in teams:
        cells = []
        for metric in thresholds.METRICS:
            value = getattr(team, f"latest_{metric}")
            limit = getattr(team, f"limit_{metric}")
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
