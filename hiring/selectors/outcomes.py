"""Reads about decisions and 6-month outcomes."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone

from .. import schedule
from ..models import HiringSettings, InterviewLoop, LoopOutcome


def outcome_due_q(*, today: date, due_days: int, prefix: str = "") -> Q:
    """Hires whose 6-month outcome is due and not recorded: their start date (or,
    without one, the decision date) plus ``due_days`` is today or earlier.

    The SQL form of ``schedule.outcome_due_on``; ``prefix`` reaches LoopOutcome
    from another model (``"outcome__"`` from InterviewLoop).
    """
    cutoff = today - timedelta(days=due_days)
    started_long_enough = Q(**{f"{prefix}start_date__lte": cutoff}) | Q(
        **{f"{prefix}start_date__isnull": True, f"{prefix}decided_at__date__lte": cutoff}
    )
    return (
        Q(**{f"{prefix}offer_accepted": True, f"{prefix}six_month_outcome": ""})
        & started_long_enough
    )


def outcomes_due() -> int:
    """Hires whose 6-month outcome is due and not recorded (the candidate list marks them)."""
    due = outcome_due_q(today=timezone.localdate(), due_days=HiringSettings.load().outcome_due_days)
    return LoopOutcome.objects.filter(due).count()


def loop_outcome(loop: InterviewLoop) -> LoopOutcome | None:
    """The loop's decision and 6-month outcome, once recorded."""
    return LoopOutcome.objects.filter(loop=loop).first()


def outcome_due_date(record: LoopOutcome | None) -> date | None:
    """When the hire's 6-month outcome is due; None unless an offer was accepted."""
    if record is None or not record.offer_accepted:
        return None
    return schedule.outcome_due_on(
        start_date=record.start_date,
        decided_on=timezone.localdate(record.decided_at),
        due_days=HiringSettings.load().outcome_due_days,
    )
