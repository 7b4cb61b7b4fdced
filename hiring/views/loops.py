"""The candidate list, a new candidate, and the loop page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ..forms.errors import add_service_errors
from ..forms.loops import CandidateLoopForm, CandidateSearchForm, InterviewForm
from ..selectors.candidates import duplicates_on_file
from ..selectors.loops import (
    candidate_list,
    loop_dimension_rows,
    loop_evaluation,
    loop_for_summary,
    loop_interviews,
)
from ..services.loops import create_candidate_with_loop, schedule_interview
from .access import require_recruiter


def loop_list(request):
    require_recruiter(request.user)
    search_form = CandidateSearchForm(request.GET)
    search = search_form.cleaned_data["q"] if search_form.is_valid() else ""
    listing = candidate_list(
        request.user,
        view=request.GET.get("view", "active"),
        search=search,
        page=request.GET.get("page"),
    )
    page = listing.page
    return render(
        request,
        "hiring/loop_list.html",
        {
            "loops": page.object_list,
            "page_obj": page,
            "tabs": listing.tabs,
            "view": listing.view,
            "q": listing.search,
            "search_errors": search_form.errors.get("q", []),
            "due_count": listing.due_count,
        },
    )


@require_http_methods(["GET", "POST"])
def loop_create(request):
    require_recruiter(request.user)
    form = CandidateLoopForm(request.POST or None)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        allow_duplicate = bool(data.pop("create_anyway", False))
        try:
            loop = create_candidate_with_loop(
                recruiter=request.user, allow_duplicate=allow_duplicate, **data
            )
        except ValidationError as exc:
            if _is_duplicate(exc):
                duplicates = duplicates_on_file(request.user, data["email"])
                form.offer_create_anyway()
            add_service_errors(form, exc)
        else:
            messages.success(
                request, f"{loop.candidate} added. Now add the interviews of the loop."
            )
            return redirect(loop)
    return render(request, "hiring/loop_form.html", {"form": form, "duplicates": duplicates})


def _is_duplicate(exc: ValidationError) -> bool:
    errors = getattr(exc, "error_dict", {}).get("email", [])
    return any(error.code == "duplicate" for error in errors)


@require_http_methods(["GET", "POST"])
def loop_detail(request, loop_id: int):
    loop, manages = loop_for_summary(request.user, loop_id)
    form = InterviewForm(request.POST or None) if manages else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                interview = schedule_interview(loop=loop, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"{interview.title} assigned to {interview.interviewer}.")
                return redirect(loop)
    interviews = loop_interviews(loop, with_amendments=True)
    evaluation = loop_evaluation(loop, interviews)
    return render(
        request,
        "hiring/loop_detail.html",
        {
            "loop": loop,
            "manages": manages,
            "interviews": interviews,
            "evaluation": evaluation,
            "dimension_rows": loop_dimension_rows(loop, evaluation, interviews),
            "form": form,
        },
    )
