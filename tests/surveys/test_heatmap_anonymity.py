"""The heatmap's anonymity, as properties over generated teams (Hypothesis).

Whatever the teams answered, the heatmap (every row, every total) is the same
when only a hidden team's answers change; every figure of a shown team is its
own page's; and no figure of a team where everyone answered says what a named
member chose (a unanimous end of the scale reads as one dissent).
"""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from surveys import aggregation

QUESTIONS = ((1, "role_clarity"), (2, "role_clarity"), (3, "growth"), (4, "team_dynamics"))
DIMENSIONS = ("role_clarity", "growth", "team_dynamics")

PROPERTIES = settings(derandomize=True, database=None, deadline=None, max_examples=300)


@st.composite
def team(draw):
    invited = draw(st.integers(3, 8))
    responses = draw(st.integers(0, invited))
    k = draw(st.integers(3, 6))
    answers = {
        q: draw(st.lists(st.integers(1, 5), min_size=responses, max_size=responses))
        for q, _ in QUESTIONS
    }
    return {"invited": invited, "responses": responses, "k": k, "answers": answers}


def _counts(team) -> list[aggregation.QuestionCounts]:
    return [
        aggregation.QuestionCounts(q, "", dimension, q, Counter(team["answers"][q]))
        for q, dimension in QUESTIONS
        if team["answers"][q]
    ]


def _group(team) -> aggregation.HeatmapGroup:
    return aggregation.HeatmapGroup(
        responses=team["responses"],
        minimum_group_size=team["k"],
        invited=team["invited"],
        totals=[
            aggregation.QuestionTotal(c.question_id, c.dimension, c.total, c.answers)
            for c in _counts(team)
        ],
    )


def _heatmap(teams):
    rows, total = aggregation.heatmap({i: _group(t) for i, t in enumerate(teams)})

    # Everything a reader sees: each row's cells and the totals (not the pooling parts).
    def seen(row):
        if row is None:
            return None
        return (dict(row.questions), dict(row.dimensions), row.overall)

    return {i: seen(row) for i, row in rows.items()}, seen(total)


def _hidden(team) -> bool:
    return not aggregation.can_show(team["responses"], team["k"])


@PROPERTIES
@given(teams=st.lists(team(), min_size=1, max_size=5), others=st.lists(team(), min_size=5))
def test_nothing_of_a_hidden_team_is_in_any_cell_or_total(teams, others):
    before = _heatmap(teams)
    # Each hidden team replaced by any other hidden group (other answers, other size).
    swapped = [
        (dict(other, k=max(other["responses"] + 1, 3)) if _hidden(t) else t)
        for t, other in zip(teams, others, strict=False)
    ]
    after = _heatmap(swapped)
    rows_before, total_before = before
    rows_after, total_after = after
    assert total_before == total_after
    for index, team_ in enumerate(teams):
        if _hidden(team_):
            assert rows_before[index] is None
        else:
            assert rows_before[index] == rows_after[index]
    # The total is the shown teams' alone: "total minus the shown rows" is nothing.
    shown = [t for t in teams if not _hidden(t)]
    assert total_before == (_heatmap(shown)[1] if shown else None)


@PROPERTIES
@given(team_=team())
def test_every_shown_cell_is_the_teams_own_page_figure(team_):
    rows, _ = _heatmap([team_])
    row = rows[0]
    if _hidden(team_):
        assert row is None
        return
    questions, dimensions, overall = row
    counts = _counts(team_)
    for result in (aggregation.question_result(c, team_["invited"]) for c in counts):
        assert questions[result.question_id] == aggregation.Cell(result.score, result.bound)
    for result in aggregation.dimension_results(counts, DIMENSIONS, team_["invited"]):
        if result.answers:
            assert dimensions[result.dimension] == aggregation.Cell(result.score, result.bound)
    score, bound = aggregation.pooled_score([counts], [team_["invited"]])
    assert overall == aggregation.Cell(score, bound)


@PROPERTIES
@given(teams=st.lists(team(), min_size=1, max_size=4))
def test_when_everyone_answered_no_cell_or_total_says_what_a_named_member_chose(teams):
    """A question everyone answered alike at an end of the scale reads exactly as the
    same answers with one dissent: the reader cannot tell which happened."""
    rows = _heatmap(teams)
    for index, team_ in enumerate(teams):
        if _hidden(team_) or team_["responses"] < team_["invited"]:
            continue
        for q, _ in QUESTIONS:
            answers = team_["answers"][q]
            if len(set(answers)) == 1 and answers[0] in (1, 5) and len(answers) >= 2:
                dissent = [2 if answers[0] == 1 else 4, *answers[1:]]
                other = dict(team_, answers={**team_["answers"], q: dissent})
                changed = [other if i == index else t for i, t in enumerate(teams)]
                assert _heatmap(changed) == rows
