"""The alert lifecycle: when an alert opens, reminds, escalates, stays quiet and resolves.

Pure: frozen dataclasses and plain values in, a decision out; no ORM, no
clock (``today`` and the current period are parameters). The services load an
alert, ask here what becomes of it, save the result and send what it says.

- A finding with no open alert opens one, firing ("fired").
- A finding worse than the worst people were told of (any breach outranks an
  early warning; then how far past the limit) tells them again ("escalated"),
  even when the alert is acknowledged or snoozed: it fires again, asking for a
  fresh acknowledgement, and the snooze ends, since it was chosen for the
  milder problem. A value going back and forth (12.5, 13, 12, 13) escalates
  once, not at every step up.
- Otherwise a firing alert is reminded once per period ("renotify"), unless
  snoozed: a snooze lasts until its date, inclusive. An acknowledged alert is
  not reminded. The alert follows the latest value quietly.
- No finding: the open alert resolves ("resolved").
- Only a firing alert can be acknowledged or snoozed; a snooze ends after
  today and within 90 days.
- The survey action plan: the team's one open action-plan alert speaks of the
  latest overdue round ("escalated" when a later round is overdue too); a
  round's alert fires once and is never re-opened once resolved.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal

from . import periods, survey_summaries
from .thresholds import BREACH, Finding

FIRING = "firing"
ACKNOWLEDGED = "acknowledged"
RESOLVED = "resolved"
# Not a stored status: a firing alert while its snooze lasts, as lists show it.
SNOOZED = "snoozed"
ACTION_PLAN_OVERDUE = "action_plan_overdue"

# What people are told of a change.
FIRED = "fired"
ESCALATED = "escalated"
RENOTIFY = "renotify"
RESOLVED_EVENT = "resolved"

# What the alert's timeline records of each change (``AlertEvent.kind``).
OPENED = "opened"
REMINDED = "reminded"
ACKNOWLEDGED_EVENT = "acknowledged"
SNOOZED_EVENT = "snoozed"
TIMELINE_EVENT = {
    FIRED: OPENED,
    ESCALATED: ESCALATED,
    RENOTIFY: REMINDED,
    RESOLVED_EVENT: RESOLVED,
}

MAX_SNOOZE = timedelta(days=90)
MESSAGE_LENGTH = 300


class LifecycleError(Exception):
    """The change is not allowed; ``message`` says why, ``field`` names the input at fault."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class AlertState:
    """What the lifecycle knows of an alert; the defaults are those of a new one."""

    status: str = FIRING
    kind: str = ""
    message: str = ""
    reason: str = ""
    key: str = ""  # what the alert is about within its subject (the survey round)
    value: Decimal | None = None
    limit: Decimal | None = None
    severity: Decimal = Decimal(0)
    peak_severity: Decimal = Decimal(0)  # the worst people were told of
    period_start: date | None = None
    snoozed_until: date | None = None
    last_notified_period: date | None = None
    version: int = 1  # bumped by each change that notifies


@dataclass(frozen=True)
class Decision:
    """The alert after the change (None: there is none) and what people are told.

    ``changed`` False: nothing to save. ``event`` "": nobody is told.
    """

    alert: AlertState | None
    changed: bool = False
    event: str = ""
    # The value and limit the change happened at, when not the alert's own (a resolve
    # records the value that cleared it; the alert keeps the one it fired at).
    event_value: Decimal | None = None
    event_limit: Decimal | None = None


def _unchanged(alert: AlertState | None) -> Decision:
    return Decision(alert)


def _with_finding(alert: AlertState, finding: Finding) -> AlertState:
    return replace(
        alert,
        kind=finding.kind,
        message=finding.message[:MESSAGE_LENGTH],
        reason=finding.reason,
        value=finding.value,
        limit=finding.limit,
        severity=finding.severity,
        period_start=finding.period_start,
    )


def told_rank(alert: AlertState) -> tuple[int, Decimal]:
    """The rank of the worst people were told of, comparable with ``Finding.rank``."""
    peak = max(alert.peak_severity, alert.severity)
    return (1 if alert.kind == BREACH or peak > 0 else 0, peak)


def is_snoozed(alert: AlertState, today: date) -> bool:
    """Snoozed until its date, inclusive."""
    return _snooze_lasts(alert.snoozed_until, today)


def snooze_presets(today: date) -> dict[str, date]:
    """The snooze form's quick choices, each the date the snooze lasts to (inclusive).

    "period" lasts to the end of this period, so the next period's reminder
    comes on its first day; on a period's last day there is none to offer.
    """
    presets = {"day": today + timedelta(days=1), "week": today + timedelta(days=7)}
    end = periods.period_end(periods.period_start(today))
    if end > today:
        presets["period"] = end
    return presets


def shown_status(*, status: str, snoozed_until: date | None, today: date) -> str:
    """The status people see: a firing alert whose snooze lasts shows as snoozed, not firing."""
    if status == FIRING and _snooze_lasts(snoozed_until, today):
        return SNOOZED
    return status


def _snooze_lasts(snoozed_until: date | None, today: date) -> bool:
    return snoozed_until is not None and snoozed_until >= today


