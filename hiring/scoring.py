"""The scorecard scoring rules (PRODUCT.md, "Scorecard scoring").

Plain values in, plain values out: no ORM, no clock. Everything is ``Decimal``
so that 82.625 rounds half up to 82.63, as people expect, not to 82.62.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

DIMENSIONS: tuple[str, ...] = ("technical", "leadership", "culture")
DIMENSION_LABELS: dict[str, str] = {
    "technical": "Technical",
    "leadership": "Leadership",
    "culture": "Culture",
}
MIN_SCORE = Decimal(0)
MAX_SCORE = Decimal(100)
ONE = Decimal(1)
CENT = Decimal("0.01")


class ScoringError(ValueError):
    """A score or a weight breaks a rule. ``dimension`` names the field at fault."""

    def __init__(self, message: str, dimension: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.dimension = dimension


def format_score(value: Decimal) -> str:
    """82.50 -> "82.5", 70.00 -> "70": scores read the way people wrote them."""
    normalized = value.normalize()
    return f"{normalized:f}"


def to_decimal(value: object) -> Decimal:
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ScoringError(f"{value!r} is not a number.") from exc


def validate_score(dimension: str, value: object) -> Decimal:
    """Return the score as a Decimal, or raise naming the dimension."""
    label = DIMENSION_LABELS[dimension]
    score = to_decimal(value)
    if not score.is_finite() or score < MIN_SCORE or score > MAX_SCORE:
        raise ScoringError(
            f"{label} score must be between 0 and 100 (got {value}).", dimension=dimension
        )
    return score


@dataclass(frozen=True)
class Weights:
    technical: Decimal
    leadership: Decimal
    culture: Decimal

    def __post_init__(self) -> None:
        for dimension in DIMENSIONS:
            weight = to_decimal(getattr(self, dimension))
            object.__setattr__(self, dimension, weight)
            if weight < 0 or weight > ONE:
                raise ScoringError(
                    f"{DIMENSION_LABELS[dimension]} weight must be between 0 and 1.",
                    dimension=dimension,
                )
        total = self.technical + self.leadership + self.culture
        if total != ONE:
            raise ScoringError(
                f"Weights must sum to 1 (technical + leadership + culture = {format_score(total)})."
            )

    def of(self, dimension: str) -> Decimal:
        return getattr(self, dimension)


@dataclass(frozen=True)
class Minimums:
    technical: Decimal
    leadership: Decimal
    culture: Decimal

    def of(self, dimension: str) -> Decimal:
        return to_decimal(getattr(self, dimension))


DEFAULT_WEIGHTS = Weights(Decimal("0.45"), Decimal("0.35"), Decimal("0.20"))
STAFF_WEIGHTS = Weights(Decimal("0.30"), Decimal("0.50"), Decimal("0.20"))
DEFAULT_MINIMUMS = Minimums(Decimal(70), Decimal(65), Decimal(60))


def weighted_total(scores: Mapping[str, Decimal | None], weights: Weights) -> Decimal | None:
    """Weighted total to 2 decimals, rounded half up.

    None when any dimension has no score: a gap is a gap, never a zero.
    """
    if any(scores.get(dimension) is None for dimension in DIMENSIONS):
        return None
    total = sum(
        (validate_score(d, scores[d]) * weights.of(d) for d in DIMENSIONS), start=Decimal(0)
    )
    return total.quantize(CENT, rounding=ROUND_HALF_UP)


def disqualifying_flags(scores: Mapping[str, Decimal | None], minimums: Minimums) -> list[str]:
    """One flag per scored dimension below its minimum; exactly the minimum passes."""
    flags = []
    for dimension in DIMENSIONS:
        score = scores.get(dimension)
        if score is None:
            continue
        minimum = minimums.of(dimension)
        if to_decimal(score) < minimum:
            flags.append(
                f"{DIMENSION_LABELS[dimension]} score {format_score(to_decimal(score))} "
                f"below minimum {format_score(minimum)}"
            )
    return flags


def mean(values: Iterable[Decimal]) -> Decimal | None:
    """Mean to 2 decimals (half up), or None for no values."""
    values = [to_decimal(v) for v in values]
    if not values:
        return None
    return (sum(values, start=Decimal(0)) / len(values)).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Evaluation:
    """The result of a scorecard or of a whole loop."""

    scores: dict[str, Decimal | None]
    total: Decimal | None
    flags: list[str] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        return [d for d in DIMENSIONS if self.scores.get(d) is None]

    @property
    def passes(self) -> bool | None:
        """True/False once every dimension is scored; None while there are gaps."""
        if self.missing:
            return None
        return not self.flags


def evaluate(
    scores: Mapping[str, Decimal | None], weights: Weights, minimums: Minimums
) -> Evaluation:
    clean = {
        d: (validate_score(d, scores[d]) if scores.get(d) is not None else None) for d in DIMENSIONS
    }
    return Evaluation(
        scores=clean,
        total=weighted_total(clean, weights),
        flags=disqualifying_flags(clean, minimums),
    )


def evaluate_loop(
    scorecards: Iterable[Mapping[str, Decimal | None]], weights: Weights, minimums: Minimums
) -> Evaluation:
    """Per dimension, the mean of the scorecards that scored it; then total and flags."""
    collected: dict[str, list[Decimal]] = {d: [] for d in DIMENSIONS}
    for card in scorecards:
        for dimension in DIMENSIONS:
            if card.get(dimension) is not None:
                collected[dimension].append(to_decimal(card[dimension]))
    return evaluate({d: mean(collected[d]) for d in DIMENSIONS}, weights, minimums)


# STAR-L: each answer has five parts rated 1-5 on a behaviourally anchored scale.
STARL_PARTS: tuple[str, ...] = ("situation", "task", "action", "result", "learning")
STARL_MIN_RATING = 1
STARL_MAX_RATING = 5


def starl_leadership_score(ratings: Iterable[int]) -> Decimal | None:
    """Leadership score from STAR-L part ratings: their mean, mapped 1 → 0 … 5 → 100.

    Linear: (mean - 1) x 25, to 2 decimals, rounded half up. None when nothing
    is rated yet. A rating outside 1-5 raises ``ScoringError``.
    """
    values = []
    for rating in ratings:
        value = to_decimal(rating)
        if value != value.to_integral_value() or not (
            STARL_MIN_RATING <= value <= STARL_MAX_RATING
        ):
            raise ScoringError(
                f"A STAR-L rating must be a whole number from 1 to 5 (got {rating})."
            )
        values.append(value)
    if not values:
        return None
    average = sum(values, start=Decimal(0)) / len(values)
    return ((average - ONE) * 25).quantize(CENT, rounding=ROUND_HALF_UP)


def typed_dimensions(dimensions: Iterable[str], *, starl_leadership: bool) -> list[str]:
    """The dimensions an interviewer types a score for: once STAR-L ratings make
    the leadership score, leadership is computed from them, not typed in."""
    return [d for d in dimensions if not (d == "leadership" and starl_leadership)]
