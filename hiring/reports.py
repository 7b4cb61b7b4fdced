"""Reads behind the feedback page and the hiring analytics: a few aggregate
queries each, never one per loop."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Avg, Count, Q
from django.utils import timezone

from . import analytics, feedback, scoring, selectors
from .models import (
    FeedbackTemplate,
    HiringSettings,
    InterviewLoop,
    InterviewMethod,
    LoopOutcome,
    Outcome,
    RoleBenchmark,
    RoleProfile,
    Scorecard,
    StarlAnswer,
)

_SUBMITTED = Q(interviews__scorecard__status=Scorecard.Status.SUBMITTED)


def _q(value) -> Decimal | None:
    return None if value is None else scoring.to_decimal(value).quantize(scoring.CENT)


def role_benchmarks(
    profile: RoleProfile, *, min_loops: int | None = None
) -> dict[str, feedback.Benchmark | None]:
    """Benchmarks from the role's loops with submitted scorecards (2 queries, and
    the settings when ``min_loops`` is not given).

    Each loop's score per dimension is computed exactly as on its loop page
    (``scoring.evaluate_loop``: mean, 2 decimals, half up), so a candidate is
    compared with cut-offs made of numbers rounded the same way as their own.
    """
    cards: dict[int, list[dict[str, Decimal | None]]] = defaultdict(list)
    for loop_id, *scores in Scorecard.objects.filter(
        status=Scorecard.Status.SUBMITTED, interview__loop__role_profile=profile
    ).values_list("interview__loop_id", *scoring.DIMENSIONS):
        cards[loop_id].append(dict(zip(scoring.DIMENSIONS, scores, strict=True)))
    loop_scores = [
        scoring.evaluate_loop(panel, profile.weights, profile.minimums).scores
        for panel in cards.values()
    ]
    admin_values = {
        b.dimension: (b.average, b.top_quartile)
        for b in RoleBenchmark.objects.filter(role_profile=profile)
    }
    if min_loops is None:
        min_loops = HiringSettings.load().min_loops_for_benchmarks
    return feedback.role_benchmarks(loop_scores, admin_values, min_loops=min_loops)


def feedback_templates() -> dict[str, dict[str, str]]:
    fields = [f.name for f in FeedbackTemplate._meta.fields if f.name not in ("id", "dimension")]
    return {t.dimension: {f: getattr(t, f) for f in fields} for t in FeedbackTemplate.objects.all()}


def loop_starl_summary(loop: InterviewLoop) -> tuple[dict[str, Decimal], int, int]:
    """Mean rating per STAR-L part over the loop's submitted answers, answers, without Learning."""
    answers = list(
        StarlAnswer.objects.filter(
            scorecard__interview__loop=loop, scorecard__status=Scorecard.Status.SUBMITTED
        )
    )
    ratings: dict[str, list[int]] = defaultdict(list)
    for answer in answers:
        for part in scoring.STARL_PARTS:
            if (r := getattr(answer, f"{part}_rating")) is not None:
                ratings[part].append(r)
    means = {p: Decimal(sum(v)) / len(v) for p, v in ratings.items() if v}
    return means, len(answers), sum(1 for a in answers if not a.has_learning)


# --- analytics -------------------------------------------------------------


def method_table() -> list[analytics.MethodRow]:
    """One aggregate query grouped by interview method."""
    decided = Q(outcome__isnull=False)
    offer = Q(outcome__decision="offer")
    rows = (
        InterviewLoop.objects.values("method")
        .annotate(
            decided=Count("pk", filter=decided),
            offers=Count("pk", filter=offer),
            accepted=Count("pk", filter=Q(outcome__offer_accepted=True)),
            answered=Count("pk", filter=offer & Q(outcome__offer_accepted__isnull=False)),
            outcomes=Count("pk", filter=Q(outcome__six_month_outcome__in=Outcome.values)),
            bad_hires=Count("pk", filter=Q(outcome__six_month_outcome="bad_hire")),
            avg_cost=Avg("outcome__cost"),
            avg_hours=Avg("outcome__hours"),
        )
        .order_by("method")
    )
    counts = [
        analytics.MethodCounts(
            method=r["method"],
            decided=r["decided"],
            offers=r["offers"],
            accepted=r["accepted"],
            answered_offers=r["answered"],
            outcomes=r["outcomes"],
            bad_hires=r["bad_hires"],
            avg_cost=r["avg_cost"],
            avg_hours=r["avg_hours"],
        )
        for r in rows
    ]
    return analytics.method_rows(counts, InterviewMethod.values)


def predictive_validity() -> list[analytics.Correlation]:
    """Hires with a 6-month outcome, their loop means and weighted total (one query)."""
    loops = (
        InterviewLoop.objects.filter(outcome__offer_accepted=True)
        .exclude(outcome__six_month_outcome="")
        .select_related("role_profile", "outcome")
        .annotate(
            **{
                f"mean_{d}": Avg(f"interviews__scorecard__{d}", filter=_SUBMITTED)
                for d in scoring.DIMENSIONS
            }
        )
    )
    hires = []
    for loop in loops:
        scores = {d: _q(getattr(loop, f"mean_{d}")) for d in scoring.DIMENSIONS}
        total = scoring.weighted_total(scores, loop.role_profile.weights)
        hires.append((scores, total, loop.outcome.six_month_outcome))
    return analytics.predictive_validity(hires)


def calibration() -> list[tuple[object, analytics.Calibration]]:
    """Every submitted scorecard, one query; people resolved in one more."""
    from accounts.models import User

    rows = Scorecard.objects.filter(status=Scorecard.Status.SUBMITTED).values(
        "interview__interviewer_id",
        "interview__loop_id",
        "interview__scheduled_at",
        "submitted_at",
        *scoring.DIMENSIONS,
    )
    cards = [
        analytics.SubmittedCard(
            interviewer_id=r["interview__interviewer_id"],
            loop_id=r["interview__loop_id"],
            scores={d: r[d] for d in scoring.DIMENSIONS},
            on_time=analytics.submitted_on_time(
                interview_at=r["interview__scheduled_at"], submitted_at=r["submitted_at"]
            ),
        )
        for r in rows
    ]
    results = analytics.calibration(cards)
    people = User.objects.in_bulk([c.interviewer_id for c in results])
    pairs = [(people[c.interviewer_id], c) for c in results]
    pairs.sort(key=lambda p: str(p[0]))
    return pairs


def outcomes_due() -> int:
    """Hires whose 6-month outcome is due and not recorded (the candidate list marks them)."""
    due = selectors.outcome_due_q(
        today=timezone.localdate(), due_days=HiringSettings.load().outcome_due_days
    )
    return LoopOutcome.objects.filter(due).count()
