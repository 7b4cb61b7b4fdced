"""Exercises: the recruiter attaches them, the interviewer records the result."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from ..forms.exercises import ExerciseResultForm
from ..selectors.exercises import (
    active_exercises,
    exercise_assignment,
    exercise_lead_hours,
    loop_exercise_rows,
)
from ..selectors.scorecards import interview_for_interviewer
from ..services.exercises import record_exercise_result, save_loop_exercises
from .access import managed_loop


@require_http_methods(["GET", "POST"])
def loop_exercises(request, loop_id: int):
    loop = managed_loop(request.user, loop_id)
    rows = loop_exercise_rows(loop)
    if request.method == "POST":
        choices = {
            row.interview.pk: request.POST.get(f"exercise-{row.interview.pk}") or None
            for row in rows
        }
        try:
            save_loop_exercises(loop=loop, choices=choices)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                f"Exercises saved. Each is emailed {exercise_lead_hours()} hours before its "
                "interview.",
            )
        return redirect("hiring:loop_exercises", loop_id=loop.pk)
    return render(
        request,
        "hiring/loop_exercises.html",
        {
            "loop": loop,
            "rows": rows,
            "exercises": active_exercises(),
            "lead_hours": exercise_lead_hours(),
        },
    )


@require_POST
def exercise_result(request, interview_id: int):
    interview = interview_for_interviewer(request.user, interview_id)
    assignment = exercise_assignment(interview)
    if assignment is None:
        raise Http404
    form = ExerciseResultForm(request.POST, instance=assignment)
    if form.is_valid():
        record_exercise_result(
            interview=interview,
            interviewer=request.user,
            met_target=form.cleaned_data["met_target"],
            measured=form.cleaned_data["measured"],
        )
        messages.success(request, "Exercise result recorded.")
    else:
        messages.error(request, "Could not record the exercise result.")
    return redirect("hiring:scorecard", interview_id=interview.pk)
