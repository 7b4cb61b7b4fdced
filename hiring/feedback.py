"""Candidate feedback: role benchmarks and the rules that turn scores into sentences.

Pure: plain values in, plain values out. PRODUCT.md, "Candidate feedback":
per dimension "Top 25%" / "Above average" / "Below average" for the role;
strengths (≥ top 25%: exceptional; ≥ average: solid); improvements
(< minimum passing: below threshold; < average: below average). Every cut-off
is inclusive (≥), consistently.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .scoring import CENT, DIMENSION_LABELS, DIMENSIONS, STARL_PARTS, to_decimal

MIN_LOOPS_FOR_BENCHMARK = 10
TOP = "top"
ABOVE = "above_average"
BELOW = "below_average"


def _q(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def percentile_75(values: Sequence[Decimal]) -> Decimal:
    """The top-25% cut-off: 75th percentile with linear interpolation between
    closest ranks (``statistics.quantiles(method="inclusive")``, like Excel's
    PERCENTILE.INC and NumPy's default)."""
    data = [to_decimal(v) for v in values]
    if not data:
        raise ValueError("no values")
    if len(data) == 1:
        return _q(data[0])
    return _q(to_decimal(statistics.quantiles(data, n=4, method="inclusive")[2]))


@dataclass(frozen=True)
class Benchmark:
    average: Decimal
    top_quartile: Decimal
    loops: int  # submitted loops of the role with a score in this dimension
    from_own_loops: bool  # False: the admin-entered values are used


def role_benchmarks(
    loop_scores: Sequence[Mapping[str, Decimal | None]],
    admin_values: Mapping[str, tuple[Decimal, Decimal]],
    min_loops: int = MIN_LOOPS_FOR_BENCHMARK,
) -> dict[str, Benchmark | None]:
    """Per dimension, the average and top-25% cut-off of the role's own loops.

    Below ``min_loops`` loops, the admin-entered (average, top-25%) values are
    used instead; None when there are neither.
    """
    result: dict[str, Benchmark | None] = {}
    for dimension in DIMENSIONS:
        values = [to_decimal(s[dimension]) for s in loop_scores if s.get(dimension) is not None]
        if len(values) >= min_loops:
            average = _q(to_decimal(statistics.mean(values)))
            # A few very high scores can pull the mean above the 75th percentile;
            # the cut-off never sits below the average (as for admin-entered
            # values), so no candidate reads "Top 25%" and "below average" at once.
            result[dimension] = Benchmark(
                average=average,
                top_quartile=max(percentile_75(values), average),
                loops=len(values),
                from_own_loops=True,
            )
        elif dimension in admin_values:
            average, top = admin_values[dimension]
            result[dimension] = Benchmark(
                average=to_decimal(average),
                top_quartile=to_decimal(top),
                loops=len(values),
                from_own_loops=False,
            )
        else:
            result[dimension] = None
    return result


@dataclass(frozen=True)
class DimensionVerdict:
    level: str  # TOP / ABOVE / BELOW
    strength: str | None  # "exceptional" / "solid" / None
    improvement: str | None  # "below_threshold" / "below_average" / None


def verdict(score: Decimal, benchmark: Benchmark, minimum: Decimal) -> DimensionVerdict:
    score = to_decimal(score)
    if score >= benchmark.top_quartile:
        level, strength = TOP, "exceptional"
    elif score >= benchmark.average:
        level, strength = ABOVE, "solid"
    else:
        level, strength = BELOW, None
    if score < to_decimal(minimum):
        improvement = "below_threshold"
    elif score < benchmark.average:
        improvement = "below_average"
    else:
        improvement = None
    return DimensionVerdict(level=level, strength=strength, improvement=improvement)


COMPARISON_SENTENCES = {
    TOP: "Top 25% of candidates for {role}",
    ABOVE: "Above average for {role}",
    BELOW: "Below average for {role}",
}


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(template: str, **values: object) -> str:
    """str.format that leaves unknown placeholders as they are (admins write these)."""
    return template.format_map(_Blank(**{k: str(v) for k, v in values.items()}))


def starl_observations(
    part_means: Mapping[str, Decimal], answers: int, without_learning: int
) -> tuple[list[str], list[str]]:
    """A strength and improvements drawn from the STAR-L evidence of the loop."""
    strengths: list[str] = []
    improvements: list[str] = []
    if not answers or not part_means:
        return strengths, improvements
    labels = {p: p.capitalize() for p in STARL_PARTS}
    best = max(part_means, key=lambda p: (part_means[p], -STARL_PARTS.index(p)))
    worst = min(part_means, key=lambda p: (part_means[p], STARL_PARTS.index(p)))
    if part_means[best] >= 4:
        strengths.append(f"In your examples, the {labels[best]} was especially strong.")
    if part_means[worst] < 3 and worst != best:
        improvements.append(f"Give more detail on the {labels[worst]} part of your examples.")
    if without_learning:
        improvements.append(
            f"{without_learning} of your {answers} examples did not end with what you "
            "learned; say what you would do differently."
        )
    return strengths, improvements


def compose(
    *,
    candidate: str,
    role: str,
    scores: Mapping[str, Decimal | None],
    benchmarks: Mapping[str, Benchmark | None],
    minimums: Mapping[str, Decimal],
    templates: Mapping[str, Mapping[str, str]],
    starl_strengths: Sequence[str] = (),
    starl_improvements: Sequence[str] = (),
) -> str:
    """The feedback email's text: per assessed dimension, the comparison sentence,
    strengths and what to work on. ``templates`` maps a dimension to its
    sentences (FeedbackTemplate fields)."""
    lines = [
        f"Dear {candidate},",
        "",
        f"Thank you for interviewing with us for the {role} role. "
        "Here is how your interviews went, compared with other candidates for this role.",
    ]
    for dimension in DIMENSIONS:
        score, benchmark = scores.get(dimension), benchmarks.get(dimension)
        if score is None or benchmark is None:
            continue
        minimum = to_decimal(minimums[dimension])
        result = verdict(score, benchmark, minimum)
        sentences = templates.get(dimension, {})
        values = {
            "role": role,
            "score": score,
            "average": benchmark.average,
            "top": benchmark.top_quartile,
            "minimum": minimum.normalize(),
        }
        comparison = fill(
            sentences.get(result.level) or COMPARISON_SENTENCES[result.level] + ".", **values
        )
        strengths, improvements = [], []
        if result.strength:
            strengths.append(fill(sentences.get(f"strength_{result.strength}", ""), **values))
        if result.improvement:
            improvements.append(
                fill(sentences.get(f"improvement_{result.improvement}", ""), **values)
            )
        if dimension == "leadership":
            strengths.extend(starl_strengths)
            improvements.extend(starl_improvements)
        lines += ["", f"{DIMENSION_LABELS[dimension]}: {comparison}"]
        lines += [f"+ Strength: {s}" for s in strengths if s]
        lines += [f"- To work on: {s}" for s in improvements if s]
    lines += ["", "We wish you the best,", "The hiring team"]
    return "\n".join(lines)
