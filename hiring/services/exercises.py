"""Writes of the exercises attached to interviews, and their results."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.models import User

from ..models import Exercise, ExerciseAssignment, Interview, InterviewLoop


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
