"""Team-health rules: when a metric value raises an alert, and what it says.

Pure: plain values in, plain values out; no ORM, no clock.

- Turnover and on-call burden have a *maximum*; feedback score and delivery
  rate have a *minimum*. A value strictly past its limit breaches it; a value
  equal to its limit does not.
- Early warnings come from the team's own history, for a value still within
  its threshold:
  * worsening streak: the last three periods each got worse than the period
    before (four values in a row, each worse than the previous one);
  * outlier: the value is more than two (population) standard deviations from
    the mean of the trailing eight periods, in the worse direction. It needs
    all eight trailing values.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from . import periods

TURNOVER = "turnover"
FEEDBACK_SCORE = "feedback_score"
ONCALL_HOURS = "oncall_hours"
DELIVERY_RATE = "delivery_rate"
METRICS = (TURNOVER, FEEDBACK_SCORE, ONCALL_HOURS, DELIVERY_RATE)

MAX, MIN = "max", "min"
DIRECTION = {TURNOVER: MAX, FEEDBACK_SCORE: MIN, ONCALL_HOURS: MAX, DELIVERY_RATE: MIN}
# Turnover (%) and feedback score (/100) are between 0 and 100: their values and limits.
PERCENT_METRICS = (TURNOVER, FEEDBACK_SCORE)
PERCENT_MAX = Decimal(100)
# Nobody is on call for more hours than a week has.
HOURS_IN_A_WEEK = Decimal(168)
# Where a value came from when a survey round computed it (``Source.SURVEY``).
SURVEY_SOURCE = "survey"

# Defaults seeded as the global thresholds; admins tune them.
DEFAULT_LIMITS = {
    TURNOVER: Decimal("20.0"),
    FEEDBACK_SCORE: Decimal("65.0"),
    ONCALL_HOURS: Decimal("10.0"),
    DELIVERY_RATE: Decimal("20.0"),
}

# "High on-call burden: 12.5 hrs/week (max 10.0)"
_BREACH_TITLE = {
    TURNOVER: "High turnover",
    FEEDBACK_SCORE: "Low feedback score",
    ONCALL_HOURS: "High on-call burden",
    DELIVERY_RATE: "Low delivery rate",
}
_NAME = {
    TURNOVER: "turnover",
    FEEDBACK_SCORE: "feedback score",
    ONCALL_HOURS: "on-call burden",
    DELIVERY_RATE: "delivery rate",
}
UNIT = {
    TURNOVER: "%",
    FEEDBACK_SCORE: "/100",
    ONCALL_HOURS: " hrs/week",
    DELIVERY_RATE: " points/sprint",
}

STREAK = 3
TRAILING = 8
SIGMAS = Decimal(2)

BREACH = "breach"
EARLY_WARNING = "early_warning"


def one_decimal(value: Decimal) -> str:
    return str(Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def with_unit(metric: str, value: Decimal) -> str:
    return f"{one_decimal(value)}{UNIT[metric]}"


def past_percent_bound(metric: str, number: Decimal) -> bool:
    """True when ``number`` is past 100 for a metric that lives between 0 and 100."""
    return metric in PERCENT_METRICS and number > PERCENT_MAX


def validate_limit(metric: str, limit: Decimal) -> str | None:
    """The message explaining why ``limit`` is not a valid threshold, or None."""
    if metric not in METRICS:
        return f"Unknown metric {metric!r}."
    if limit < 0:
        what = "Hours" if metric == ONCALL_HOURS else "Points" if metric == DELIVERY_RATE else "It"
        return f"{what} cannot be negative: a threshold is 0 or more."
    if past_percent_bound(metric, limit):
        return "This is a percentage: it must be between 0 and 100."
    return None


@dataclass(frozen=True)
class Bounds:
    """What an organisation's teams could have recorded: set by admins (settings)."""

    max_delivery_rate: Decimal
    history_start: date


