"""The rules of results, without a database."""

import itertools
from collections import defaultdict
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


def _answer_sets(n, values=aggregation.LIKERT_VALUES):
    """Every multiset of ``n`` answers, as {value: count}."""
    return [
        {v: combo.count(v) for v in set(combo)}
        for combo in itertools.combinations_with_replacement(values, n)
    ]


def _unanimous(answer_set) -> bool:
    return len(answer_set) == 1


def _nobody_is_certain(shown_to_sets) -> None:
    """For whatever a reader sees, some matching answers are not unanimous: then no
    named member's answer is certain (any of them may be the one who differs)."""
    for shown, sets in shown_to_sets.items():
        assert not all(_unanimous(a) for a in sets), shown


def _question_seen(result):
    return (result.mean, result.score, result.bound, result.distribution)


@pytest.mark.parametrize("n", [3, 4, 5, 6, 7])
def test_when_everyone_answered_no_question_figure_says_what_a_named_member_chose(n):
    seen = defaultdict(list)
    for answer_set in _answer_sets(n):
        result = aggregation.question_result(counts(1, answer_set), invited=n)
        assert result.distribution == ()  # never shown for a known group
        seen[_question_seen(result)].append(answer_set)
    _nobody_is_certain(seen)
    # Without the rule, "5.00" would say everyone chose 5.
    everyone_5 = aggregation.question_result(counts(1, {5: n}), invited=n)
    one_4 = aggregation.question_result(counts(1, {5: n - 1, 4: 1}), invited=n)
    assert _question_seen(everyone_5) == _question_seen(one_4)
    assert everyone_5.bound == aggregation.OR_MORE
    assert aggregation.question_result(counts(1, {1: n}), invited=n).bound == aggregation.OR_LESS


@pytest.mark.parametrize("n", [3, 4])
def test_when_everyone_answered_pooled_figures_give_back_nothing_their_questions_hide(n):
    # Two questions of one dimension: question, dimension and feedback figures
    # side by side cannot be subtracted to find a unanimous question.
    seen = defaultdict(list)
    for first, second in itertools.product(_answer_sets(n), repeat=2):
        questions = [counts(1, first), counts(2, second)]
        shown = (
            tuple(_question_seen(aggregation.question_result(q, n)) for q in questions),
            tuple(
                (d.mean, d.score, d.bound, d.distribution)
                for d in aggregation.dimension_results(questions, ["growth"], n)
            ),
            aggregation.pooled_score([questions], [n]),
            aggregation.feedback_score(questions, n),
        )
        seen[shown].append((first, second))
    for shown, pairs in seen.items():
        for index in (0, 1):
            assert not all(_unanimous(pair[index]) for pair in pairs), shown


def test_a_rollup_of_teams_where_everyone_answered_names_nobody():
    seen = defaultdict(list)
    sets = _answer_sets(3)
    for first, second in itertools.product(sets, repeat=2):
        teams = [[counts(1, first)], [counts(1, second)]]
        shown = (
            aggregation.pooled_score(teams[:1], [3]),
            aggregation.pooled_score(teams[1:], [3]),
            aggregation.pooled_score(teams, [3, 3]),
        )
        seen[shown].append((first, second))
    for shown, pairs in seen.items():
        for index in (0, 1):
            assert not all(_unanimous(pair[index]) for pair in pairs), shown


@pytest.mark.parametrize("m", [3, 4, 5, 6])
def test_when_everyone_answered_enps_never_says_which_group_a_named_member_is_in(m):
    def group(value):
        return "promoter" if value >= 9 else "detractor" if value <= 6 else "passive"

    seen = defaultdict(list)
    for answer_set in _answer_sets(m, values=(0, 7, 9)):  # one value per group is enough
        shown = (aggregation.enps(answer_set, m), aggregation.enps_bound(answer_set, m))
        seen[shown].append({group(v) for v in answer_set})
    for shown, groups in seen.items():
        assert not all(len(g) == 1 and g != {"passive"} for g in groups), shown
    assert aggregation.enps({10: m}, m) == aggregation.enps({10: m - 1, 7: 1}, m)
    assert aggregation.enps_bound({10: m}, m) == aggregation.OR_MORE
    assert aggregation.enps_bound({0: m}, m) == aggregation.OR_LESS
    # Some people did not answer: nobody can be named, the score is exact.
    assert aggregation.enps({10: m}, m + 1) == 100


@pytest.mark.parametrize(
    ("answers", "invited", "shown"),
    [(5, 6, True), (6, 6, False), (3, 3, False), (5, 0, True), (0, 5, True)],
)
def test_distributions_are_shown_only_when_the_reader_cannot_name_the_group(
    answers, invited, shown
):
    # Decided from the sizes alone (which the page shows), never from the answers.
    assert aggregation.distribution_shown(answers, invited) is shown


def test_when_some_did_not_answer_figures_are_exact_and_distributions_shown():
    result = aggregation.question_result(counts(1, {5: 6}), invited=7)
    assert (result.mean, result.score, result.bound) == (Decimal("5.00"), Decimal("100.0"), "")
    assert result.distribution[-1] == (5, 6, Decimal("100.0"))


@pytest.mark.parametrize(
    ("bounds", "pooled"),
    [
        ([], ""),
        (["", ""], ""),
        (["", "or more"], "or more"),
        (["or less", ""], "or less"),
        (["or more", "or less"], "about"),
        (["about"], "about"),
    ],
)
def test_a_pooled_figure_says_how_its_parts_were_coarsened(bounds, pooled):
    assert aggregation.pooled_bound(bounds) == pooled


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
