"""A survey round's action plan: when it is due, and what the pages say about it.

Pure: plain values in, plain values out; no ORM, no clock (``today`` is a
parameter). The deadline is read from here by the team page, the survey pages
and the check that raises the "action plan overdue" alert. The surveys app
pushes whether the plan is published; whether an unpublished plan is late
follows from the round's close date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

# PRODUCT.md: "an action plan for the top 3 concerns published within 1 week"
# of the round closing. Due by the 7th day after the close (that whole day
# counts); overdue from the day after, when the team-health alert fires too.
ACTION_PLAN_WITHIN = timedelta(days=7)

AWAITING = "awaiting"
PUBLISHED = "published"
OVERDUE = "overdue"


def action_plan_due_on(closed_on: date) -> date:
    """The last day to publish the action plan of a round closed on ``closed_on``."""
    return closed_on + ACTION_PLAN_WITHIN


def action_plan_overdue_since(closed_on: date) -> date:
    """The first day an unpublished action plan is overdue: the day after it was due."""
    return action_plan_due_on(closed_on) + timedelta(days=1)


def action_plan_overdue(*, closed_on: date, today: date) -> bool:
    """Whether an unpublished action plan is overdue on ``today``."""
    return today >= action_plan_overdue_since(closed_on)


def last_close_overdue_on(today: date) -> date:
    """Unpublished plans of rounds closed on this day or earlier are overdue on ``today``."""
    return today - ACTION_PLAN_WITHIN - timedelta(days=1)


@dataclass(frozen=True)
class ActionPlanState:
    state: str  # AWAITING, PUBLISHED or OVERDUE
    due_on: date
    overdue_since: date
    label: str


def action_plan_state(*, status: str, closed_on: date, today: date) -> ActionPlanState:
    """Published, awaiting (due by 7 days after close) or overdue (unpublished after that)."""
    due_on = action_plan_due_on(closed_on)
    overdue_since = action_plan_overdue_since(closed_on)
    if status == PUBLISHED:
        return ActionPlanState(PUBLISHED, due_on, overdue_since, "Action plan published")
    if action_plan_overdue(closed_on=closed_on, today=today):
        return ActionPlanState(
            OVERDUE, due_on, overdue_since, f"Action plan overdue since {overdue_since:%-d %b %Y}"
        )
    return ActionPlanState(
        AWAITING, due_on, overdue_since, f"Action plan due by {due_on:%-d %b %Y}"
    )


def validate_scores(scores: dict[str, Decimal]) -> str | None:
    """Why these per-dimension scores cannot be stored, or None (each is 0-100)."""
    for name, score in scores.items():
        if not isinstance(name, str) or not name.strip():
            return "Every dimension needs a name."
        if score is None or not Decimal(0) <= Decimal(score) <= Decimal(100):
            return f"The score of {name} must be between 0 and 100."
    return None
