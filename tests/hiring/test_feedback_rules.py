"""Candidate feedback: benchmarks (percentiles, fallback) and the rules at every boundary."""

from decimal import Decimal as D

import pytest

from hiring import feedback
from hiring.feedback import ABOVE, BELOW, TOP, Benchmark


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        # position (n - 1) x 0.75 = 2.25 -> 80 + 0.25 x (90 - 80)
        ([60, 70, 80, 90], "82.50"),
        # unsorted input; position 6.75 -> 70 + 0.75 x 10
        ([100, 10, 90, 20, 80, 30, 70, 40, 60, 50], "77.50"),
        ([55], "55.00"),
        ([70, 70, 70], "70.00"),
        # position 1.5 -> 61 + 0.5 x (64.5 - 61)
        ([58, 61, "64.5"], "62.75"),
    ],
)
def test_percentile_75_matches_hand_computed_values(values, expected):
    assert feedback.percentile_75([D(str(v)) for v in values]) == D(expected)


ADMIN = {"technical": (D(72), D(84)), "leadership": (D(68), D(80)), "culture": (D(74), D(85))}


def _loops(n, technical=None):
    technical = technical or [D(60 + i) for i in range(n)]
    return [{"technical": t, "leadership": D(70), "culture": None} for t in technical]


def test_below_10_loops_the_admin_entered_values_are_used_and_said_so():
    result = feedback.role_benchmarks(_loops(9), ADMIN)
    assert result["technical"] == Benchmark(D(72), D(84), loops=9, from_own_loops=False)
    assert result["culture"] == Benchmark(D(74), D(85), loops=0, from_own_loops=False)


def test_from_10_loops_the_roles_own_average_and_75th_percentile_are_used():
    technical = [D(v) for v in (50, 55, 60, 65, 70, 75, 80, 85, 90, 95)]
    result = feedback.role_benchmarks(_loops(10, technical), ADMIN)
    # mean 72.5; position 6.75 -> 80 + 0.75 x 5 = 83.75
    assert result["technical"] == Benchmark(D("72.50"), D("83.75"), loops=10, from_own_loops=True)
    assert result["leadership"].from_own_loops
    assert not result["culture"].from_own_loops


def test_top_quartile_never_below_the_average_when_a_few_high_scores_skew_the_mean():
    # eight 60s and two 100s: mean 68, but the 75th percentile is 60
    technical = [D(60)] * 8 + [D(100)] * 2
    bench = feedback.role_benchmarks(_loops(10, technical), ADMIN)["technical"]
    assert feedback.percentile_75(technical) == D(60)
    assert (bench.average, bench.top_quartile) == (D(68), D(68))
    result = feedback.verdict(D(62), bench, D(65))
    assert (result.level, result.improvement) == (BELOW, "below_threshold")
    assert feedback.verdict(D(68), bench, D(65)).level == TOP


def test_min_loops_is_tunable():
    assert feedback.role_benchmarks(_loops(3), ADMIN, min_loops=3)["technical"].from_own_loops


def test_no_benchmark_without_loops_or_admin_values():
    assert feedback.role_benchmarks([], {})["technical"] is None


BENCH = Benchmark(average=D(70), top_quartile=D(85), loops=12, from_own_loops=True)
MINIMUM = D(65)


@pytest.mark.parametrize(
    ("score", "level", "strength", "improvement"),
    [
        ("100", TOP, "exceptional", None),
        ("85", TOP, "exceptional", None),  # exactly the top-25% cut-off: >=
        ("84.99", ABOVE, "solid", None),
        ("70", ABOVE, "solid", None),  # exactly the average: >=
        ("69.99", BELOW, None, "below_average"),
        ("65", BELOW, None, "below_average"),  # exactly the minimum passes it
        ("64.99", BELOW, None, "below_threshold"),
        ("0", BELOW, None, "below_threshold"),
    ],
)
def test_verdict_at_every_boundary(score, level, strength, improvement):
    result = feedback.verdict(D(score), BENCH, MINIMUM)
    assert (result.level, result.strength, result.improvement) == (level, strength, improvement)


def test_below_minimum_but_above_average_is_solid_and_below_threshold():
    low_bench = Benchmark(average=D(50), top_quartile=D(60), loops=10, from_own_loops=True)
    result = feedback.verdict(D(55), low_bench, D(65))
    assert (result.level, result.strength, result.improvement) == (
        ABOVE,
        "solid",
        "below_threshold",
    )


TEMPLATES = {
    "technical": {
        "strength_exceptional": "Exceptional tech.",
        "strength_solid": "Solid tech.",
        "improvement_below_threshold": "Tech under the bar of {minimum}.",
        "improvement_below_average": "Tech under average {average}.",
    }
}


def test_compose_writes_comparison_strength_and_improvement_per_dimension():
    text = feedback.compose(
        candidate="Alex",
        role="senior-backend",
        scores={"technical": D(85), "leadership": D(60), "culture": None},
        benchmarks={"technical": BENCH, "leadership": BENCH, "culture": BENCH},
        minimums={"technical": D(70), "leadership": D(65), "culture": D(60)},
        templates=TEMPLATES,
        starl_improvements=["Give more detail on the Learning part of your examples."],
    )
    assert "Dear Alex," in text
    assert "Technical: Top 25% of candidates for senior-backend." in text
    assert "+ Strength: Exceptional tech." in text
    assert "Leadership: Below average for senior-backend." in text
    assert "- To work on: Give more detail on the Learning part" in text
    assert "Culture" not in text  # not assessed: nothing said


def test_admin_reworded_comparison_sentence_is_used():
    templates = {"technical": {**TEMPLATES["technical"], "top": "Among our best for {role}."}}
    text = feedback.compose(
        candidate="Alex",
        role="staff",
        scores={"technical": D(90)},
        benchmarks={"technical": BENCH},
        minimums={"technical": D(70), "leadership": D(65), "culture": D(60)},
        templates=templates,
    )
    assert "Technical: Among our best for staff." in text


def test_fill_leaves_unknown_placeholders_alone():
    assert feedback.fill("{role} {typo}", role="staff") == "staff {typo}"


def test_starl_observations_name_strongest_part_and_missing_learning():
    means = {"situation": D(4), "task": D("4.5"), "action": D(4), "result": D(3), "learning": D(2)}
    strengths, improvements = feedback.starl_observations(means, answers=3, without_learning=1)
    assert strengths == ["In your examples, the Task was especially strong."]
    assert improvements[0] == "Give more detail on the Learning part of your examples."
    assert improvements[1].startswith("1 of your 3 examples did not end with what you learned")
