"""The rules of survey results: means, feedback score, top concerns, hiding.

Pure: plain values and frozen dataclasses in, plain values out; no ORM, no
clock. The database stores answers only as counts per (question, value), so
everything here works from those counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

LIKERT_VALUES = (1, 2, 3, 4, 5)
LIKERT_LABELS = {
    1: "Strongly disagree",
    2: "Disagree",
    3: "Neither agree nor disagree",
    4: "Agree",
    5: "Strongly agree",
}
ENPS_VALUES = tuple(range(11))
MINIMUM_GROUP_SIZE_FLOOR = 3
DEFAULT_MINIMUM_GROUP_SIZE = 5
DEFAULT_MINIMUM_COMMENTS = 5
# A score has to move by at least this much (on the 0-100 scale) to count as moved.
MOVED_BY_AT_LEAST = Decimal("2.5")

_ONE_PLACE = Decimal("0.1")
_TWO_PLACES = Decimal("0.01")


def likert_to_score(value: Decimal | int) -> Decimal:
    """Likert 1 → 0, 2 → 25, 3 → 50, 4 → 75, 5 → 100 (linear, also for means)."""
    return (Decimal(value) - 1) * 25


def _round(value: Decimal, places: Decimal = _ONE_PLACE) -> Decimal:
    return value.quantize(places, rounding=ROUND_HALF_UP)


def can_show(responses: int, minimum_group_size: int) -> bool:
    """Results of a group are shown only from ``minimum_group_size`` responses on."""
    return responses >= max(minimum_group_size, MINIMUM_GROUP_SIZE_FLOOR)


def enps_hidden(answers: int, minimum_group_size: int) -> bool:
    """Whether a shown round's eNPS is hidden, its notice the same for none and for a few.

    The eNPS question is optional: fewer people may answer it than answered the
    round, so its answers are a group of their own, held to the round's minimum
    group size (two answers would show the score of two people). Nobody
    answering it is hidden alike: a notice only for "a few" would tell the
    reader that somebody did.
    """
    return not can_show(answers, minimum_group_size)


def comments_hidden(comments: int, minimum_comments: int) -> bool:
    """Whether a shown round's comments are hidden: word for word, they are shown
    only from ``minimum_comments`` of them on (never fewer than the floor). No
    comment at all reads the same as a few, so the notice says nothing of
    whether anybody wrote one."""
    return not can_show(comments, minimum_comments)


@dataclass(frozen=True)
class QuestionCounts:
    """How many people chose each value of one question."""

    question_id: int
    text: str
    dimension: str
    position: int
    counts: Mapping[int, int]

    @property
    def answers(self) -> int:
        return sum(self.counts.values())

    @property
    def total(self) -> int:
        return sum(value * count for value, count in self.counts.items())


@dataclass(frozen=True)
class QuestionResult:
    question_id: int
    text: str
    dimension: str
    position: int
    answers: int
    mean: Decimal | None  # on the Likert 1-5 scale, 2 decimals
    score: Decimal | None  # 0-100, 1 decimal
    distribution: tuple[tuple[int, int, Decimal], ...]  # (value, count, percent)


@dataclass(frozen=True)
class DimensionResult:
    dimension: str
    answers: int
    mean: Decimal | None
    score: Decimal | None
    distribution: tuple[tuple[int, int, Decimal], ...]


def _distribution(counts: Mapping[int, int], values: Sequence[int]):
    answers = sum(counts.get(v, 0) for v in values)
    return tuple(
        (
            v,
            counts.get(v, 0),
            _round(Decimal(100) * counts.get(v, 0) / answers) if answers else Decimal(0),
        )
        for v in values
    )


def _mean(total: int, answers: int) -> Decimal | None:
    if not answers:
        return None
    return _round(Decimal(total) / Decimal(answers), _TWO_PLACES)


def _score(total: int, answers: int) -> Decimal | None:
    # From the exact mean, not the rounded one, so rounding happens once.
    if not answers:
        return None
    return _round(likert_to_score(Decimal(total) / Decimal(answers)))


def question_result(question: QuestionCounts) -> QuestionResult:
    return QuestionResult(
        question_id=question.question_id,
        text=question.text,
        dimension=question.dimension,
        position=question.position,
        answers=question.answers,
        mean=_mean(question.total, question.answers),
        score=_score(question.total, question.answers),
        distribution=_distribution(question.counts, LIKERT_VALUES),
    )


def dimension_results(
    questions: Iterable[QuestionCounts], dimensions: Sequence[str]
) -> list[DimensionResult]:
    """Per dimension: every answer to its questions pooled, in ``dimensions`` order."""
    pooled: dict[str, dict[int, int]] = {d: {} for d in dimensions}
    for question in questions:
        bucket = pooled.setdefault(question.dimension, {})
        for value, count in question.counts.items():
            bucket[value] = bucket.get(value, 0) + count
    results = []
    for dimension in dimensions:
        counts = pooled[dimension]
        answers = sum(counts.values())
        total = sum(v * c for v, c in counts.items())
        results.append(
            DimensionResult(
                dimension=dimension,
                answers=answers,
                mean=_mean(total, answers),
                score=_score(total, answers),
                distribution=_distribution(counts, LIKERT_VALUES),
            )
        )
    return results


def feedback_score(questions: Iterable[QuestionCounts]) -> Decimal | None:
    """The round's feedback score, 0-100: every Likert answer of the round pooled."""
    answers = total = 0
    for question in questions:
        answers += question.answers
        total += question.total
    return _score(total, answers)


