"""What the team page says about a survey round's action plan.

Pure: plain values in, plain values out; no ORM, no clock (``today`` is a
parameter). The surveys app pushes whether the plan is published; whether an
unpublished plan is late follows from the round's close date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

# PRODUCT.md: an action plan for the top 3 concerns published within 1 week.
ACTION_PLAN_WITHIN = timedelta(days=7)

AWAITING = "awaiting"
PUBLISHED = "published"
OVERDUE = "overdue"


@dataclass(frozen=True)
class ActionPlanState:
    state: str  # AWAITING, PUBLISHED or OVERDUE
    due_on: date
    label: str


def action_plan_state(*, status: str, closed_on: date, today: date) -> ActionPlanState:
    """Published, awaiting (due within 7 days of close) or overdue (past that, unpublished)."""
    due_on = closed_on + ACTION_PLAN_WITHIN
    if status == PUBLISHED:
        return ActionPlanState(PUBLISHED, due_on, "Action plan published")
    if today > due_on:
        return ActionPlanState(OVERDUE, due_on, f"Action plan overdue since {due_on:%-d %b %Y}")
    return ActionPlanState(AWAITING, due_on, f"Action plan due by {due_on:%-d %b %Y}")


def validate_scores(scores: dict[str, Decimal]) -> str | None:
    """Why these per-dimension scores cannot be stored, or None (each is 0-100)."""
    for name, score in scores.items():
        if not isinstance(name, str) or not name.strip():
            return "Every dimension needs a name."
        if score is None or not Decimal(0) <= Decimal(score) <= Decimal(100):
            return f"The score of {name} must be between 0 and 100."
    return None
