"""Evaluating teams: their metrics against thresholds, then each alert through its lifecycle."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db import transaction

from .. import lifecycle, periods, selectors, thresholds
from ..models import Alert, MetricValue, Team
from .alerts import save_decision, state_of


def evaluate_team_health(*, team: Team, today: date) -> list[Alert]:
    """Check a team's four metrics against their thresholds and early-warning rules."""
    return evaluate_teams(team_ids=[team.pk], today=today)


@transaction.atomic
def evaluate_teams(*, team_ids: list[int], today: date) -> list[Alert]:
    """Evaluate many teams at once: a few queries for all of them, writes only on change.

    Returns the alerts that were opened, changed or resolved.
    """
    history_periods = thresholds.TRAILING + 1
    current = periods.period_start(today)
    since = current - timedelta(days=periods.PERIOD_DAYS * (history_periods + 3))
    teams = {
        team.pk: team for team in Team.objects.filter(pk__in=team_ids).prefetch_related("managers")
    }
    histories: dict[tuple[int, str], list] = defaultdict(list)
    for team_id, metric, start, value in (
        MetricValue.objects.filter(
            team_id__in=team_ids, period_start__gte=since, period_start__lte=current
        )
        .order_by("team_id", "metric", "period_start")
        .values_list("team_id", "metric", "period_start", "value")
    ):
        histories[(team_id, metric)].append((start, value))
    limits = selectors.limits_in_force(list(teams))
    open_alerts = {
        (alert.team_id, alert.subject): alert
        for alert in Alert.objects.select_for_update()
        .filter(team_id__in=team_ids, subject__in=thresholds.METRICS)
        .exclude(status=Alert.Status.RESOLVED)
    }
    changed = []
    for team_id, team in teams.items():
        for metric in thresholds.METRICS:
            history = histories.get((team_id, metric), [])[-history_periods:]
            limit = limits[team_id][metric][0]
            finding = thresholds.evaluate(
                team_name=team.name, metric=metric, history=history, limit=limit
            )
            alert = open_alerts.get((team_id, metric))
            decision = lifecycle.on_finding(
                alert=state_of(alert) if alert else None,
                finding=finding,
                current_period=current,
                today=today,
                cleared_by=thresholds.cleared_message(metric, history[-1][1], limit)
                if history and finding is None
                else "",
                cleared_value=history[-1][1] if history and finding is None else None,
                cleared_limit=limit if history and finding is None else None,
            )
            if decision.changed:
                stored = alert or Alert(team=team, subject=metric)
                changed.append(save_decision(stored, decision, clean=alert is None))
    return changed
