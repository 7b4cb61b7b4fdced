"""Team-health periods: fixed two-week windows, the cadence of the surveys.

Every metric value belongs to the period that contains its date. Periods start
on Mondays, counted from an anchor Monday, so every team shares the same
calendar and roll-ups line up. Pure: no ORM, no clock.
"""

from __future__ import annotations

from datetime import date, timedelta

PERIOD_DAYS = 14
ANCHOR = date(2024, 1, 1)  # a Monday


def period_start(day: date) -> date:
    """The first day of the period containing ``day``."""
    offset = (day - ANCHOR).days % PERIOD_DAYS
    return day - timedelta(days=offset)


def period_end(start: date) -> date:
    """The last day (inclusive) of the period starting at ``start``."""
    return start + timedelta(days=PERIOD_DAYS - 1)


def previous_periods(day: date, count: int) -> list[date]:
    """The starts of the ``count`` periods ending with the one containing ``day``, oldest first."""
    current = period_start(day)
    return [current - timedelta(days=PERIOD_DAYS * i) for i in range(count - 1, -1, -1)]
