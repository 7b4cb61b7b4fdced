"""The rules of results, without a database."""

from decimal import Decimal

import pytest

from surveys import aggregation, schedule
from surveys.aggregation import QuestionCounts


def counts(question_id, distribution, *, dimension="growth", position=None, text=None):
    return QuestionCounts(
        question_id=question_id,
        text=text or f"Q{question_id}",
        dimension=dimension,
        position=question_id if position is None else position,
        counts=distribution,
    )


@pytest.mark.parametrize(
    ("likert", "score"),
    [(1, 0), (2, 25), (3, 50), (4, 75), (5, 100), (Decimal("3.5"), Decimal("62.5"))],
)
def test_likert_maps_linearly_onto_0_to_100(likert, score):
    assert aggregation.likert_to_score(likert) == score


def test_question_result_has_mean_score_and_distribution_in_percent():
    result = aggregation.question_result(counts(1, {1: 1, 4: 2, 5: 1}))
    assert result.answers == 4
    assert result.mean == Decimal("3.50")
    assert result.score == Decimal("62.5")
    assert result.distribution == (
        (1, 1, Decimal("25.0")),
        (2, 0, Decimal("0")),
        (3, 0, Decimal("0")),
        (4, 2, Decimal("50.0")),
        (5, 1, Decimal("25.0")),
    )


def test_unanswered_question_has_no_mean_and_no_score():
    result = aggregation.question_result(counts(1, {}))
    assert result.mean is None
    assert result.score is None
    assert all(percent == 0 for _, _, percent in result.distribution)


def test_score_is_rounded_once_from_the_exact_mean_half_up():
    # 3 answers: 4, 4, 5 -> mean 4.333..., score 83.333... -> 83.3
    assert aggregation.question_result(counts(1, {4: 2, 5: 1})).score == Decimal("83.3")
    # 20 answers totalling 61: mean 3.05, score 51.25 -> 51.3 (half up, not half even)
    assert aggregation.question_result(counts(1, {3: 19, 4: 1})).score == Decimal("51.3")


def test_feedback_score_pools_every_answer_of_the_round():
    questions = [counts(1, {5: 5}), counts(2, {1: 5}), counts(3, {3: 10})]
    # (5*5 + 1*5 + 3*10) / 20 = 3.0 -> 50
    assert aggregation.feedback_score(questions) == Decimal("50.0")
    assert aggregation.feedback_score([]) is None


def test_feedback_score_from_database_totals_matches_the_pooled_rule():
    questions = [counts(1, {4: 3, 5: 1}), counts(2, {2: 2, 3: 2})]
    total = sum(q.total for q in questions)
    answers = sum(q.answers for q in questions)
    assert aggregation.feedback_score_from_totals(total, answers) == aggregation.feedback_score(
        questions
    )
    assert aggregation.feedback_score_from_totals(None, None) is None


def test_dimension_results_pool_their_questions_in_the_given_order():
    questions = [
        counts(1, {5: 2}, dimension="growth"),
        counts(2, {3: 2}, dimension="growth"),
        counts(3, {2: 4}, dimension="role_clarity"),
    ]
    results = aggregation.dimension_results(questions, ["role_clarity", "growth", "team_dynamics"])
    assert [r.dimension for r in results] == ["role_clarity", "growth", "team_dynamics"]
    assert results[0].mean == Decimal("2.00")
    assert results[1].mean == Decimal("4.00")
    assert results[1].score == Decimal("75.0")
    assert results[2].answers == 0
    assert results[2].mean is None


def test_top_concerns_are_the_three_lowest_means():
    results = [
        aggregation.question_result(counts(i, dist))
        for i, dist in enumerate([{5: 5}, {2: 5}, {1: 5}, {4: 5}, {3: 5}], start=1)
    ]
    assert [r.question_id for r in aggregation.top_concerns(results)] == [3, 2, 5]


def test_top_concern_ties_go_to_more_disagreement_then_bank_position_then_id():
    # Same mean 3.0: question 1 is polarised (more 1-2 answers), question 2 is all 3s.
    polarised = aggregation.question_result(counts(1, {1: 2, 5: 2}, position=9))
    neutral = aggregation.question_result(counts(2, {3: 4}, position=1))
    # Identical answers: position decides, then id.
    same_a = aggregation.question_result(counts(7, {4: 4}, position=3))
    same_b = aggregation.question_result(counts(5, {4: 4}, position=3))
    same_c = aggregation.question_result(counts(6, {4: 4}, position=2))
    ranked = aggregation.top_concerns([same_a, neutral, same_b, polarised, same_c], count=5)
    assert [r.question_id for r in ranked] == [1, 2, 6, 5, 7]
    # The order of the input never changes the outcome.
    reversed_ranked = aggregation.top_concerns(
        [same_c, polarised, same_b, neutral, same_a], count=5
    )
    assert [r.question_id for r in reversed_ranked] == [1, 2, 6, 5, 7]


