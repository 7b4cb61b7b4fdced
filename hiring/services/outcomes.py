"""Writes of a loop's decision and its hire's 6-month outcome."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User

from .. import schedule
from ..models import Decision, InterviewLoop, LoopOutcome


@transaction.atomic
def record_decision(
    *,
    loop: InterviewLoop,
    decided_by: User,
    decision: str,
    offer_accepted: bool | None,
    hours: Decimal | None,
    cost: Decimal | None,
    start_date: date | None = None,
    now: datetime | None = None,
) -> LoopOutcome:
    """Record or correct the loop's decision, acceptance, hours and cost."""
    if start_date is not None:
        problem = schedule.start_date_problem(start_date, today=timezone.localdate())
        if problem:
            raise ValidationError({"start_date": problem})
    outcome = LoopOutcome.objects.select_for_update().filter(loop=loop).first()
    if outcome is None:
        outcome = LoopOutcome(loop=loop, decided_at=now or timezone.now(), decided_by=decided_by)
    outcome.decision = decision
    outcome.offer_accepted = offer_accepted if decision == Decision.OFFER else None
    outcome.hours, outcome.cost, outcome.start_date = hours, cost, start_date
    if not outcome.offer_accepted:
        outcome.six_month_outcome = ""
        outcome.outcome_recorded_at = None
    outcome.full_clean()
    outcome.save()
    if loop.status != InterviewLoop.Status.DECIDED:
        loop.status = InterviewLoop.Status.DECIDED
        loop.save(update_fields=["status"])
    return outcome


@transaction.atomic
def record_six_month_outcome(
    *, loop: InterviewLoop, outcome: str, now: datetime | None = None
) -> LoopOutcome:
    record = LoopOutcome.objects.select_for_update().filter(loop=loop).first()
    if record is None or not record.offer_accepted:
        raise ValidationError("Record an accepted offer before the 6-month outcome.")
    record.six_month_outcome = outcome
    record.outcome_recorded_at = now or timezone.now()
    record.full_clean()
    record.save()
    return record
