"""The scoring rules of PRODUCT.md, without a database."""

from decimal import Decimal as D

import pytest

from hiring import scoring
from hiring.scoring import DEFAULT_MINIMUMS, DEFAULT_WEIGHTS, STAFF_WEIGHTS, Weights


def scores(technical, leadership, culture):
    return {"technical": D(technical), "leadership": D(leadership), "culture": D(culture)}


def test_worked_example_82_5_78_91_rounds_half_up_to_82_63():
    result = scoring.evaluate(scores("82.5", "78", "91"), DEFAULT_WEIGHTS, DEFAULT_MINIMUMS)
    assert result.total == D("82.63")
    assert result.flags == []
    assert result.passes is True


def test_worked_example_82_78_91_gives_82_40():
    result = scoring.evaluate(scores("82", "78", "91"), DEFAULT_WEIGHTS, DEFAULT_MINIMUMS)
    assert str(result.total) == "82.40"


def test_staff_weights_favour_leadership():
    result = scoring.evaluate(scores("80", "90", "70"), STAFF_WEIGHTS, DEFAULT_MINIMUMS)
    assert result.total == D("83.00")  # 24 + 45 + 14


@pytest.mark.parametrize("value", ["0", "100", "0.00", "100.00", "65.5"])
def test_validate_score_accepts_the_closed_range(value):
    assert scoring.validate_score("technical", D(value)) == D(value)


@pytest.mark.parametrize(
    ("dimension", "value", "label"),
    [
        ("technical", "-0.01", "Technical"),
        ("leadership", "100.01", "Leadership"),
        ("culture", "-1", "Culture"),
        ("culture", "NaN", "Culture"),
    ],
)
def test_validate_score_rejects_out_of_range_naming_the_dimension(dimension, value, label):
    with pytest.raises(scoring.ScoringError) as excinfo:
        scoring.validate_score(dimension, D(value))
    assert excinfo.value.dimension == dimension
    assert excinfo.value.message.startswith(f"{label} score must be between 0 and 100")


def test_validate_score_rejects_text():
    with pytest.raises(scoring.ScoringError, match="not a number"):
        scoring.validate_score("technical", "eighty")


def test_weighted_total_rejects_out_of_range_scores():
    with pytest.raises(scoring.ScoringError, match="Culture"):
        scoring.weighted_total(scores("80", "80", "100.01"), DEFAULT_WEIGHTS)


def test_score_exactly_at_minimum_passes():
    result = scoring.evaluate(scores("70", "65", "60"), DEFAULT_WEIGHTS, DEFAULT_MINIMUMS)
    assert result.flags == []


def test_each_dimension_below_minimum_flags_whatever_the_total():
    result = scoring.evaluate(scores("69.99", "64", "59.5"), DEFAULT_WEIGHTS, DEFAULT_MINIMUMS)
    assert result.flags == [
        "Technical score 69.99 below minimum 70",
        "Leadership score 64 below minimum 65",
        "Culture score 59.5 below minimum 60",
    ]
    assert result.passes is False


def test_flag_wording_matches_product_brief():
    result = scoring.evaluate(scores("65", "99", "99"), DEFAULT_WEIGHTS, DEFAULT_MINIMUMS)
    assert result.total > D(70)
    assert result.flags == ["Technical score 65 below minimum 70"]


def test_boundaries_0_and_100():
    assert scoring.weighted_total(scores("0", "0", "0"), DEFAULT_WEIGHTS) == D("0.00")
    assert scoring.weighted_total(scores("100", "100", "100"), DEFAULT_WEIGHTS) == D("100.00")


def test_a_gap_is_a_gap_never_a_zero():
    result = scoring.evaluate(
        {"technical": D("90"), "leadership": None, "culture": D("90")},
        DEFAULT_WEIGHTS,
        DEFAULT_MINIMUMS,
    )
    assert result.total is None
    assert result.missing == ["leadership"]
    assert result.flags == []
    assert result.passes is None


@pytest.mark.parametrize(
    "weights",
    [("0.45", "0.35", "0.21"), ("0.50", "0.50", "0.50"), ("0.30", "0.30", "0.30")],
)
def test_weights_that_do_not_sum_to_1_are_rejected(weights):
    with pytest.raises(scoring.ScoringError, match="Weights must sum to 1"):
        Weights(*(D(w) for w in weights))


def test_negative_weight_is_rejected_naming_the_dimension():
    with pytest.raises(scoring.ScoringError, match="Leadership weight"):
        Weights(D("0.90"), D("-0.10"), D("0.20"))


def test_loop_evaluation_means_only_the_scorecards_that_assess_a_dimension():
    cards = [
        {"technical": D("80"), "leadership": None, "culture": D("90")},
        {"technical": D("85"), "leadership": D("70"), "culture": None},
    ]
    result = scoring.evaluate_loop(cards, DEFAULT_WEIGHTS, DEFAULT_MINIMUMS)
    assert result.scores == {
        "technical": D("82.50"),
        "leadership": D("70.00"),
        "culture": D("90.00"),
    }
    assert result.total == D("79.63")  # 37.125 + 24.5 + 18 = 79.625


def test_loop_evaluation_with_no_scorecards_has_every_dimension_missing():
    result = scoring.evaluate_loop([], DEFAULT_WEIGHTS, DEFAULT_MINIMUMS)
    assert result.missing == ["technical", "leadership", "culture"]
    assert result.total is None


@pytest.mark.parametrize(
    ("value", "text"), [("82.50", "82.5"), ("70.00", "70"), ("100", "100"), ("0.00", "0")]
)
def test_format_score_reads_like_a_person_wrote_it(value, text):
    assert scoring.format_score(D(value)) == text


def test_leadership_is_not_typed_once_starl_ratings_make_it():
    assessed = ["technical", "leadership", "culture"]
    assert scoring.typed_dimensions(assessed, starl_leadership=True) == ["technical", "culture"]
    assert scoring.typed_dimensions(assessed, starl_leadership=False) == assessed