def test_top_concerns_skip_unanswered_questions():
    results = [
        aggregation.question_result(counts(1, {})),
        aggregation.question_result(counts(2, {4: 1})),
    ]
    assert [r.question_id for r in aggregation.top_concerns(results)] == [2]


@pytest.mark.parametrize(
    ("distribution", "expected"),
    [({10: 6, 8: 2, 3: 2}, 40), ({0: 1}, -100), ({9: 1, 7: 1}, 50), ({}, None)],
)
def test_enps_is_promoters_minus_detractors(distribution, expected):
    assert aggregation.enps(distribution) == expected


@pytest.mark.parametrize(
    ("responses", "k", "shown"),
    [(4, 5, False), (5, 5, True), (2, 3, False), (3, 3, True), (2, 1, False), (3, 0, True)],
)
def test_can_show_needs_k_responses_and_k_is_never_below_3(responses, k, shown):
    assert aggregation.can_show(responses, k) is shown


@pytest.mark.parametrize(
    ("answers", "k", "hidden"),
    [(0, 5, True), (1, 5, True), (4, 5, True), (5, 5, False), (2, 1, True), (3, 1, False)],
)
def test_enps_is_hidden_below_k_answers_to_it_and_none_reads_as_a_few(answers, k, hidden):
    assert aggregation.enps_hidden(answers, k) is hidden


@pytest.mark.parametrize(
    ("comments", "minimum", "hidden"),
    [(0, 5, True), (1, 5, True), (4, 5, True), (5, 5, False), (9, 5, False), (2, 0, True)],
)
def test_comments_are_hidden_below_their_minimum_and_none_reads_as_a_few(comments, minimum, hidden):
    assert aggregation.comments_hidden(comments, minimum) is hidden


def test_concern_movements_say_up_down_same_or_not_asked():
    earlier = [
        (1, "Feedback", Decimal("40.0")),
        (2, "Blockers", Decimal("50.0")),
        (3, "Growth", Decimal("30.0")),
        (4, "Gone", Decimal("20.0")),
    ]
    now = {1: Decimal("55.0"), 2: Decimal("47.5"), 3: Decimal("31.0")}
    moves = {m.question_id: m for m in aggregation.concern_movements(earlier, now)}
    assert moves[1].direction == "up"
    assert moves[1].change == Decimal("15.0")
    assert moves[2].direction == "down"
    assert moves[3].direction == "same"
    assert moves[4].direction == "not asked"
    assert moves[4].change is None


def test_rollup_hides_small_groups_and_the_total_pools_only_shown_ones():
    sizes = {"a": 8, "b": 2, "c": 6}
    assert aggregation.rollup_hidden(sizes, 5) == {"b"}
    assert aggregation.rollup_shown(sizes, 5) == {"a", "c"}
    assert aggregation.rollup_hidden({"a": 2, "b": 2}, 5) == {"a", "b"}
    assert aggregation.rollup_shown({"a": 2, "b": 2}, 5) == set()


def test_participation_rate_is_a_percentage_of_invited():
    assert aggregation.participation_rate(7, 9) == Decimal("78")
    assert aggregation.participation_rate(0, 0) is None


def test_round_periods_line_up_with_team_health_periods():
    from datetime import date

    from teamhealth import periods

    for day in [date(2026, 11, 16), date(2026, 11, 25), date(2026, 11, 29), date(2026, 11, 30)]:
        assert schedule.round_period_start(day) == periods.period_start(day)
    assert schedule.round_period_start(date(2026, 11, 25), every_weeks=1) == date(2026, 11, 23)


def test_a_round_is_due_only_within_its_open_window():
    from datetime import date

    start = date(2026, 11, 16)
    assert schedule.is_due(day=start, every_weeks=2, open_days=5)
    assert schedule.is_due(day=date(2026, 11, 20), every_weeks=2, open_days=5)
    assert not schedule.is_due(day=date(2026, 11, 21), every_weeks=2, open_days=5)
