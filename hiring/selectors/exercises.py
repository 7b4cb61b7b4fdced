"""Reads about the exercises attached to a loop's interviews."""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Exercise, ExerciseAssignment, HiringSettings, Interview, InterviewLoop


def exercise_assignment(interview: Interview) -> ExerciseAssignment | None:
    """The exercise attached to the interview, if any, with the exercise."""
    return ExerciseAssignment.objects.filter(interview=interview).select_related("exercise").first()


@dataclass(frozen=True)
class ExerciseRow:
    interview: Interview
    assignment: ExerciseAssignment | None


def loop_exercise_rows(loop: InterviewLoop) -> list[ExerciseRow]:
    """Each interview of the loop with the exercise attached to it, if any (one query)."""
    interviews = loop.interviews.select_related("interviewer", "exercise_assignment__exercise")
    return [
        ExerciseRow(interview=i, assignment=getattr(i, "exercise_assignment", None))
        for i in interviews
    ]


def active_exercises() -> list[Exercise]:
    """The exercises a recruiter may attach (admins retire the others)."""
    return list(Exercise.objects.filter(is_active=True))


def exercise_lead_hours() -> int:
    """How long before its interview an exercise is emailed (admin-tuned)."""
    return HiringSettings.load().exercise_lead_hours
