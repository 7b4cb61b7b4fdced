"""Reads behind the candidate-feedback page: a few aggregate queries, never one per loop."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from .. import feedback, scoring
from ..models import (
    FeedbackTemplate,
    HiringSettings,
    InterviewLoop,
    RoleBenchmark,
    RoleProfile,
    Scorecard,
    StarlAnswer,
)


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
