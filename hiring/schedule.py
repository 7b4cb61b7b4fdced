"""When hiring's reminders fall due: the scorecard reminders' rhythm and the
6-month outcome's due date.

Pure: dates and datetimes in, numbers and dates out; ``now`` is a parameter.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta


def due_reminder_number(
    *,
    interview_at: datetime,
    sent: int,
    now: datetime,
    after: timedelta,
    every: timedelta,
    maximum: int,
) -> int | None:
    """The number of the reminder due now (1-based), or None.

    Reminder k is due at interview + after + (k - 1) x every; at most ``maximum``.
    """
    if sent >= maximum:
        return None
    next_number = sent + 1
    due_at = interview_at + after + (next_number - 1) * every
    return next_number if now >= due_at else None


def outcome_due_on(*, start_date: date | None, decided_on: date, due_days: int) -> date:
    """The day a hire's 6-month outcome is due: ``due_days`` after their start date,
    or after the decision when the start date is not known."""
    return (start_date or decided_on) + timedelta(days=due_days)


EARLIEST_START = date(2000, 1, 1)
LATEST_START_YEARS = 2


def start_date_problem(start_date: date, *, today: date) -> str | None:
    """Why ``start_date`` cannot be a hire's start date (or None): from 2000 to two years
    ahead, so the 6-month outcome always has a day to fall due on."""
    latest = today.replace(year=today.year + LATEST_START_YEARS, day=min(today.day, 28))
    if not EARLIEST_START <= start_date <= latest:
        return f"Enter a start date between {EARLIEST_START.isoformat()} and {latest.isoformat()}."
    return None


def submit_opens_problem(*, interview_at: datetime, now: datetime) -> str | None:
    """Why a scorecard cannot be submitted yet (or None): not before its interview
    has started, since scores given before the interview are not evidence of it.
    Pass ``interview_at`` in the time zone the interviewer reads."""
    if now >= interview_at:
        return None
    when = f"{interview_at:%a} {interview_at.day} {interview_at:%b, %H:%M}"
    return (
        f"This scorecard can be submitted once the interview starts ({when}). "
        "Save a draft until then."
    )
