"""The rules of survey results: means, feedback score, top concerns, hiding.

Pure: plain values and frozen dataclasses in, plain values out; no ORM, no
clock. The database stores answers only as counts per (question, value), so
everything here works from those counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

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


def everyone_answered(answers: int, invited: int) -> bool:
    """Whether a reader knows who is in a group of answers: everyone invited answered.

    The pages say "7 of 7 answered", so the reader then knows each person in
    the group by name.
    """
    return invited > 0 and answers >= invited


# How a figure is shown when it has been coarsened (see ``coarsened_total``).
EXACT = ""
OR_MORE = "or more"
OR_LESS = "or less"
ABOUT = "about"


def coarsened_total(total: int, answers: int, *, known: bool) -> tuple[int, str]:
    """The sum of one question's answers as it may be shown, and how it was coarsened.

    The rule (docs/anonymity.md, "unanimity"): no figure may let a reader
    deduce with certainty what a named member answered. When the group is
    known (``everyone_answered``), a sum of ``answers`` Likert answers says
    what every member chose only at the ends of the scale: ``5n`` means
    everyone chose 5, ``n`` everyone chose 1. Any other sum also comes from
    answers that differ (for two answers or more). So the two ends are shown
    as their neighbours, ``5n - 1`` ("or more") and ``n + 1`` ("or less"),
    which one dissenting answer also gives: a reader cannot tell the two
    apart. Every figure built on the question (its mean, its dimension, the
    feedback score, a roll-up, the team-health summary, the order of the top
    concerns) is computed from this coarsened sum, so no subtraction across
    figures gets the true sum back. How many chose each option is never
    shown for a known group (``distribution_shown``): a decision made from
    the counts' size alone, so hiding it tells nothing.
    """
    if not known or answers < 1:
        return total, EXACT
    top, bottom = LIKERT_VALUES[-1] * answers, LIKERT_VALUES[0] * answers
    if total >= top - 1:
        return top - 1, OR_MORE
    if total <= bottom + 1:
        return bottom + 1, OR_LESS
    return total, EXACT


def distribution_shown(answers: int, invited: int) -> bool:
    """How many chose each option is shown only for a group the reader cannot name.

    For a known group, an option holding every answer names what each person
    chose; hiding only those distributions would say that it happened.
    """
    return not everyone_answered(answers, invited)


def pooled_bound(bounds: Iterable[str]) -> str:
    """How a figure pooled from coarsened ones is shown: "or more", "or less" or "about"."""
    found = {b for b in bounds if b != EXACT}
    if not found:
        return EXACT
    if found <= {OR_MORE}:
        return OR_MORE
    if found <= {OR_LESS}:
        return OR_LESS
    return ABOUT


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

    def shown_total(self, invited: int) -> tuple[int, str]:
        """``coarsened_total`` of this question, for a round that invited ``invited``."""
        return coarsened_total(
            self.total, self.answers, known=everyone_answered(self.answers, invited)
        )


@dataclass(frozen=True)
class QuestionResult:
    question_id: int
    text: str
    dimension: str
    position: int
    answers: int
    mean: Decimal | None  # on the Likert 1-5 scale, 2 decimals
    score: Decimal | None  # 0-100, 1 decimal
    distribution: tuple[tuple[int, int, Decimal], ...]  # (value, count, percent); () hidden
    bound: str = EXACT  # how mean and score were coarsened: "", "or more", "or less", "about"


@dataclass(frozen=True)
class DimensionResult:
    dimension: str
    answers: int
    mean: Decimal | None
    score: Decimal | None
    distribution: tuple[tuple[int, int, Decimal], ...]
    bound: str = EXACT


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


def question_result(question: QuestionCounts, invited: int = 0) -> QuestionResult:
    """One question's figures, coarsened when everyone of ``invited`` answered.

    ``invited`` 0 means the group is not known to the reader (a pure
    calculation, as in the tests of means and scores).
    """
    total, bound = question.shown_total(invited)
    shown = distribution_shown(question.answers, invited)
    return QuestionResult(
        question_id=question.question_id,
        text=question.text,
        dimension=question.dimension,
        position=question.position,
        answers=question.answers,
        mean=_mean(total, question.answers),
        score=_score(total, question.answers),
        distribution=_distribution(question.counts, LIKERT_VALUES) if shown else (),
        bound=bound,
    )


def dimension_results(
    questions: Iterable[QuestionCounts], dimensions: Sequence[str], invited: int = 0
) -> list[DimensionResult]:
    """Per dimension: every answer to its questions pooled, in ``dimensions`` order.

    Pooled from the questions' coarsened sums (``coarsened_total``), so a
    dimension never gives back what its questions hide.
    """
    pooled: dict[str, dict[int, int]] = {d: {} for d in dimensions}
    sums: dict[str, list[tuple[int, str]]] = {d: [] for d in dimensions}
    everyone = True
    for question in questions:
        bucket = pooled.setdefault(question.dimension, {})
        for value, count in question.counts.items():
            bucket[value] = bucket.get(value, 0) + count
        sums.setdefault(question.dimension, []).append(question.shown_total(invited))
        everyone = everyone and everyone_answered(question.answers, invited)
    results = []
    for dimension in dimensions:
        counts = pooled[dimension]
        answers = sum(counts.values())
        total = sum(t for t, _ in sums[dimension])
        results.append(
            DimensionResult(
                dimension=dimension,
                answers=answers,
                mean=_mean(total, answers),
                score=_score(total, answers),
                distribution=(() if everyone and answers else _distribution(counts, LIKERT_VALUES)),
                bound=pooled_bound(b for _, b in sums[dimension]),
            )
        )
    return results


def feedback_score(questions: Iterable[QuestionCounts], invited: int = 0) -> Decimal | None:
    """The round's feedback score, 0-100: every Likert answer of the round pooled
    (from the questions' coarsened sums when everyone of ``invited`` answered)."""
    return pooled_score([questions], [invited])[0]


def pooled_score(
    groups: Sequence[Iterable[QuestionCounts]], invited: Sequence[int]
) -> tuple[Decimal | None, str]:
    """The score of several rounds' Likert answers pooled (a roll-up), and its bound.

    Each round's questions are coarsened against that round's invited count.
    """
    answers = total = 0
    bounds = []
    for questions, group_invited in zip(groups, invited, strict=True):
        for question in questions:
            shown_total, bound = question.shown_total(group_invited)
            answers += question.answers
            total += shown_total
            bounds.append(bound)
    return _score(total, answers), pooled_bound(bounds)


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


def enps(counts: Mapping[int, int], invited: int = 0) -> int | None:
    """Employee Net Promoter Score: % promoters (9-10) minus % detractors (0-6), -100 to 100.

    When everyone of ``invited`` answered it, 100 (everyone a promoter) and
    -100 (everyone a detractor) would say which group each named person is
    in: they are shown as one step short (one passive answer), like
    ``coarsened_total`` (``enps_bound`` says "or more" / "or less").
    """
    answers = sum(counts.values())
    if not answers:
        return None
    net = _enps_net(counts, invited)
    return int(_round(Decimal(100) * net / answers, Decimal(1)))


def enps_bound(counts: Mapping[int, int], invited: int = 0) -> str:
    """ "or more" / "or less" when ``enps`` shows a coarsened end (and its neighbour alike)."""
    answers = sum(counts.values())
    if not answers or not everyone_answered(answers, invited) or answers < 2:
        return EXACT
    net = _enps_net(counts, invited)
    if net >= answers - 1:
        return OR_MORE
    if net <= -(answers - 1):
        return OR_LESS
    return EXACT


def _enps_net(counts: Mapping[int, int], invited: int) -> int:
    answers = sum(counts.values())
    promoters = sum(c for v, c in counts.items() if v >= 9)
    detractors = sum(c for v, c in counts.items() if v <= 6)
    net = promoters - detractors
    if everyone_answered(answers, invited) and answers > 1:
        net = max(-(answers - 1), min(answers - 1, net))
    return net


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


# ---------------------------------------------------------------- heatmap


@dataclass(frozen=True)
class QuestionTotal:
    """One question of one round as the heatmap reads it: the sum of its answers and how many."""

    question_id: int
    dimension: str
    total: int
    answers: int


@dataclass(frozen=True)
class Cell:
    """One figure of the heatmap: a score (0-100, 1 decimal) and how it was coarsened."""

    score: Decimal | None
    bound: str = EXACT

    @property
    def band(self) -> int:
        """Which of the legend's five colours: 1 below 50 … 5 from 87.5 on; 0 no figure."""
        if self.score is None:
            return 0
        return 1 + sum(self.score >= edge for edge in HEAT_BAND_EDGES)


# Lower edges of the heatmap's bands 2 to 5 (Likert means 3, 3.5, 4, 4.5).
HEAT_BAND_EDGES = (Decimal(50), Decimal("62.5"), Decimal(75), Decimal("87.5"))

# A question's coarsened sum, its answers, its dimension and how it was coarsened.
_Part = tuple[int, int, str, str]


@dataclass(frozen=True)
class HeatmapRow:
    """One team's figures (or, from ``heatmap_total``, the shown teams' pooled).

    Built from the questions' coarsened sums (``parts``). Each kind of figure
    is computed when first read, so ordering a thousand teams by name computes
    the cells of one page only.
    """

    parts: Mapping[int, Sequence[_Part]]  # question id -> the coarsened sums it pools

    @cached_property
    def questions(self) -> dict[int, Cell]:
        return {q: _pooled_cell(p) for q, p in self.parts.items()}

    @cached_property
    def dimensions(self) -> dict[str, Cell]:
        by_dimension: dict[str, list[_Part]] = {}
        for question_parts in self.parts.values():
            for part in question_parts:
                by_dimension.setdefault(part[2], []).append(part)
        return {d: _pooled_cell(p) for d, p in by_dimension.items()}

    @cached_property
    def overall(self) -> Cell:
        return _pooled_cell([part for parts in self.parts.values() for part in parts])

    @property
    def lowest_dimension(self) -> Decimal | None:
        scores = [c.score for c in self.dimensions.values() if c.score is not None]
        return min(scores) if scores else None


def heatmap_row(totals: Iterable[QuestionTotal], invited: int) -> HeatmapRow:
    """A shown round's figures per question, per dimension and overall, for the heatmap.

    The same numbers the round's own page shows (``question_result``,
    ``dimension_results``, ``pooled_score``): every figure is built from the
    questions' coarsened sums (``coarsened_total``) against the round's
    invited count, so a cell never says more than the team's page does. The
    caller passes only rounds that ``can_show``.
    """
    parts: dict[int, list[_Part]] = {}
    for question in totals:
        total, bound = coarsened_total(
            question.total, question.answers, known=everyone_answered(question.answers, invited)
        )
        parts[question.question_id] = [(total, question.answers, question.dimension, bound)]
    return HeatmapRow(parts)


@dataclass(frozen=True)
class HeatmapGroup:
    """One team's latest published round as the heatmap needs it."""

    responses: int
    minimum_group_size: int
    invited: int
    totals: Sequence[QuestionTotal]


def heatmap(
    groups: Mapping[int, HeatmapGroup | None],
) -> tuple[dict[int, HeatmapRow | None], HeatmapRow | None]:
    """Every team's row (None: no round, or below its k) and the shown teams pooled.

    A round below its k shows nothing, as on its own page (``can_show``), and
    the total pools only the shown rows (``heatmap_total``), so nothing of a
    hidden team is in any figure: whatever it answered, the heatmap is the same.
    """
    rows: dict[int, HeatmapRow | None] = {}
    for key, group in groups.items():
        shown = group is not None and can_show(group.responses, group.minimum_group_size)
        rows[key] = heatmap_row(group.totals, group.invited) if shown and group else None
    shown_rows = [row for row in rows.values() if row is not None]
    return rows, heatmap_total(shown_rows) if shown_rows else None


def heatmap_total(rows: Iterable[HeatmapRow]) -> HeatmapRow:
    """The shown teams together: each column pools the teams' coarsened sums (a roll-up).

    Only rows of shown rounds are passed, so a hidden team adds nothing to any
    total and "total minus the shown rows" is always zero (``rollup_hidden``).
    """
    by_question: dict[int, list[_Part]] = {}
    for row in rows:
        for question_id, parts in row.parts.items():
            by_question.setdefault(question_id, []).extend(parts)
    return HeatmapRow(by_question)


def _pooled_cell(parts: Sequence[_Part]) -> Cell:
    answers = total = 0
    bounds: set[str] = set()
    for part in parts:
        total += part[0]
        answers += part[1]
        bounds.add(part[3])
    return Cell(_score(total, answers), pooled_bound(bounds))
