"""The alert outbox: who hears of an alert change, sending it, retrying it, the weekly digest.

Each alert change writes one ``Delivery`` row per recipient in the alert's own
transaction; a task sends each row once committed, and retries transient
failures with backoff.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import User

from .. import background, notifications, periods, selectors, thresholds
from ..models import Alert, Delivery, Metric, MetricValue, SlackWebhook, Team

logger = logging.getLogger(__name__)


def team_url(team: Team) -> str:
    return settings.SITE_URL + reverse("teamhealth:team_detail", args=[team.slug])


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
        (Delivery.Channel.EMAIL, manager.email)
        for manager in team.managers.all()
        if manager.email and manager.is_active
    ]
    rows += [
        (Delivery.Channel.SLACK, hook.url)
        for hook in SlackWebhook.objects.filter(
            Q(team__isnull=True) | Q(team=team), active=True
        ).order_by("pk")
    ]
    created = []
    for channel, recipient in rows:
        key = f"alert{alert.pk}-v{alert.version}-{event}-{channel}-{recipient}"[:300]
        delivery, made = Delivery.objects.get_or_create(
            dedupe_key=key,
            defaults={
                "alert": alert,
                "event": event,
                "channel": channel,
                "recipient": recipient,
                "subject": subject,
                "body": body,
                "payload": payload if channel == Delivery.Channel.SLACK else {},
            },
        )
        if made:
            created.append(delivery.pk)
    _send_after_commit(created)


def _send_after_commit(delivery_ids: list[int]) -> None:
    for delivery_id in delivery_ids:
        background.queue_after_commit(background.SEND_DELIVERY, delivery_id)


MAX_ATTEMPTS = 8


def backoff_seconds(attempts: int, retry_after: int | None = None) -> int:
    """30 s, 60 s, 2 min … capped at an hour; a server's Retry-After wins when longer."""
    delay = min(30 * 2 ** max(attempts - 1, 0), 3600)
    return max(delay, retry_after or 0)


def deliver(*, delivery_id: int, only_if_due: bool = False) -> tuple[str, int | None]:
    """Send one outbox row. Returns (status, seconds until the next try or None).

    The row stays locked while it is sent, so two workers handed the same
    delivery cannot both send it: the second finds it sent. ``only_if_due``
    (the sweeper) leaves alone a row whose next try is still ahead: its own
    task retried it meanwhile and set a later time, and trying now would
    skip the backoff and use up its attempts.
    """
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().filter(pk=delivery_id).first()
        if delivery is None or delivery.status != Delivery.Status.PENDING:
            return (delivery.status if delivery else "missing", None)
        if only_if_due and delivery.next_attempt_at and delivery.next_attempt_at > timezone.now():
            return delivery.status, None
        delivery.attempts += 1
        retry_in = None
        try:
            if delivery.channel == Delivery.Channel.EMAIL:
                notifications.send_email(
                    to=delivery.recipient, subject=delivery.subject, body=delivery.body
                )
            else:
                notifications.post_to_slack(url=delivery.recipient, payload=delivery.payload)
        except notifications.TransientDeliveryError as error:
            delivery.last_error = str(error)[:2000]
            if delivery.attempts >= MAX_ATTEMPTS:
                delivery.status = Delivery.Status.FAILED
            else:
                retry_in = backoff_seconds(delivery.attempts, error.retry_after)
                delivery.next_attempt_at = timezone.now() + timedelta(seconds=retry_in)
        except notifications.PermanentDeliveryError as error:
            delivery.last_error = str(error)[:2000]
            delivery.status = Delivery.Status.FAILED
        else:
            delivery.status = Delivery.Status.SENT
            delivery.sent_at = timezone.now()
            delivery.last_error = ""
        delivery.save()
        if delivery.status == Delivery.Status.FAILED:
            logger.warning("Delivery %s failed for good: %s", delivery.pk, delivery.last_error)
        return delivery.status, retry_in


@transaction.atomic
def retry_delivery(*, delivery: Delivery) -> None:
    """An admin sends a failed delivery again."""
    Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.FAILED).update(
        status=Delivery.Status.PENDING, attempts=0, next_attempt_at=None
    )
    _send_after_commit([delivery.pk])


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
    created = []
    with transaction.atomic():
        for manager_id, manager_teams in by_manager.items():
            open_count = sum(len(t.alerts) for t in manager_teams)
            subject = (
                f"Team health this week: {open_count} open alert(s)"
                if open_count
                else "Team health this week: no open alerts"
            )
            try:
                with transaction.atomic():
                    delivery = Delivery.objects.create(
                        event="digest",
                        channel=Delivery.Channel.EMAIL,
                        recipient=managers[manager_id].email,
                        subject=subject,
                        body=notifications.digest_body(teams=manager_teams, week=week),
                        dedupe_key=f"digest-{year}-W{week:02d}-user{manager_id}",
                    )
            except IntegrityError:
                continue  # this week's digest is already queued
            created.append(delivery.pk)
        _send_after_commit(created)
    return len(created)


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
