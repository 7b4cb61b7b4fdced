from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from . import scoring
from .forms.loops import CandidateLoopForm, InterviewForm
from .forms.scorecards import ScorecardForm
from .models import HiringSettings
from .selectors import loops as loop_selectors
from .selectors import scorecards as scorecard_selectors
from .services.loops import create_candidate_with_loop, schedule_interview
from .services.scorecards import save_scorecard_draft, submit_scorecard
from .views_starl import scorecard_extras


def _require_recruiter(user) -> None:
    if not (user.is_recruiter or user.is_admin):
        raise Http404


def _copy_errors(form, exc: ValidationError) -> None:
    """Put a service's validation errors next to the form's fields."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


LOOPS_PER_PAGE = 25


def loop_list(request):
    _require_recruiter(request.user)
    config = HiringSettings.load()
    today = timezone.localdate()
    views = loop_selectors.loop_views(today=today, due_days=config.outcome_due_days)
    view = request.GET.get("view", "active")
    if view not in views:
        view = "active"
    search = request.GET.get("q", "").strip()[:100]
    mine = loop_selectors.loops_for(request.user, today=today, due_days=config.outcome_due_days)
    page = Paginator(
        loop_selectors.filter_loops(mine, view=view, search=search, views=views), LOOPS_PER_PAGE
    ).get_page(request.GET.get("page"))
    counts = loop_selectors.loop_view_counts(
        loop_selectors.filter_loops(mine, view="all", search=search, views=views), views=views
    )
    tabs = [
        {"key": key, "label": label, "count": counts[key], "active": key == view}
        for key, (label, _) in views.items()
    ]
    return render(
        request,
        "hiring/loop_list.html",
        {
            "loops": page.object_list,
            "page_obj": page,
            "tabs": tabs,
            "view": view,
            "q": search,
            "due_count": counts["outcome_due"],
        },
    )


@require_http_methods(["GET", "POST"])
def loop_create(request):
    _require_recruiter(request.user)
    form = CandidateLoopForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            loop = create_candidate_with_loop(recruiter=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _copy_errors(form, exc)
        else:
            messages.success(
                request, f"{loop.candidate} added. Now add the interviews of the loop."
            )
            return redirect(loop)
    return render(request, "hiring/loop_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def loop_detail(request, loop_id: int):
    loop, manages = loop_selectors.loop_for_summary(request.user, loop_id)
    form = InterviewForm(request.POST or None) if manages else None
    if request.method == "POST":
        if not manages:
            raise Http404
        if form.is_valid():
            try:
                interview = schedule_interview(loop=loop, **form.cleaned_data)
            except ValidationError as exc:
                _copy_errors(form, exc)
            else:
                messages.success(request, f"{interview.title} assigned to {interview.interviewer}.")
                return redirect(loop)
    interviews = loop_selectors.loop_interviews(loop, with_amendments=True)
    evaluation = loop_selectors.loop_evaluation(loop, interviews)
    return render(
        request,
        "hiring/loop_detail.html",
        {
            "loop": loop,
            "manages": manages,
            "interviews": interviews,
            "evaluation": evaluation,
            "dimension_rows": loop_selectors.loop_dimension_rows(loop, evaluation, interviews),
            "form": form,
        },
    )


def my_interviews(request):
    if not request.user.is_interviewer:
        raise Http404
    groups = scorecard_selectors.my_interviews(request.user)
    return render(request, "hiring/my_interviews.html", {"groups": groups})


@require_http_methods(["GET", "POST"])
def scorecard(request, interview_id: int):
    interview = scorecard_selectors.interview_for_interviewer(request.user, interview_id)
    card = interview.scorecard
    profile = interview.loop.role_profile
    extras = scorecard_extras(interview)
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
    dimensions = scoring.typed_dimensions(
        interview.dimensions, starl_leadership=extras["starl_score"] is not None
    )
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
            _copy_errors(form, exc)
        else:
            if submitting:
                messages.success(request, "Scorecard submitted.")
            else:
                messages.info(request, "Draft saved. You can come back to it at any time.")
            return redirect("hiring:scorecard", interview_id=interview.pk)
    return render(
        request,
        "hiring/scorecard_form.html",
        {"interview": interview, "scorecard": card, "form": form, "profile": profile, **extras},
    )
