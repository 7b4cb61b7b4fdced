"""STAR-L entry: the interviewer records behavioural answers part by part."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from ..forms.starl import StarlFormSet, answer_rows, initial_from_answers
from ..selectors.scorecards import interview_for_interviewer
from ..selectors.starl import (
    active_questions,
    answers_version_of,
    rating_anchors,
    restorable_draft,
    scorecard_answers,
    starl_leadership_of,
)
from ..services.starl import (
    AnswerInput,
    autosave_starl_draft,
    discard_starl_draft,
    save_starl_answers,
)


@require_http_methods(["GET", "POST"])
def starl_entry(request, interview_id: int):
    interview = interview_for_interviewer(request.user, interview_id)
    card = interview.scorecard
    answers = scorecard_answers(card)
    if card.is_submitted:
        return render(
            request,
            "hiring/starl_detail.html",
            {"interview": interview, "scorecard": card, "answers": answers},
        )
    questions = active_questions()
    anchors = rating_anchors()
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
                formset.add_non_form_errors(exc.messages)
            else:
                messages.success(request, f"{len(inputs)} STAR-L answer(s) saved.")
                if "back" in request.POST:
                    return redirect("hiring:scorecard", interview_id=interview.pk)
                return redirect("hiring:starl", interview_id=interview.pk)
    else:
        draft = restorable_draft(card)
        if draft is not None:
            # Bound to the draft, not validated: errors appear only when they save.
            formset = StarlFormSet(draft.data, questions=questions, prefix="answers")
            restored_at = draft.saved_at
        else:
            formset = StarlFormSet(
                initial=initial_from_answers(answers), questions=questions, prefix="answers"
            )
    return render(
        request,
        "hiring/starl_form.html",
        {
            "interview": interview,
            "scorecard": card,
            "formset": formset,
            "rows": answer_rows(formset, anchors),
            "questions": questions,
            "show_errors": request.method == "POST",
            "restored_at": restored_at,
            "score": starl_leadership_of(answers),
            "assesses_leadership": "leadership" in interview.dimensions,
            "version": answers_version_of(answers),
        },
    )


@require_POST
def starl_autosave(request, interview_id: int):
    """Called by static/js/starl.js as the interviewer types, and when the tab closes."""
    interview = interview_for_interviewer(request.user, interview_id)
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
