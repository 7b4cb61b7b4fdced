"""Pages after the interviews: candidate feedback, decision and outcome,
exercises, amendments of submitted scorecards, hiring analytics."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from . import analytics, feedback, schedule, scoring
from .forms.exercises import ExerciseResultForm
from .forms.feedback import FeedbackForm
from .forms.outcomes import DecisionForm, OutcomeForm
from .forms.scorecards import AmendScorecardForm
from .models import (
    Exercise,
    ExerciseAssignment,
    HiringSettings,
    InterviewMethod,
    LoopOutcome,
    ScorecardAmendment,
)
from .selectors import analytics as analytics_selectors
from .selectors import feedback as feedback_selectors
from .selectors import loops as loop_selectors
from .selectors import scorecards as scorecard_selectors
from .selectors.outcomes import outcomes_due
from .selectors.starl import starl_leadership
from .services.exercises import record_exercise_result, save_loop_exercises
from .services.feedback import send_candidate_feedback
from .services.outcomes import record_decision, record_six_month_outcome
from .services.scorecards import amend_scorecard
from .views import _copy_errors, _require_recruiter


def _managed_loop(request, loop_id: int):
    loop, manages = loop_selectors.loop_for_summary(request.user, loop_id)
    if not manages:
        raise Http404
    return loop


# --- candidate feedback ----------------------------------------------------


@require_http_methods(["GET", "POST"])
def loop_feedback(request, loop_id: int):
    loop = _managed_loop(request, loop_id)
    profile = loop.role_profile
    interviews = loop_selectors.loop_interviews(loop)
    evaluation = loop_selectors.loop_evaluation(loop, interviews)
    min_loops = HiringSettings.load().min_loops_for_benchmarks
    benchmarks = feedback_selectors.role_benchmarks(profile, min_loops=min_loops)
    means, answers, without_learning = feedback_selectors.loop_starl_summary(loop)
    starl_strengths, starl_improvements = feedback.starl_observations(
        means, answers, without_learning
    )
    minimums = {d: profile.minimums.of(d) for d in scoring.DIMENSIONS}
    text = feedback.compose(
        candidate=loop.candidate.name,
        role=profile.name,
        scores=evaluation.scores,
        benchmarks=benchmarks,
        minimums=minimums,
        templates=feedback_selectors.feedback_templates(),
        starl_strengths=starl_strengths,
        starl_improvements=starl_improvements,
    )
    form = FeedbackForm(
        request.POST or None,
        initial={"subject": f"Your interviews for the {profile.name} role", "body": text},
    )
    if request.method == "POST" and form.is_valid():
        try:
            send_candidate_feedback(
                loop=loop,
                sent_by=request.user,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
            )
        except ValidationError as exc:
            _copy_errors(form, exc)
        else:
            messages.success(request, f"Feedback sent to {loop.candidate.email}.")
            return redirect("hiring:loop_feedback", loop_id=loop.pk)
    rows = []
    for dimension in scoring.DIMENSIONS:
        score, bench = evaluation.scores[dimension], benchmarks[dimension]
        result = (
            feedback.verdict(score, bench, minimums[dimension])
            if score is not None and bench is not None
            else None
        )
        rows.append(
            {
                "label": scoring.DIMENSION_LABELS[dimension],
                "score": score,
                "benchmark": bench,
                "minimum": minimums[dimension],
                "comparison": feedback.fill(
                    feedback.COMPARISON_SENTENCES[result.level], role=profile.name
                )
                if result
                else None,
            }
        )
    return render(
        request,
        "hiring/feedback_form.html",
        {
            "loop": loop,
            "form": form,
            "rows": rows,
            "fallback": any(b and not b.from_own_loops for b in benchmarks.values()),
            "min_loops": min_loops,
            "history": loop.feedback.select_related("sent_by"),
            "has_scores": any(v is not None for v in evaluation.scores.values()),
            "pending": [i for i in interviews if not i.scorecard.is_submitted],
        },
    )


# --- decision and 6-month outcome --------------------------------------------


@require_http_methods(["GET", "POST"])
def loop_decision(request, loop_id: int):
    loop = _managed_loop(request, loop_id)
    record = LoopOutcome.objects.filter(loop=loop).first()
    decision_form = DecisionForm(
        request.POST if "save_decision" in request.POST else None,
        instance=record,
        prefix="decision",
    )
    outcome_form = OutcomeForm(
        request.POST if "save_outcome" in request.POST else None,
        initial={"six_month_outcome": record.six_month_outcome if record else None},
        prefix="outcome",
    )
    if request.method == "POST":
        try:
            if "save_decision" in request.POST and decision_form.is_valid():
                data = decision_form.cleaned_data
                record_decision(
                    loop=loop,
                    decided_by=request.user,
                    decision=data["decision"],
                    offer_accepted=data["offer_accepted"],
                    hours=data["hours"],
                    cost=data["cost"],
                    start_date=data["start_date"],
                )
                messages.success(request, "Decision saved.")
                return redirect("hiring:loop_decision", loop_id=loop.pk)
            if "save_outcome" in request.POST and outcome_form.is_valid():
                record_six_month_outcome(
                    loop=loop, outcome=outcome_form.cleaned_data["six_month_outcome"]
                )
                messages.success(request, "6-month outcome saved.")
                return redirect("hiring:loop_decision", loop_id=loop.pk)
        except ValidationError as exc:
            if "save_decision" in request.POST:
                _copy_errors(decision_form, exc)
            else:
                messages.error(request, " ".join(exc.messages))
    due_on = None
    if record and record.offer_accepted:
        due_on = schedule.outcome_due_on(
            start_date=record.start_date,
            decided_on=timezone.localdate(record.decided_at),
            due_days=HiringSettings.load().outcome_due_days,
        )
    return render(
        request,
        "hiring/loop_decision.html",
        {
            "loop": loop,
            "record": record,
            "decision_form": decision_form,
            "outcome_form": outcome_form,
            "due_on": due_on,
        },
    )


# --- exercises ----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def loop_exercises(request, loop_id: int):
    loop = _managed_loop(request, loop_id)
    interviews = list(
        loop.interviews.select_related("interviewer", "exercise_assignment__exercise")
    )
    exercises = list(Exercise.objects.filter(is_active=True))
    if request.method == "POST":
        choices = {i.pk: request.POST.get(f"exercise-{i.pk}") or None for i in interviews}
        try:
            save_loop_exercises(loop=loop, choices=choices)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            lead = HiringSettings.load().exercise_lead_hours
            messages.success(
                request, f"Exercises saved. Each is emailed {lead} hours before its interview."
            )
        return redirect("hiring:loop_exercises", loop_id=loop.pk)
    rows = []
    for interview in interviews:
        assignment = getattr(interview, "exercise_assignment", None)
        rows.append({"interview": interview, "assignment": assignment})
    return render(
        request,
        "hiring/loop_exercises.html",
        {
            "loop": loop,
            "rows": rows,
            "exercises": exercises,
            "lead_hours": HiringSettings.load().exercise_lead_hours,
        },
    )


@require_POST
def exercise_result(request, interview_id: int):
    interview = scorecard_selectors.interview_for_interviewer(request.user, interview_id)
    assignment = ExerciseAssignment.objects.filter(interview=interview).first()
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


# --- amendments -----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def scorecard_amend(request, interview_id: int):
    interview = scorecard_selectors.interview_for_interviewer(request.user, interview_id)
    card = interview.scorecard
    if not card.is_submitted:
        return redirect("hiring:scorecard", interview_id=interview.pk)
    has_starl = starl_leadership(card) is not None
    editable = scoring.typed_dimensions(interview.dimensions, starl_leadership=has_starl)
    initial = {f"score_{d}": getattr(card, d) for d in editable}
    initial.update(recommendation=card.recommendation, notes=card.notes)
    form = AmendScorecardForm(request.POST or None, initial=initial, dimensions=editable)
    if request.method == "POST" and form.is_valid():
        scores = {**card.scores, **form.scores}
        try:
            amend_scorecard(
                scorecard_id=card.pk,
                amended_by=request.user,
                reason=form.cleaned_data["reason"],
                scores=scores,
                recommendation=form.cleaned_data["recommendation"],
                notes=form.cleaned_data["notes"],
            )
        except (ValidationError, PermissionDenied) as exc:
            _copy_errors(
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
            "has_starl": has_starl,
            "amendments": ScorecardAmendment.objects.filter(scorecard=card).select_related(
                "amended_by"
            ),
        },
    )


# --- analytics --------------------------------------------------------------------


def hiring_analytics(request):
    _require_recruiter(request.user)
    methods = analytics_selectors.method_table()
    labels = dict(InterviewMethod.choices)
    correlations = analytics_selectors.predictive_validity()
    calibration = analytics_selectors.calibration()
    chart = {
        "methods": [labels[r.method] for r in methods],
        "ours_bad_hire": [_pct(r.bad_hire_rate) for r in methods],
        "published_bad_hire": [_pct(r.published_bad_hire_rate) for r in methods],
        "ours_pass": [_pct(r.pass_rate) for r in methods],
        "published_pass": [_pct(r.published_pass_rate) for r in methods],
        "correlations": [
            {
                "name": c.label,
                "r": c.r,
                "low": c.ci_low,
                "high": c.ci_high,
            }
            for c in correlations
        ],
        "calibration": {
            "people": [str(person) for person, _ in calibration],
            **{d: [_num(c.deviation[d]) for _, c in calibration] for d in scoring.DIMENSIONS},
        },
    }
    return render(
        request,
        "hiring/analytics.html",
        {
            "methods": [(labels[r.method], r) for r in methods],
            "correlations": correlations,
            "predicts_nothing": [c.label for c in correlations if c.predicts is False],
            "predicts_backwards": [c.label for c in correlations if c.backwards],
            "calibration": calibration,
            "dimensions": scoring.DIMENSIONS,
            "chart": chart,
            "min_loops": analytics.MIN_LOOPS_TO_CONCLUDE,
            "outcomes_due": outcomes_due(),
        },
    )


def _pct(value):
    return None if value is None else float(value) * 100


def _num(value):
    return None if value is None else float(value)
