"""When rounds open, remind, close and publish (the action plan's deadline is
``teamhealth.survey_summaries.action_plan_due_on``).

Pure: dates and datetimes in, dates and datetimes out; ``now`` is a parameter.
Rounds line up with the team-health periods (two-week windows from the same
anchor Monday), so a round's feedback score lands in its own period.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from teamhealth.periods import ANCHOR

DEFAULT_EVERY_WEEKS = 2
DEFAULT_OPEN_DAYS = 5
REMINDER_ON_DAY = 3  # day 1 is the day the round opens
REMIND_AFTER = timedelta(days=REMINDER_ON_DAY - 1)
PUBLISH_AFTER = timedelta(hours=48)


def round_period_start(day: date, every_weeks: int = DEFAULT_EVERY_WEEKS) -> date:
    """The first day of the team's survey period containing ``day``."""
    length = 7 * every_weeks
    return day - timedelta(days=(day - ANCHOR).days % length)


def is_due(*, day: date, every_weeks: int, open_days: int) -> bool:
    """A round for the period containing ``day`` may still open on ``day``.

    Beat may fire late (a worker was down); a round still opens as long as it
    would have days left to be answered, never after its open window.
    """
    start = round_period_start(day, every_weeks)
    return (day - start).days < open_days


def closes_at(opened_at: datetime, open_days: int) -> datetime:
    return opened_at + timedelta(days=open_days)


def publish_due_at(closed_at: datetime) -> datetime:
    return closed_at + PUBLISH_AFTER
