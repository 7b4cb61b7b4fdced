"""Hiring analytics that check the product's claims on the organisation's own data.

Pure: plain values in, plain values out; statistics from the standard library
(``statistics.correlation``, ``statistics.NormalDist``). Rates are fractions 0-1.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from .scoring import CENT, DIMENSIONS, to_decimal

# PRODUCT.md, "Interview methods": pass rate (senior), bad-hire rate at 6 months,
# cost per candidate ($), hours per loop.
PUBLISHED = {
    "unstructured": (Decimal("0.28"), Decimal("0.41"), Decimal(85), Decimal("4.2")),
    "starl": (Decimal("0.44"), Decimal("0.22"), Decimal(112), Decimal("5.8")),
    "code_benchmark": (Decimal("0.31"), Decimal("0.33"), Decimal(47), Decimal("3.1")),
    "system_design": (Decimal("0.52"), Decimal("0.09"), Decimal(210), Decimal("8.5")),
    "combined": (Decimal("0.67"), Decimal("0.07"), Decimal(285), Decimal("10.2")),
}
# Below these counts a rate is shown but flagged: too few to conclude.
MIN_LOOPS_TO_CONCLUDE = 20
MIN_OUTCOMES_TO_CONCLUDE = 10
# A correlation needs at least 4 pairs for a confidence interval (Fisher z: n - 3).
MIN_PAIRS = 4
# Calibration: a mean deviation of at least this many points from the rest of
# the panel makes an interviewer lenient (+) or harsh (-) in that dimension.
CALIBRATION_POINTS = Decimal(5)


def ratio(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class MethodCounts:
    """What SQL counts per interview method (one aggregate query)."""

    method: str
    decided: int = 0
    offers: int = 0
    accepted: int = 0
    answered_offers: int = 0  # offers whose acceptance is known
    outcomes: int = 0  # hires with a recorded 6-month outcome
    bad_hires: int = 0
    avg_cost: Decimal | None = None
    avg_hours: Decimal | None = None


@dataclass(frozen=True)
class MethodRow:
    method: str
    n: int
    pass_rate: Decimal | None
    bad_hire_rate: Decimal | None
    outcomes: int
    avg_cost: Decimal | None
    avg_hours: Decimal | None
    acceptance_rate: Decimal | None
    offers: int
    published_pass_rate: Decimal | None
    published_bad_hire_rate: Decimal | None
    published_cost: Decimal | None
    published_hours: Decimal | None
    notes: list[str] = field(default_factory=list)


def method_rows(counts: Sequence[MethodCounts], methods: Sequence[str]) -> list[MethodRow]:
    """One row per method (in ``methods`` order), ours beside the published figures."""
    by_method = {c.method: c for c in counts}
    rows = []
    for method in methods:
        c = by_method.get(method, MethodCounts(method=method))
        published = PUBLISHED.get(method, (None, None, None, None))
        notes = []
        if c.decided < MIN_LOOPS_TO_CONCLUDE:
            notes.append(f"Too few loops to conclude (n = {c.decided}).")
        elif c.outcomes < MIN_OUTCOMES_TO_CONCLUDE:
            notes.append(f"Too few 6-month outcomes to judge bad hires (n = {c.outcomes}).")
        rows.append(
            MethodRow(
                method=method,
                n=c.decided,
                pass_rate=ratio(c.offers, c.decided),
                bad_hire_rate=ratio(c.bad_hires, c.outcomes),
                outcomes=c.outcomes,
                avg_cost=None if c.avg_cost is None else to_decimal(c.avg_cost).quantize(CENT),
                avg_hours=None
                if c.avg_hours is None
                else to_decimal(c.avg_hours).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP),
                acceptance_rate=ratio(c.accepted, c.answered_offers),
                offers=c.offers,
                published_pass_rate=published[0],
                published_bad_hire_rate=published[1],
                published_cost=published[2],
                published_hours=published[3],
                notes=notes,
            )
        )
    return rows


@dataclass(frozen=True)
class Correlation:
    name: str
    n: int
    r: float | None
    ci_low: float | None
    ci_high: float | None

    @property
    def label(self) -> str:
        return "Weighted total" if self.name == "total" else self.name.capitalize()

    @property
    def predicts(self) -> bool | None:
        """True when the 95% interval excludes 0; None when it cannot be computed."""
        if self.ci_low is None or self.ci_high is None:
            return None
        return self.ci_low > 0 or self.ci_high < 0

    @property
    def backwards(self) -> bool:
        """The whole interval is below 0: higher scores went with more bad hires.

        It "predicts", but the wrong way round; a score to question, not to trust.
        """
        return self.ci_high is not None and self.ci_high < 0


def correlation(
    name: str, xs: Sequence[float], ys: Sequence[float], confidence: float = 0.95
) -> Correlation:
    """Pearson r (point-biserial when ``ys`` is 0/1) with a Fisher-z confidence interval."""
    n = len(xs)
    if n < MIN_PAIRS:
        return Correlation(name, n, None, None, None)
    try:
        r = statistics.correlation([float(x) for x in xs], [float(y) for y in ys])
    except statistics.StatisticsError:  # one of them is constant
        return Correlation(name, n, None, None, None)
    clipped = max(min(r, 0.999999), -0.999999)
    z = math.atanh(clipped)
    half_width = statistics.NormalDist().inv_cdf(0.5 + confidence / 2) / math.sqrt(n - 3)
    return Correlation(name, n, r, math.tanh(z - half_width), math.tanh(z + half_width))


# 6-month outcome as a number: performing 1, bad hire 0. "Left" says nothing
# about how well the interview predicted performance, so it is left out.
OUTCOME_VALUES = {"performing": 1.0, "bad_hire": 0.0}


def predictive_validity(
    hires: Sequence[tuple[Mapping[str, Decimal | None], Decimal | None, str]],
) -> list[Correlation]:
    """Per dimension and for the weighted total, the correlation with the outcome.

    ``hires``: (loop scores per dimension, weighted total, 6-month outcome).
    """
    results = []
    for name in (*DIMENSIONS, "total"):
        xs, ys = [], []
        for scores, total, outcome in hires:
            value = total if name == "total" else scores.get(name)
            if value is None or outcome not in OUTCOME_VALUES:
                continue
            xs.append(float(value))
            ys.append(OUTCOME_VALUES[outcome])
        results.append(correlation(name, xs, ys))
    return results


# A scorecard counts as on time when submitted within this long after the interview.
ON_TIME_WITHIN = timedelta(hours=24)


def submitted_on_time(*, interview_at: datetime, submitted_at: datetime) -> bool:
    return submitted_at - interview_at <= ON_TIME_WITHIN


@dataclass(frozen=True)
class SubmittedCard:
    interviewer_id: int
    loop_id: int
    scores: Mapping[str, Decimal | None]
    on_time: bool  # submitted_on_time


@dataclass(frozen=True)
class Calibration:
    interviewer_id: int
    cards: int
    deviation: dict[str, Decimal | None]
    tendency: dict[str, str | None]  # "lenient", "harsh", "in line", None (no panel)
    spread: Decimal | None  # standard deviation of all their scores
    on_time_share: Decimal | None


def calibration(cards: Sequence[SubmittedCard]) -> list[Calibration]:
    """Per interviewer: mean deviation from the rest of the panel per dimension, spread,
    share submitted within 24 hours. One pass over the submitted scorecards."""
    by_loop: dict[int, list[SubmittedCard]] = defaultdict(list)
    by_person: dict[int, list[SubmittedCard]] = defaultdict(list)
    for card in cards:
        by_loop[card.loop_id].append(card)
        by_person[card.interviewer_id].append(card)
    results = []
    for person, own in by_person.items():
        deviations: dict[str, list[Decimal]] = {d: [] for d in DIMENSIONS}
        all_scores: list[Decimal] = []
        for card in own:
            for dimension in DIMENSIONS:
                score = card.scores.get(dimension)
                if score is None:
                    continue
                all_scores.append(to_decimal(score))
                others = [
                    to_decimal(o.scores[dimension])
                    for o in by_loop[card.loop_id]
                    if o is not card and o.scores.get(dimension) is not None
                ]
                if others:
                    panel = sum(others, start=Decimal(0)) / len(others)
                    deviations[dimension].append(to_decimal(score) - panel)
        deviation: dict[str, Decimal | None] = {}
        tendency: dict[str, str | None] = {}
        for dimension, values in deviations.items():
            if not values:
                deviation[dimension], tendency[dimension] = None, None
                continue
            mean = (sum(values, start=Decimal(0)) / len(values)).quantize(
                CENT, rounding=ROUND_HALF_UP
            )
            deviation[dimension] = mean
            if mean >= CALIBRATION_POINTS:
                tendency[dimension] = "lenient"
            elif mean <= -CALIBRATION_POINTS:
                tendency[dimension] = "harsh"
            else:
                tendency[dimension] = "in line"
        spread = (
            to_decimal(statistics.stdev(all_scores)).quantize(CENT, rounding=ROUND_HALF_UP)
            if len(all_scores) >= 2
            else None
        )
        results.append(
            Calibration(
                interviewer_id=person,
                cards=len(own),
                deviation=deviation,
                tendency=tendency,
                spread=spread,
                on_time_share=ratio(sum(1 for c in own if c.on_time), len(own)),
            )
        )
    return results
