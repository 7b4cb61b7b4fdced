"""Where a loop's panel disagrees: the spread of its scores per dimension.

Plain values in, plain values out. A recruiter reads the spread as the range
(highest minus lowest score) and the standard deviation of the panel's scores
(population: the panel is everyone who scored, not a sample of it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .scoring import CENT, DIMENSION_LABELS, DIMENSIONS, to_decimal

# A range of this many points or more is a disagreement worth starting the
# debrief with: about two bands of the 0-100 rubric apart.
DISAGREEMENT_RANGE = Decimal(15)
# Recommendations on opposite sides of hiring.
POSITIVE = frozenset({"yes", "strong_yes"})
NEGATIVE = frozenset({"no", "strong_no"})


@dataclass(frozen=True)
class Spread:
    """How far apart the panel's scores for one dimension are."""

    dimension: str
    scores: tuple[Decimal, ...]
    low: Decimal | None
    high: Decimal | None
    range: Decimal | None
    deviation: Decimal | None  # standard deviation, 2 decimals

    @property
    def label(self) -> str:
        return DIMENSION_LABELS[self.dimension]

    @property
    def count(self) -> int:
        return len(self.scores)

    @property
    def disagrees(self) -> bool:
        return self.range is not None and self.count >= 2 and self.range >= DISAGREEMENT_RANGE


def spread(dimension: str, scores: Iterable[Decimal | None]) -> Spread:
    values = tuple(to_decimal(s) for s in scores if s is not None)
    if not values:
        return Spread(dimension, values, None, None, None, None)
    low, high = min(values), max(values)
    average = sum(values, start=Decimal(0)) / len(values)
    variance = sum(((v - average) ** 2 for v in values), start=Decimal(0)) / len(values)
    deviation = variance.sqrt().quantize(CENT, rounding=ROUND_HALF_UP)
    return Spread(dimension, values, low, high, high - low, deviation)


@dataclass(frozen=True)
class Disagreement:
    """The panel's spreads, widest first, and whether its recommendations split."""

    spreads: tuple[Spread, ...]
    recommendations_split: bool

    @property
    def widest(self) -> Spread | None:
        """The dimension the panel disagrees on most, if it disagrees on any."""
        first = self.spreads[0] if self.spreads else None
        return first if first is not None and first.disagrees else None

    @property
    def disagreeing(self) -> list[Spread]:
        return [s for s in self.spreads if s.disagrees]


def disagreement(
    scorecards: Sequence[Mapping[str, Decimal | None]], recommendations: Iterable[str]
) -> Disagreement:
    """Spreads per dimension, widest range first (then widest deviation, then the
    usual dimension order); dimensions nobody scored go last."""
    spreads = [spread(d, (card.get(d) for card in scorecards)) for d in DIMENSIONS]
    order = {d: i for i, d in enumerate(DIMENSIONS)}
    spreads.sort(
        key=lambda s: (
            s.range is None,
            -(s.range or 0),
            -(s.deviation or 0),
            order[s.dimension],
        )
    )
    given = set(recommendations)
    return Disagreement(
        spreads=tuple(spreads),
        recommendations_split=bool(given & POSITIVE) and bool(given & NEGATIVE),
    )