def validate_value(metric: str, value: Decimal, *, bounds: Bounds) -> str | None:
    """Why ``value`` cannot be recorded as ``metric`` (or None): every door asks this.

    A value is 0 or more; turnover and feedback score are at most 100; on-call
    burden at most the 168 hours of a week; delivery rate at most the
    organisation's maximum.
    """
    name = _NAME[metric].capitalize()
    if value < 0:
        return f"{name} is 0 or more, not {value}."
    if past_percent_bound(metric, value):
        return f"{name} is between 0 and {PERCENT_MAX}, not {value}."
    if metric == ONCALL_HOURS and value > HOURS_IN_A_WEEK:
        return f"{name} is at most {HOURS_IN_A_WEEK} hours a week (every hour of it), not {value}."
    if metric == DELIVERY_RATE and value > bounds.max_delivery_rate:
        return (
            f"{name} is at most {bounds.max_delivery_rate} points per sprint "
            f"(the maximum an admin set), not {value}."
        )
    return None


def validate_period(day: date, *, bounds: Bounds, today: date) -> str | None:
    """Why no value can be recorded for the period containing ``day`` (or None).

    The one date-range rule of every door: not before the start of the
    organisation's history, and not a period that has not begun yet.
    """
    if day < bounds.history_start:
        return (
            f"{day.isoformat()} is before the start of history "
            f"({bounds.history_start.isoformat()}): no team has values that old."
        )
    start = periods.period_start(day)
    if start > periods.period_start(today):
        # A future period would become the team's "latest" value and hide today's.
        return f"The period starting {start:%d %b %Y} has not begun yet."
    return None


def validate_replacement(metric: str, *, stored_source: str | None, source: str) -> str | None:
    """Why a value may not replace the one stored for its period (or None).

    A feedback score computed by a survey round belongs to the survey: only
    the survey may change it.
    """
    if metric == FEEDBACK_SCORE and stored_source == SURVEY_SOURCE and source != SURVEY_SOURCE:
        return (
            "This period's feedback score comes from a survey round; "
            "it cannot be entered or replaced by hand."
        )
    return None


def is_breach(metric: str, value: Decimal, limit: Decimal) -> bool:
    """True when ``value`` is strictly past ``limit``; equal does not fire."""
    if DIRECTION[metric] == MAX:
        return value > limit
    return value < limit


def metric_status(
    metric: str, value: Decimal | None, limit: Decimal, *, early_warning: bool
) -> str:
    """A metric's state as pages and digests show it: "no-data", "breach", "warning"
    (an early-warning alert is open on it) or "ok"."""
    if value is None:
        return "no-data"
    if is_breach(metric, value, limit):
        return "breach"
    return "warning" if early_warning else "ok"


def worse(metric: str, new: Decimal, old: Decimal) -> bool:
    """True when ``new`` is worse than ``old`` for this metric."""
    return new > old if DIRECTION[metric] == MAX else new < old


def severity(metric: str, value: Decimal, limit: Decimal) -> Decimal:
    """How far past its limit a value is (0 when within); escalation compares these."""
    gap = value - limit if DIRECTION[metric] == MAX else limit - value
    return max(gap, Decimal(0))


def breach_message(team_name: str, metric: str, value: Decimal, limit: Decimal) -> str:
    """E.g. "[Backend Payments] High on-call burden: 12.5 hrs/week (max 10.0)"."""
    return (
        f"[{team_name}] {_BREACH_TITLE[metric]}: {with_unit(metric, value)} "
        f"({DIRECTION[metric]} {one_decimal(limit)})"
    )


def cleared_message(metric: str, value: Decimal, limit: Decimal) -> str:
    """E.g. "back to 8.0 hrs/week (max 10.0)": the value that cleared an alert."""
    return f"back to {with_unit(metric, value)} ({DIRECTION[metric]} {one_decimal(limit)})"


@dataclass(frozen=True)
class Finding:
    """What the rules found for one metric of one team in one period."""

    kind: str  # BREACH or EARLY_WARNING
    metric: str
    period_start: date
    value: Decimal
    limit: Decimal
    message: str
    reason: str
    severity: Decimal

    @property
    def rank(self) -> tuple[int, Decimal]:
        """Orders findings: any breach outranks a warning; then how far past."""
        return (1 if self.kind == BREACH else 0, self.severity)