def feedback_score_from_totals(total: int | None, answers: int | None) -> Decimal | None:
    """The same score from totals the database summed: sum(value x count) and sum(count)."""
    return _score(total or 0, answers or 0)


def top_concerns(results: Iterable[QuestionResult], count: int = 3) -> list[QuestionResult]:
    """The ``count`` lowest-scoring questions.

    Ties are broken deterministically: the lower mean first, then the larger
    share of "disagree" answers (1 or 2), then the question's position in the
    bank, then its id.
    """

    def disagree_share(result: QuestionResult) -> Decimal:
        disagree = sum(c for v, c, _ in result.distribution if v <= 2)
        return Decimal(disagree) / result.answers if result.answers else Decimal(0)

    answered = [r for r in results if r.mean is not None]
    answered.sort(key=lambda r: (r.mean, -disagree_share(r), r.position, r.question_id))
    return answered[:count]


def enps(counts: Mapping[int, int]) -> int | None:
    """Employee Net Promoter Score: % promoters (9-10) minus % detractors (0-6), -100 to 100."""
    answers = sum(counts.values())
    if not answers:
        return None
    promoters = sum(c for v, c in counts.items() if v >= 9)
    detractors = sum(c for v, c in counts.items() if v <= 6)
    return int(_round(Decimal(100) * (promoters - detractors) / answers, Decimal(1)))


@dataclass(frozen=True)
class ConcernMovement:
    question_id: int
    text: str
    before: Decimal
    after: Decimal | None  # None: the question was not asked, or not answered, this time
    direction: str  # "up", "down", "same" or "not asked"

    @property
    def change(self) -> Decimal | None:
        return None if self.after is None else self.after - self.before


def concern_movements(
    earlier_concerns: Iterable[tuple[int, str, Decimal]],
    current_scores: Mapping[int, Decimal | None],
) -> list[ConcernMovement]:
    """For each earlier concern (question id, text, score), how its score moved now."""
    movements = []
    for question_id, text, before in earlier_concerns:
        after = current_scores.get(question_id)
        if after is None:
            direction = "not asked"
        elif after - before >= MOVED_BY_AT_LEAST:
            direction = "up"
        elif before - after >= MOVED_BY_AT_LEAST:
            direction = "down"
        else:
            direction = "same"
        movements.append(ConcernMovement(question_id, text, before, after, direction))
    return movements


def participation_rate(responses: int, invited: int) -> Decimal | None:
    if not invited:
        return None
    return _round(Decimal(100) * responses / invited, Decimal(1))


def rollup_hidden(group_sizes: Mapping[str, int], minimum_group_size: int) -> set[str]:
    """Which groups of a roll-up to hide: those below the minimum group size.

    A roll-up's total is pooled only from the groups it shows
    (``rollup_shown``), never from hidden ones, so "total minus the visible
    groups" is always zero: no hidden group can be derived by subtraction,
    whichever other pages the reader can also see. (Hiding "enough other"
    groups around a total that includes the hidden one is not enough when
    the reader can open the other groups' own pages.)
    """
    return {key for key, size in group_sizes.items() if not can_show(size, minimum_group_size)}


def rollup_shown(group_sizes: Mapping[str, int], minimum_group_size: int) -> set[str]:
    """The groups a roll-up shows and pools into its total."""
    return set(group_sizes) - rollup_hidden(group_sizes, minimum_group_size)
