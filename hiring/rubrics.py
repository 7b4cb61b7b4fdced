"""Rubrics for the 0-100 scores: bands of whole numbers, each saying what a score
in it looks like, for one dimension of a role profile.

Plain values in, plain values out. A dimension's bands must cover 0-100 with no
gap and no overlap: sorted by their lower bound, the first starts at 0, each next
one starts one above where the previous ended, and the last ends at 100. A score
with decimals belongs to the band of its whole part (39.5 is in 0-39).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from itertools import pairwise

LOWEST = 0
HIGHEST = 100


@dataclass(frozen=True)
class Problem:
    """What is wrong with one band: ``index`` in the list given, the field at fault."""

    index: int
    field: str  # "low" or "high"
    message: str


def coverage_problems(bands: Sequence[tuple[int, int]]) -> list[Problem]:
    """Why ``bands`` (low, high) do not cover 0-100 exactly; empty when they do.

    No bands at all is no rubric, not a problem.
    """
    problems = []
    for index, (low, high) in enumerate(bands):
        if not LOWEST <= low <= HIGHEST:
            problems.append(Problem(index, "low", "A band starts between 0 and 100."))
        if not LOWEST <= high <= HIGHEST:
            problems.append(Problem(index, "high", "A band ends between 0 and 100."))
        if low > high:
            problems.append(
                Problem(index, "high", f"This band ends ({high}) before it starts ({low}).")
            )
    if problems or not bands:
        return problems
    order = sorted(range(len(bands)), key=lambda i: bands[i])
    first, last = order[0], order[-1]
    if bands[first][0] != LOWEST:
        problems.append(
            Problem(
                first,
                "low",
                f"The lowest band must start at 0: 0–{bands[first][0] - 1} has no band.",
            )
        )
    for previous, current in pairwise(order):
        end, start = bands[previous][1], bands[current][0]
        if start <= end:
            problems.append(
                Problem(
                    current,
                    "low",
                    f"Overlaps the band {bands[previous][0]}–{end}: start this one at {end + 1}.",
                )
            )
        elif start > end + 1:
            problems.append(
                Problem(
                    current,
                    "low",
                    f"Leaves {end + 1}–{start - 1} without a band: start this one at {end + 1}.",
                )
            )
    if bands[last][1] != HIGHEST:
        problems.append(
            Problem(
                last,
                "high",
                f"The highest band must end at 100: {bands[last][1] + 1}–100 has no band.",
            )
        )
    return problems


def band_index(score: Decimal | None, bands: Sequence[tuple[int, int]]) -> int | None:
    """The index of the band a score falls in, or None (no score, or no band holds it)."""
    if score is None:
        return None
    whole = int(score.to_integral_value(rounding=ROUND_FLOOR))
    for index, (low, high) in enumerate(bands):
        if low <= whole <= high:
            return index
    return None
