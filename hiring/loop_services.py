"""Writes around a loop after the interviews: feedback, decision, outcome,
exercises and amendments of submitted scorecards."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User

from . import scoring
from .models import (
    CandidateFeedback,
    Decision,
    Exercise,
    ExerciseAssignment,
    Interview,
    InterviewLoop,
    LoopOutcome,
    Scorecard,
    ScorecardAmendment,
)
from .starl_services import use_starl_leadership

# The same feedback sent again within this window is taken as a double submit.
RESEND_GUARD = timedelta(minutes=10)


@transaction.atomic
def send_candidate_feedback(
    *, loop: InterviewLoop, sent_by: User, subject: str, body: str, now: datetime | None = None
) -> CandidateFeedback:
    """Record the feedback exactly as sent, and email it after commit (Celery).

    The same text sent again within a few minutes is a double click, not a second
    message: the candidate gets one email and the first record is returned.
    """
    from .tasks import email_candidate_feedback

    now = now or timezone.now()
    subject, body = subject.strip(), body.strip()
    # One send at a time per loop, so two racing clicks see each other.
    InterviewLoop.objects.select_for_update().filter(pk=loop.pk).first()
    repeated = CandidateFeedback.objects.filter(
        loop=loop, subject=subject, body=body, created_at__gte=now - RESEND_GUARD
    ).first()
    if repeated is not None:
        return repeated
    feedback = CandidateFeedback(
        loop=loop,
        subject=subject,
        body=body,
        sent_to=loop.candidate.email,
        sent_by=sent_by,
        created_at=now,
    )
    feedback.full_clean()
    feedback.save()
    transaction.on_commit(lambda: email_candidate_feedback.delay(feedback.pk))
    return feedback


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


@transaction.atomic
def attach_exercise(*, interview: Interview, exercise: Exercise | None) -> None:
    """Attach an exercise to an interview (or remove it, if not sent yet)."""
    current = ExerciseAssignment.objects.select_for_update().filter(interview=interview).first()
    if current is not None and current.sent_at is not None:
        if exercise is None or exercise.pk != current.exercise_id:
            raise ValidationError("This exercise was already emailed to the candidate.")
        return
    if exercise is None:
        if current is not None:
            current.delete()
        return
    if current is None:
        current = ExerciseAssignment(interview=interview, exercise=exercise)
    current.exercise = exercise
    current.full_clean()
    current.save()


def _exercise_id(raw: str | None) -> int | None:
    """The posted exercise id, or None when it is not one the database can hold."""
    if not raw or not str(raw).isdigit():
        return None
    value = int(raw)
    # A 64-bit id at most: a longer number would overflow the database driver.
    return value if value < 2**63 else None


@transaction.atomic
def save_loop_exercises(*, loop: InterviewLoop, choices: Mapping[int, str | None]) -> None:
    """Attach or remove each interview's exercise, all or nothing.

    ``choices`` maps an interview id to the chosen exercise id (or None). An
    exercise already emailed stays as it is, even once an admin retires it; a
    retired exercise cannot be newly attached.
    """
    interviews = list(loop.interviews.select_related("exercise_assignment"))
    wanted = {_exercise_id(v) for v in choices.values()} - {None}
    exercises = Exercise.objects.in_bulk(wanted)
    for interview in interviews:
        raw = choices.get(interview.pk)
        exercise_id = _exercise_id(raw)
        exercise = exercises.get(exercise_id) if exercise_id is not None else None
        if raw and exercise is None:
            raise ValidationError(f"{interview.title}: choose an exercise from the list.")
        current = getattr(interview, "exercise_assignment", None)
        if current is not None and current.sent_at is not None:
            if exercise is not None and exercise.pk != current.exercise_id:
                raise ValidationError(
                    f"{interview.title}: the exercise was already emailed to the candidate."
                )
            continue
        kept = current is not None and exercise is not None and current.exercise_id == exercise.pk
        if exercise is not None and not exercise.is_active and not kept:
            raise ValidationError(f"{interview.title}: {exercise} is no longer in use.")
        attach_exercise(interview=interview, exercise=exercise)


@transaction.atomic
def record_exercise_result(
    *, interview: Interview, interviewer: User, met_target: bool | None, measured: str
) -> ExerciseAssignment:
    if interview.interviewer_id != interviewer.pk:
        raise PermissionDenied("Only the interviewer records the exercise result.")
    assignment = ExerciseAssignment.objects.select_for_update().get(interview=interview)
    assignment.met_target = met_target
    assignment.measured = measured.strip()
    assignment.full_clean()
    assignment.save()
    return assignment


def _score_text(value) -> str | None:
    return None if value is None else str(scoring.to_decimal(value).quantize(scoring.CENT))


def _snapshot(card: Scorecard) -> dict:
    return {
        **{d: _score_text(getattr(card, d)) for d in scoring.DIMENSIONS},
        "recommendation": card.recommendation,
        "notes": card.notes,
    }


@transaction.atomic
def amend_scorecard(
    *,
    scorecard_id: int,
    amended_by: User,
    reason: str,
    scores: dict[str, Decimal | None],
    recommendation: str,
    notes: str,
    now: datetime | None = None,
) -> ScorecardAmendment:
    """Change a submitted scorecard. Only with a reason; the before/after is kept."""
    card = Scorecard.objects.select_for_update().select_related("interview").get(pk=scorecard_id)
    if card.interview.interviewer_id != amended_by.pk:
        raise PermissionDenied("Only the interviewer can amend their scorecard.")
    if not card.is_submitted:
        raise ValidationError("Only a submitted scorecard is amended; edit the draft instead.")
    if not reason.strip():
        raise ValidationError({"reason": "Give a reason: amendments are recorded."})
    before = _snapshot(card)
    errors = {}
    for dimension in card.interview.dimensions:
        value = scores.get(dimension)
        if value is None:
            errors[dimension] = f"{scoring.DIMENSION_LABELS[dimension]} score is required."
            continue
        try:
            setattr(card, dimension, scoring.validate_score(dimension, value))
        except scoring.ScoringError as exc:
            errors[dimension] = exc.message
    if errors:
        raise ValidationError(errors)
    use_starl_leadership(card)
    card.recommendation = recommendation
    card.notes = notes
    card.full_clean()
    card.save()
    after = _snapshot(card)
    if after == before:
        raise ValidationError("Nothing changed.")
    amendment = ScorecardAmendment(
        scorecard=card,
        amended_by=amended_by,
        amended_at=now or timezone.now(),
        reason=reason.strip(),
        before=before,
        after=after,
    )
    amendment.full_clean()
    amendment.save()
    return amendment
