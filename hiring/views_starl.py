"""STAR-L entry: the interviewer records behavioural answers part by part."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from . import scoring, starl
from .forms.starl import StarlFormSet
from .models import StarlAnchor, StarlAnswer, StarlDraft, StarlQuestion
from .selectors import scorecards as scorecard_selectors
from .selectors.starl import starl_leadership_of
from .services.starl import (
    AnswerInput,
    autosave_starl_draft,
    discard_starl_draft,
    save_starl_answers,
)


def _anchors() -> dict[str, list[tuple[int, str]]]:
    anchors: dict[str, list[tuple[int, str]]] = {p: [] for p in scoring.STARL_PARTS}
    for anchor in StarlAnchor.objects.order_by("part", "rating"):
        anchors.setdefault(anchor.part, []).append((anchor.rating, anchor.description))
    return anchors


def _initial(answers: list[StarlAnswer]) -> list[dict]:
    initial = []
    for answer in answers:
        row = {"question": answer.question_id}
        for part in scoring.STARL_PARTS:
            row[f"{part}_text"] = getattr(answer, f"{part}_text")
            rating = getattr(answer, f"{part}_rating")
            row[f"{part}_rating"] = str(rating) if rating is not None else None
        initial.append(row)
    return initial


def _rows(formset, anchors) -> list[dict]:
    """What the template walks through: per answer, its five parts with anchors."""
    rows = []
    for form in formset:
        parts = []
        for part in scoring.STARL_PARTS:
            rating_field = form[f"{part}_rating"]
            value = rating_field.value()
            parts.append(
                {
                    "key": part,
                    "label": starl.PART_LABELS[part],
                    "text": form[f"{part}_text"],
                    "rating": rating_field,
                    "value": str(value) if value not in (None, "") else "",
                    "levels": anchors.get(part, []),
                }
            )
        learning = form["learning_text"].value() or ""
        rows.append({"form": form, "parts": parts, "lacks_learning": not learning.strip()})
    return rows


@require_http_methods(["GET", "POST"])
def starl_entry(request, interview_id: int):
    interview = scorecard_selectors.interview_for_interviewer(request.user, interview_id)
    card = interview.scorecard
    answers = list(
        StarlAnswer.objects.filter(scorecard=card).select_related("question").order_by("position")
    )
    if card.is_submitted:
        return render(
            request,
            "hiring/starl_detail.html",
            {"interview": interview, "scorecard": card, "answers": answers},
        )
    questions = list(StarlQuestion.objects.filter(is_active=True))
    anchors = _anchors()
    restored_at = None
    if request.method == "POST" and "discard" in request.POST:
        discard_starl_draft(scorecard_id=card.pk, interviewer=request.user)
        messages.info(request, "Unsaved draft discarded.")
        return redirect("hiring:starl", interview_id=interview.pk)
    if request.method == "POST":
        formset = StarlFormSet(request.POST, questions=questions, prefix="answers")
        if formset.is_valid():
            inputs = [
                AnswerInput(question=f.cleaned_data["question"], parts=f.parts)
                for f in formset
                if not f.is_blank and not f.cleaned_data.get("DELETE")
            ]
            try:
                save_starl_answers(scorecard_id=card.pk, interviewer=request.user, answers=inputs)
            except ValidationError as exc:
                formset._non_form_errors = formset.error_class(exc.messages)
            else:
                messages.success(request, f"{len(inputs)} STAR-L answer(s) saved.")
                if "back" in request.POST:
                    return redirect("hiring:scorecard", interview_id=interview.pk)
                return redirect("hiring:starl", interview_id=interview.pk)
    else:
        draft = StarlDraft.objects.filter(scorecard=card).first()
        if draft is not None and draft.data.get("answers-TOTAL_FORMS"):
            # Bound to the draft, not validated: errors appear only when they save.
            formset = StarlFormSet(draft.data, questions=questions, prefix="answers")
            restored_at = draft.saved_at
        else:
            formset = StarlFormSet(initial=_initial(answers), questions=questions, prefix="answers")
    return render(
        request,
        "hiring/starl_form.html",
        {
            "interview": interview,
            "scorecard": card,
            "formset": formset,
            "rows": _rows(formset, anchors),
            "questions": questions,
            "show_errors": request.method == "POST",
            "restored_at": restored_at,
            "score": starl_leadership_of(answers),
            "assesses_leadership": "leadership" in interview.dimensions,
            "version": max((a.pk for a in answers), default=0),
        },
    )


@require_POST
def starl_autosave(request, interview_id: int):
    """Called by static/js/starl.js as the interviewer types, and when the tab closes."""
    interview = scorecard_selectors.interview_for_interviewer(request.user, interview_id)
    if interview.scorecard.is_submitted:
        raise Http404
    data = {k: v for k, v in request.POST.items() if k not in ("csrfmiddlewaretoken", "version")}
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    draft = autosave_starl_draft(
        scorecard_id=interview.scorecard.pk, interviewer=request.user, data=data, version=version
    )
    if draft is None:
        return JsonResponse({"stale": True}, status=409)
    saved = timezone.localtime(draft.saved_at)
    return JsonResponse({"saved_at": saved.strftime("%H:%M:%S")})


def scorecard_extras(interview) -> dict:
    """What the scorecard pages show besides the scores: STAR-L, exercise, amendments."""
    from .forms.exercises import ExerciseResultForm
    from .models import ExerciseAssignment, ScorecardAmendment

    card = interview.scorecard
    answers = list(
        StarlAnswer.objects.filter(scorecard=card).select_related("question").order_by("position")
    )
    assignment = (
        ExerciseAssignment.objects.filter(interview=interview).select_related("exercise").first()
    )
    return {
        "starl_answers": answers,
        "starl_score": starl_leadership_of(answers),
        "exercise": assignment,
        "exercise_form": ExerciseResultForm(instance=assignment) if assignment else None,
        "amendments": list(
            ScorecardAmendment.objects.filter(scorecard=card).select_related("amended_by")
        )
        if card.is_submitted
        else [],
    }