def worsening_streak(metric: str, values: list[Decimal]) -> bool:
    """The last STREAK periods each got worse than the one before."""
    if len(values) < STREAK + 1:
        return False
    tail = values[-(STREAK + 1) :]
    return all(worse(metric, tail[i + 1], tail[i]) for i in range(STREAK))


def outlier(metric: str, values: list[Decimal]) -> tuple[Decimal, Decimal] | None:
    """(mean, sd) when the last value is beyond 2 sd of the trailing 8, in the worse direction."""
    if len(values) < TRAILING + 1:
        return None
    trailing = values[-(TRAILING + 1) : -1]
    current = values[-1]
    mean = statistics.fmean(trailing)
    sd = Decimal(str(statistics.pstdev(trailing)))
    mean_d = Decimal(str(mean))
    distance = current - mean_d if DIRECTION[metric] == MAX else mean_d - current
    if distance > SIGMAS * sd:
        return mean_d, sd
    return None


def evaluate(
    *, team_name: str, metric: str, history: list[tuple[date, Decimal]], limit: Decimal
) -> Finding | None:
    """Check the latest value of ``history`` (oldest first, one per period) against the rules."""
    if not history:
        return None
    start, value = history[-1]
    values = [v for _, v in history]
    direction = DIRECTION[metric]
    if is_breach(metric, value, limit):
        word = "above the maximum" if direction == MAX else "below the minimum"
        return Finding(
            kind=BREACH,
            metric=metric,
            period_start=start,
            value=value,
            limit=limit,
            message=breach_message(team_name, metric, value, limit),
            reason=(
                f"The {_NAME[metric]} of the period starting {start:%d %b %Y} is "
                f"{with_unit(metric, value)}, {word} of {one_decimal(limit)}."
            ),
            severity=severity(metric, value, limit),
        )
    if worsening_streak(metric, values):
        run = ", ".join(with_unit(metric, v) for v in values[-(STREAK + 1) :])
        reason = f"It got worse {STREAK} periods in a row: {run}."
    elif (found := outlier(metric, values)) is not None:
        mean, sd = found
        reason = (
            f"It is more than {SIGMAS} standard deviations from the last {TRAILING} periods "
            f"(mean {one_decimal(mean)}, standard deviation {one_decimal(sd)})."
        )
    else:
        return None
    title = f"[{team_name}] Early warning, {_NAME[metric]}: {with_unit(metric, value)}"
    return Finding(
        kind=EARLY_WARNING,
        metric=metric,
        period_start=start,
        value=value,
        limit=limit,
        message=f"{title} ({direction} {one_decimal(limit)})",
        reason=reason,
        severity=Decimal(0),
    )


def count_alerts(
    *, metric: str, histories: list[list[tuple[date, Decimal]]], limit: Decimal, periods: int
) -> int:
    """How many threshold alerts ``limit`` would have raised over the last ``periods`` periods.

    One alert per breach episode: consecutive breaching periods of one team are
    one open alert, as the lifecycle keeps them.
    """
    total = 0
    for history in histories:
        recent = history[-periods:]
        breaching = False
        for _, value in recent:
            now = is_breach(metric, value, limit)
            if now and not breaching:
                total += 1
            breaching = now
    return total


def turnover_percent(
    memberships: list[tuple[date, date | None]], on: date, *, months: int = 6
) -> Decimal | None:
    """Rolling turnover: people who left in the trailing ``months`` over the average headcount.

    Headcount is sampled every two weeks over the window (14 samples for 6
    months). None when the team had nobody; capped at 100.
    """
    from datetime import timedelta

    days = round(months * 365 / 12)
    window_start = on - timedelta(days=days)
    left = sum(1 for _, left_on in memberships if left_on and window_start < left_on <= on)
    samples = [on - timedelta(days=14 * i) for i in range(days // 14 + 1)]
    headcounts = [
        sum(
            1
            for joined_on, left_on in memberships
            if joined_on <= day and (left_on is None or left_on > day)
        )
        for day in samples
    ]
    average = Decimal(sum(headcounts)) / len(headcounts)
    if average == 0:
        return None
    percent = (Decimal(left) / average * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return min(percent, Decimal(100))
