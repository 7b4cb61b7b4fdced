"""Reads behind the candidate-feedback page: a few aggregate queries, never one per loop."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from outbox import selectors as outbox_selectors

from .. import emails, feedback, scoring
from ..models import (
    CandidateFeedback,
    FeedbackTemplate,
    HiringSettings,
    Interview,
    InterviewLoop,
    RoleBenchmark,
    RoleProfile,
    Scorecard,
    StarlAnswer,
)
from .loops import loop_evaluation, loop_interviews


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


@dataclass(frozen=True)
class FeedbackRow:
    """One dimension of the candidate against the role's benchmark."""

    label: str
    score: Decimal | None
    benchmark: feedback.Benchmark | None
    minimum: Decimal
    comparison: str | None  # "Top 25% of candidates for <role>"; None without score or benchmark


@dataclass(frozen=True)
class FeedbackPage:
    subject: str
    body: str  # generated from the scores and the STAR-L evidence; the recruiter edits it
    rows: list[FeedbackRow]
    fallback: bool  # some dimension uses the admin-entered benchmark
    min_loops: int
    has_scores: bool
    pending: list[Interview]  # interviews whose scorecard is not submitted yet
    history: list[SentFeedback]


@dataclass(frozen=True)
class SentFeedback:
    feedback: CandidateFeedback
    delivery: str  # the email's outbox status: pending, sent, failed


def feedback_page(loop: InterviewLoop) -> FeedbackPage:
    """What the feedback page shows: the text generated for the candidate, each
    dimension against the role's benchmarks, and the feedback already sent."""
    profile = loop.role_profile
    role = profile.display_name  # what the candidate reads, never the profile's slug
    interviews = loop_interviews(loop)
    evaluation = loop_evaluation(loop, interviews)
    min_loops = HiringSettings.load().min_loops_for_benchmarks
    benchmarks = role_benchmarks(profile, min_loops=min_loops)
    means, answers, without_learning = loop_starl_summary(loop)
    starl_strengths, starl_improvements = feedback.starl_observations(
        means, answers, without_learning
    )
    minimums = {d: profile.minimums.of(d) for d in scoring.DIMENSIONS}
    body = feedback.compose(
        candidate=loop.candidate.name,
        role=role,
        scores=evaluation.scores,
        benchmarks=benchmarks,
        minimums=minimums,
        templates=feedback_templates(),
        starl_strengths=starl_strengths,
        starl_improvements=starl_improvements,
    )
    rows = []
    for dimension in scoring.DIMENSIONS:
        score, benchmark = evaluation.scores[dimension], benchmarks[dimension]
        comparison = None
        if score is not None and benchmark is not None:
            level = feedback.verdict(score, benchmark, minimums[dimension]).level
            comparison = feedback.fill(feedback.COMPARISON_SENTENCES[level], role=role)
        rows.append(
            FeedbackRow(
                label=scoring.DIMENSION_LABELS[dimension],
                score=score,
                benchmark=benchmark,
                minimum=minimums[dimension],
                comparison=comparison,
            )
        )
    return FeedbackPage(
        subject=f"Your interviews for the {role} role",
        body=body,
        rows=rows,
        fallback=any(b and not b.from_own_loops for b in benchmarks.values()),
        min_loops=min_loops,
        has_scores=any(v is not None for v in evaluation.scores.values()),
        pending=[i for i in interviews if not i.scorecard.is_submitted],
        history=sent_feedback(loop),
    )


def sent_feedback(loop: InterviewLoop) -> list[SentFeedback]:
    """The feedback recorded for a loop, newest first, each with how its email stands."""
    sent = list(loop.feedback.select_related("sent_by"))
    delivery = outbox_selectors.statuses(
        kind=emails.FEEDBACK, abouts=[f"feedback:{f.pk}" for f in sent]
    )
    return [SentFeedback(f, delivery.get(f"feedback:{f.pk}", "pending")) for f in sent]
