"""Reads of alerts over time: an alert's timeline, the all-alerts list, response times.

MTTA is the median time from an alert's opening to its first
acknowledgement, over the alerts that were acknowledged; MTTR the median time
from opening to resolution, over the resolved alerts. Both are medians, so one
alert forgotten for a month does not hide how a team usually answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Min, Q, QuerySet

from accounts.models import User
from outbox import selectors as outbox_selectors
from outbox.models import Message

from . import access, lifecycle
from .models import Alert, AlertEvent, AlertSubject, Team
from .services.notify import ALERT_KIND

# The outbox kind of each notifying change, and the timeline line it belongs to.
_NOTIFIED_BY = {
    f"{ALERT_KIND}.{lifecycle.FIRED}": AlertEvent.Kind.OPENED,
    f"{ALERT_KIND}.{lifecycle.ESCALATED}": AlertEvent.Kind.ESCALATED,
    f"{ALERT_KIND}.{lifecycle.RENOTIFY}": AlertEvent.Kind.REMINDED,
    f"{ALERT_KIND}.{lifecycle.RESOLVED_EVENT}": AlertEvent.Kind.RESOLVED,
}

# The states the all-alerts page filters on: the status people see.
STATES = (
    (lifecycle.FIRING, "Firing"),
    (lifecycle.ACKNOWLEDGED, "Acknowledged"),
    (lifecycle.SNOOZED, "Snoozed"),
    (lifecycle.RESOLVED, "Resolved"),
)


@dataclass
class Notified:
    channel: str  # "email" or "slack"
    to: str  # the address; a Slack post names no webhook (its URL is a secret)
    status: str


@dataclass
class TimelineLine:
    event: AlertEvent
    notified: list[Notified] = field(default_factory=list)


@dataclass(frozen=True)
class ResponseTimes:
    """MTTA and MTTR over a set of alerts, with how many alerts each median is over."""

    mtta: timedelta | None
    mttr: timedelta | None
    acknowledged: int
    resolved: int


def timeline(alert: Alert) -> list[TimelineLine]:
    """Every recorded change of ``alert`` in order, each with where people were told of it.

    Two queries: the events, and the outbox messages about the alert. A message
    belongs to the latest line of its kind written before it (the services write
    the line first, in the same transaction).
    """
    lines = [
        TimelineLine(event)
        for event in AlertEvent.objects.filter(alert=alert)
        .select_related("by")
        .order_by("at", "pk")
    ]
    for message in outbox_selectors.messages_about(
        kinds=list(_NOTIFIED_BY), about=f"alert:{alert.pk}"
    ):
        kind = _NOTIFIED_BY[message.kind]
        candidates = [line for line in lines if line.event.kind == kind]
        if not candidates:
            continue
        before = [line for line in candidates if line.event.at <= message.created_at]
        line = (before or candidates)[-1]
        line.notified.append(
            Notified(
                channel=message.channel,
                to=message.recipient if message.channel == Message.Channel.EMAIL else "",
                status=message.get_status_display().lower(),
            )
        )
    return lines


def first_acknowledged_at(lines: list[TimelineLine]) -> datetime | None:
    """When the alert was first acknowledged (the start of MTTA), from its timeline."""
    return next(
        (line.event.at for line in lines if line.event.kind == AlertEvent.Kind.ACKNOWLEDGED), None
    )


def _first_acknowledged_at() -> Min:
    """When the alert was first acknowledged, from its timeline (the end of MTTA)."""
    return Min("events__at", filter=Q(events__kind=AlertEvent.Kind.ACKNOWLEDGED))


def with_response_times(alerts: QuerySet[Alert]) -> QuerySet[Alert]:
    """Alerts annotated with ``first_acknowledged_at``."""
    return alerts.annotate(first_acknowledged_at=_first_acknowledged_at())


def response_times(alerts: QuerySet[Alert]) -> ResponseTimes:
    """MTTA and MTTR of these alerts, in one query."""
    rows = list(
        alerts.annotate(first_acknowledged_at=_first_acknowledged_at())
        .order_by()
        .values_list("opened_at", "first_acknowledged_at", "resolved_at")
    )
    to_ack = [lifecycle.time_to(opened, acked) for opened, acked, _ in rows]
    to_resolve = [lifecycle.time_to(opened, resolved) for opened, _, resolved in rows]
    return ResponseTimes(
        mtta=lifecycle.median_duration(to_ack),
        mttr=lifecycle.median_duration(to_resolve),
        acknowledged=sum(d is not None for d in to_ack),
        resolved=sum(d is not None for d in to_resolve),
    )


def team_response_times(team: Team) -> ResponseTimes:
    return response_times(Alert.objects.filter(team=team))


def alerts_for(
    user: User,
    *,
    today: date,
    state: str = "",
    subject: str = "",
    team: Team | None = None,
) -> QuerySet[Alert]:
    """The alerts ``user`` may read (every team's for directors and admins, their own
    teams' for managers), filtered, newest first, with what the list shows."""
    alerts = Alert.objects.filter(team__in=access.teams_readable_by(user))
    if team is not None:
        alerts = alerts.filter(team=team)
    if subject:
        alerts = alerts.filter(subject=subject)
    snoozing = Q(status=Alert.Status.FIRING, snoozed_until__gte=today)
    if state == lifecycle.SNOOZED:
        alerts = alerts.filter(snoozing)
    elif state == lifecycle.FIRING:
        alerts = alerts.filter(status=Alert.Status.FIRING).exclude(snoozing)
    elif state:
        alerts = alerts.filter(status=state)
    return with_response_times(alerts.select_related("team")).order_by("-opened_at", "-pk")


def duration_text(duration: timedelta | None) -> str:
    """ "3 d 4 h", "5 h 20 min", "12 min"; a dash when there is none."""
    if duration is None:
        return "–"
    minutes = int(duration.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min"


def elapsed(start: datetime, end: datetime | None) -> str:
    return duration_text(lifecycle.time_to(start, end))


@dataclass
class Waiting:
    count: int
    first: list


def firing_alerts(teams: QuerySet[Team], *, today: date, limit: int) -> Waiting:
    """Alerts of these teams that are firing and not snoozed, worst first: what asks for
    someone now (an acknowledged or snoozed alert has been seen)."""
    rows = (
        Alert.objects.filter(team__in=teams, status=Alert.Status.FIRING)
        .exclude(snoozed_until__gte=today)
        .select_related("team")
    )
    return Waiting(
        count=rows.count(), first=list(rows.order_by("-severity", "-opened_at", "pk")[:limit])
    )


def overdue_action_plans(teams: QuerySet[Team], *, limit: int) -> Waiting:
    """Teams with an open "survey action plan overdue" alert (the one place that says so)."""
    rows = (
        Alert.objects.filter(team__in=teams, subject=AlertSubject.ACTION_PLAN)
        .exclude(status=Alert.Status.RESOLVED)
        .select_related("team")
    )
    return Waiting(count=rows.count(), first=list(rows.order_by("team__name")[:limit]))
