"""Evaluating teams: their metrics against thresholds and early-warning rules, then their alerts."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db import transaction

from .. import periods, selectors, thresholds
from ..models import Alert, MetricValue, Team
from .alerts import resolve_alert
from .notify import notify_alert


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
            finding = thresholds.evaluate(
                team_name=team.name,
                metric=metric,
                history=history,
                limit=limits[team_id][metric][0],
            )
            alert = _apply_finding(
                team=team,
                metric=metric,
                finding=finding,
                alert=open_alerts.get((team_id, metric)),
                current_period=current,
                today=today,
            )
            if alert is not None:
                changed.append(alert)
    return changed


def _apply_finding(
    *,
    team: Team,
    metric: str,
    finding: thresholds.Finding | None,
    alert: Alert | None,
    current_period: date,
    today: date,
) -> Alert | None:
    """Move one alert through its lifecycle; returns it when something changed."""
    if finding is None:
        if alert is None:
            return None
        return resolve_alert(alert=alert, reason="The value is back within its threshold.")
    if alert is None:
        alert = Alert(team=team, subject=metric, status=Alert.Status.FIRING)
        _copy_finding(alert, finding)
        alert.peak_severity = finding.severity
        alert.last_notified_period = current_period
        alert.full_clean()
        alert.save()
        notify_alert(alert=alert, event="fired")
        return alert
    # Compared with the worst people were told of, so a value going back and
    # forth (12.5, 13, 12, 13) escalates once, not at every step up.
    peak = max(alert.peak_severity, alert.severity)
    peak_rank = (1 if alert.kind == Alert.Kind.BREACH or peak > 0 else 0, peak)
    if finding.rank > peak_rank:
        # Worse than when people last heard of it: tell them again, even if
        # acknowledged or snoozed, and ask for a fresh acknowledgement. The
        # snooze was chosen for the milder problem, so it ends too.
        _copy_finding(alert, finding)
        alert.peak_severity = finding.severity
        alert.status = Alert.Status.FIRING
        alert.snoozed_until = None
        alert.version += 1
        alert.last_notified_period = current_period
        alert.save()
        notify_alert(alert=alert, event="escalated")
        return alert
    updated = (alert.value, alert.message, alert.reason) != (
        finding.value,
        finding.message,
        finding.reason,
    )
    if updated:
        _copy_finding(alert, finding)
    snoozed = alert.snoozed_until is not None and alert.snoozed_until >= today
    if (
        alert.status == Alert.Status.FIRING
        and not snoozed
        and (alert.last_notified_period is None or alert.last_notified_period < current_period)
    ):
        alert.last_notified_period = current_period
        alert.version += 1
        alert.save()
        notify_alert(alert=alert, event="renotify")
        return alert
    if updated:
        alert.save()
        return alert
    return None


def _copy_finding(alert: Alert, finding: thresholds.Finding) -> None:
    alert.kind = finding.kind
    alert.message = finding.message[:300]
    alert.reason = finding.reason
    alert.value = finding.value
    alert.limit = finding.limit
    alert.severity = finding.severity
    alert.period_start = finding.period_start
