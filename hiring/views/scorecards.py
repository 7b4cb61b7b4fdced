"""The interviewer's interviews, their scorecard, and amending it once submitted."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ..forms.errors import add_service_errors
from ..forms.exercises import ExerciseResultForm
from ..forms.loops import CandidateSearchForm
from ..forms.scorecards import AmendScorecardForm, ScorecardForm
from ..selectors.rubrics import score_bands
from ..selectors.scorecards import (
    amendment_page,
    done_page,
    interview_for_interviewer,
    interviews_of,
    scorecard_extras,
)
from ..services.scorecards import amend_scorecard, save_scorecard_draft, submit_scorecard


def my_interviews(request):
    if not request.user.is_interviewer:
        raise Http404
    search_form = CandidateSearchForm(request.GET)
    search = search_form.cleaned_data["q"].strip() if search_form.is_valid() else ""
    page = done_page(request.user, search=search, page=request.GET.get("page"))
    return render(
        request,
        "hiring/my_interviews.html",
        {
            "groups": interviews_of(request.user),
            "done": page.interviews,
            "done_page": page,
            "q": search[:100],
            "search_errors": search_form.errors.get("q", []),
        },
    )


@require_http_methods(["GET", "POST"])
def scorecard(request, interview_id: int):
    interview = interview_for_interviewer(request.user, interview_id)
    card = interview.scorecard
    profile = interview.loop.role_profile
    extras = scorecard_extras(interview)
    exercise = extras["exercise"]
    extras["exercise_form"] = ExerciseResultForm(instance=exercise) if exercise else None
    if card.is_submitted:
        return render(
            request,
            "hiring/scorecard_result.html",
            {
                "interview": interview,
                "scorecard": card,
                "evaluation": card.evaluate(profile),
                **extras,
            },
        )
    dimensions = extras["typed_dimensions"]
    initial = {d: getattr(card, d) for d in dimensions}
    initial.update(recommendation=card.recommendation, notes=card.notes)
    form = ScorecardForm(request.POST or None, initial=initial, dimensions=dimensions)
    if request.method == "POST" and form.is_valid():
        submitting = "submit" in request.POST
        action = submit_scorecard if submitting else save_scorecard_draft
        try:
            action(
                scorecard_id=card.pk,
                interviewer=request.user,
                scores=form.scores,
                recommendation=form.cleaned_data["recommendation"],
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if submitting:
                messages.success(request, "Scorecard submitted.")
            else:
                messages.info(request, "Draft saved. You can come back to it at any time.")
            return redirect("hiring:scorecard", interview_id=interview.pk)
    return render(
        request,
        "hiring/scorecard_form.html",
        {
            "interview": interview,
            "scorecard": card,
            "form": form,
            "profile": profile,
            "bands": score_bands(profile),
            **extras,
        },
    )


@require_http_methods(["GET", "POST"])
def scorecard_amend(request, interview_id: int):
    interview = interview_for_interviewer(request.user, interview_id)
    card = interview.scorecard
    if not card.is_submitted:
        return redirect("hiring:scorecard", interview_id=interview.pk)
    page = amendment_page(interview)
    initial = {f"score_{d}": getattr(card, d) for d in page.editable}
    initial.update(recommendation=card.recommendation, notes=card.notes)
    form = AmendScorecardForm(request.POST or None, initial=initial, dimensions=page.editable)
    if request.method == "POST" and form.is_valid():
        try:
            amend_scorecard(
                scorecard_id=card.pk,
                amended_by=request.user,
                reason=form.cleaned_data["reason"],
                scores=form.scores,
                recommendation=form.cleaned_data["recommendation"],
                notes=form.cleaned_data["notes"],
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(
                form, exc if isinstance(exc, ValidationError) else ValidationError(str(exc))
            )
        else:
            messages.success(request, "Scorecard amended. The change and its reason are recorded.")
            return redirect("hiring:scorecard", interview_id=interview.pk)
    return render(
        request,
        "hiring/scorecard_amend.html",
        {
            "interview": interview,
            "scorecard": card,
            "form": form,
            "has_starl": page.has_starl,
            "amendments": page.amendments,
        },
    )