def on_finding(
    *,
    alert: AlertState | None,
    finding: Finding | None,
    current_period: date,
    today: date,
    cleared_by: str = "",
    cleared_value: Decimal | None = None,
    cleared_limit: Decimal | None = None,
) -> Decision:
    """What one evaluation of a metric does to the team's open alert on it (or to none).

    ``cleared_by`` says the value that cleared it ("back to 8.0 hrs/week (max
    10.0)", ``thresholds.cleared_message``), which the resolve notice quotes;
    ``cleared_value`` and ``cleared_limit`` are the figures, for the timeline.
    """
    if finding is None:
        if alert is None:
            return _unchanged(None)
        if cleared_by:
            decision = resolve(alert, reason=f"The value is {cleared_by}, within its threshold.")
        else:
            decision = resolve(alert, reason="The value is back within its threshold.")
        return replace(decision, event_value=cleared_value, event_limit=cleared_limit)
    if alert is None:
        opened = _with_finding(AlertState(status=FIRING), finding)
        opened = replace(
            opened, peak_severity=finding.severity, last_notified_period=current_period
        )
        return Decision(opened, changed=True, event=FIRED)
    if finding.rank > told_rank(alert):
        escalated = replace(
            _with_finding(alert, finding),
            peak_severity=finding.severity,
            status=FIRING,
            snoozed_until=None,
            version=alert.version + 1,
            last_notified_period=current_period,
        )
        return Decision(escalated, changed=True, event=ESCALATED)
    updated = (alert.value, alert.message, alert.reason) != (
        finding.value,
        finding.message,
        finding.reason,
    )
    current = _with_finding(alert, finding) if updated else alert
    if (
        alert.status == FIRING
        and not is_snoozed(alert, today)
        and (alert.last_notified_period is None or alert.last_notified_period < current_period)
    ):
        reminded = replace(current, last_notified_period=current_period, version=alert.version + 1)
        return Decision(reminded, changed=True, event=RENOTIFY)
    if updated:
        return Decision(current, changed=True)
    return _unchanged(alert)


def resolve(alert: AlertState, *, reason: str = "") -> Decision:
    """Close an open alert and tell people; ``reason`` is added to the alert's own."""
    text = f"{alert.reason}\nResolved: {reason}".strip() if reason else alert.reason
    resolved = replace(alert, status=RESOLVED, reason=text, version=alert.version + 1)
    return Decision(resolved, changed=True, event=RESOLVED_EVENT)


def acknowledge(alert: AlertState) -> AlertState:
    """Someone is on it: no more reminders until it gets worse."""
    if alert.status != FIRING:
        raise LifecycleError("Only a firing alert can be acknowledged.")
    return replace(alert, status=ACKNOWLEDGED)


def snooze(alert: AlertState, *, until: date, today: date) -> AlertState:
    """No reminders until ``until`` (inclusive); escalation still notifies."""
    if alert.status != FIRING:
        # Only a firing alert sends reminders; an acknowledged one has none to mute.
        raise LifecycleError(f"Only a firing alert can be snoozed; this one is {alert.status}.")
    if until <= today:
        raise LifecycleError("Snooze until a date after today.", field="until")
    if until > today + MAX_SNOOZE:
        raise LifecycleError(f"Snooze for at most {MAX_SNOOZE.days} days.", field="until")
    return replace(alert, snoozed_until=until)


def action_plan_key(round_label: str) -> str:
    return f"round:{round_label}"


def on_action_plan_overdue(
    *,
    alert: AlertState | None,
    round_already_alerted: bool,
    team_name: str,
    round_label: str,
    closed_on: date,
) -> Decision:
    """A round's action plan is overdue: open the team's action-plan alert, or move it on.

    ``alert`` is the team's open action-plan alert; ``round_already_alerted``
    whether this round ever had one (open or resolved).
    """
    key = action_plan_key(round_label)
    if (alert is not None and alert.key == key) or round_already_alerted:
        return _unchanged(alert)
    # The surveys app's round labels already name the team: say it once.
    shown_label = round_label.removeprefix(f"{team_name} · ")
    message = (
        f"[{team_name}] Survey action plan overdue: round {shown_label} closed {closed_on:%Y-%m-%d}"
    )
    reason = (
        f"The survey round {round_label} closed on {closed_on:%d %b %Y} and no action plan "
        f"was published within {survey_summaries.ACTION_PLAN_WITHIN.days} days."
    )
    if alert is None:
        base, event = AlertState(status=FIRING), FIRED
    else:
        # A later round is overdue too: the one open alert now speaks of it.
        base, event = replace(alert, version=alert.version + 1), ESCALATED
    overdue = replace(
        base,
        kind=ACTION_PLAN_OVERDUE,
        key=key,
        message=message[:MESSAGE_LENGTH],
        reason=reason,
        period_start=periods.period_start(closed_on),
    )
    return Decision(overdue, changed=True, event=event)


def on_action_plan_published(*, alert: AlertState | None, round_label: str | None) -> Decision:
    """A round's plan is published: its open alert resolves.

    With ``round_label``, only when the open alert is about that round: the
    plan of another round leaves a later overdue round's alert open.
    """
    if alert is None or (round_label is not None and alert.key != action_plan_key(round_label)):
        return _unchanged(alert)
    return resolve(alert, reason="The action plan was published.")


def timeline_event(decision: Decision) -> str:
    """What the alert's timeline records of a decision ("" when nothing worth a line happened).

    Every change people are told of is a line; a quiet update of the value is not.
    """
    return TIMELINE_EVENT.get(decision.event, "")


def time_to(start: datetime, end: datetime | None) -> timedelta | None:
    """From the alert's opening to its first acknowledgement (or resolution); None: not yet."""
    if end is None:
        return None
    return max(end - start, timedelta(0))


def median_duration(durations: list[timedelta | None]) -> timedelta | None:
    """The median of the durations that ended (MTTA or MTTR); None when none has."""
    ended = sorted(d for d in durations if d is not None)
    if not ended:
        return None
    return timedelta(seconds=statistics.median(d.total_seconds() for d in ended))
