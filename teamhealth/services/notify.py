"""Who hears of an alert change, and the weekly digest.

Each alert change queues one outbox message per recipient (each manager's
email, each Slack webhook) in the alert's own transaction; the outbox sends,
retries and reports them.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from accounts.models import User
from outbox import selectors as outbox_selectors
from outbox import services as outbox
from outbox.models import Message

from .. import notifications, periods, selectors, thresholds
from ..models import Alert, Metric, MetricValue, SlackWebhook, Team

logger = logging.getLogger(__name__)


def team_url(team: Team) -> str:
    return settings.SITE_URL + reverse("teamhealth:team_detail", args=[team.slug])


ALERT_KIND = "teamhealth.alert"
DIGEST_KIND = "teamhealth.digest"


def notify_alert(*, alert: Alert, event: str) -> None:
    """Queue this change for the team's managers and Slack, in the alert's own transaction."""
    team = alert.team
    url = team_url(team)
    subject = notifications.subject_for(event, alert.message)
    body = notifications.email_body(
        event=event, message=alert.message, reason=alert.reason, team_url=url
    )
    payload = notifications.slack_payload(
        event=event, message=alert.message, reason=alert.reason, team_url=url
    )
    rows = [
        (Message.Channel.EMAIL, manager.email)
        for manager in team.managers.all()
        if manager.email and manager.is_active
    ]
    rows += [
        (Message.Channel.SLACK, hook.url)
        for hook in SlackWebhook.objects.filter(
            Q(team__isnull=True) | Q(team=team), active=True
        ).order_by("pk")
    ]
    outbox.enqueue(
        [
            outbox.Draft(
                kind=f"{ALERT_KIND}.{event}",
                about=f"alert:{alert.pk}",
                channel=channel,
                recipient=recipient,
                dedupe_key=f"alert{alert.pk}-v{alert.version}-{event}-{channel}-{recipient}",
                subject=subject,
                body=body if channel == Message.Channel.EMAIL else "",
                payload=payload if channel == Message.Channel.SLACK else {},
            )
            for channel, recipient in rows
        ]
    )


def queue_weekly_digests(*, today: date) -> int:
    """One digest email per manager, once per ISO week: each of their teams' metrics and alerts.

    Every active manager with an email gets one, including an "all clear"
    week, so a quiet inbox means a healthy team rather than a lost email.
    A fixed number of queries whatever the number of teams and managers.
    """
    year, week, _ = today.isocalendar()
    teams = list(
        Team.objects.filter(managers__isnull=False)
        .distinct()
        .prefetch_related("managers")
        .order_by("name")
    )
    ids = [team.pk for team in teams]
    since = periods.previous_periods(today, 13)[0]
    latest: dict[tuple[int, str], Decimal] = {}
    for team_id, metric, value in (
        MetricValue.objects.filter(team_id__in=ids, period_start__gte=since)
        .order_by("period_start")
        .values_list("team_id", "metric", "value")
    ):
        latest[(team_id, metric)] = value
    limits = selectors.limits_in_force(ids)
    alerts: dict[int, list[Alert]] = defaultdict(list)
    for alert in (
        Alert.objects.filter(team_id__in=ids)
        .exclude(status=Alert.Status.RESOLVED)
        .order_by("subject")
    ):
        alerts[alert.team_id].append(alert)
    sections: dict[int, notifications.DigestTeam] = {}
    by_manager: dict[int, list[notifications.DigestTeam]] = defaultdict(list)
    managers: dict[int, User] = {}
    for team in teams:
        for manager in team.managers.all():
            if not (manager.email and manager.is_active):
                continue
            if team.pk not in sections:
                sections[team.pk] = _digest_team(
                    team, latest, limits[team.pk], alerts[team.pk], today=today
                )
            managers[manager.pk] = manager
            by_manager[manager.pk].append(sections[team.pk])
    keys = {pk: f"digest-{year}-W{week:02d}-user{pk}" for pk in by_manager}
    queued = outbox_selectors.existing_keys(list(keys.values()))
    drafts = []
    for manager_id, manager_teams in by_manager.items():
        if keys[manager_id] in queued:
            continue  # this week's digest is already queued
        open_count = sum(len(t.alerts) for t in manager_teams)
        drafts.append(
            outbox.Draft(
                kind=DIGEST_KIND,
                about=f"user:{manager_id}",
                recipient=managers[manager_id].email,
                dedupe_key=keys[manager_id],
                subject=(
                    f"Team health this week: {open_count} open alert(s)"
                    if open_count
                    else "Team health this week: no open alerts"
                ),
                body=notifications.digest_body(teams=manager_teams, week=week),
            )
        )
    with transaction.atomic():
        outbox.enqueue(drafts)
    return len(drafts)


def _digest_status(alert: Alert, today: date) -> str:
    status = alert.get_status_display().lower()
    if alert.snoozed_until is not None and alert.snoozed_until >= today:
        status += f", snoozed until {alert.snoozed_until:%-d %b %Y}"
    return status


_DIGEST_STATE = {
    "no-data": "no data yet",
    "breach": "PAST THRESHOLD",
    "warning": "early warning",
    "ok": "within threshold",
}


def _digest_team(team: Team, latest: dict, limits: dict, alerts: list[Alert], *, today: date):
    warned = {a.subject for a in alerts if a.kind == Alert.Kind.EARLY_WARNING}
    metrics = []
    for metric in thresholds.METRICS:
        limit = limits[metric][0]
        value = latest.get((team.pk, metric))
        state = _DIGEST_STATE[
            thresholds.metric_status(metric, value, limit, early_warning=metric in warned)
        ]
        metrics.append(
            (
                Metric(metric).label,
                "–" if value is None else thresholds.with_unit(metric, value),
                f"{thresholds.DIRECTION[metric]} {thresholds.one_decimal(limit)}",
                state,
            )
        )
    return notifications.DigestTeam(
        name=team.name,
        url=team_url(team),
        metrics=tuple(metrics),
        alerts=tuple((a.message, _digest_status(a, today)) for a in alerts),
    )
