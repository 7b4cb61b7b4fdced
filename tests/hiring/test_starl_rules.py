"""STAR-L: the leadership mapping in hiring/scoring.py and the evidence rule."""

from decimal import Decimal

import pytest

from hiring import scoring, starl


@pytest.mark.parametrize(
    ("ratings", "expected"),
    [
        ([1, 1, 1, 1, 1], "0.00"),
        ([5, 5, 5, 5, 5], "100.00"),
        ([3, 3, 3, 3, 3], "50.00"),
        ([2], "25.00"),
        ([4], "75.00"),
        ([3, 4, 4, 5, 2], "65.00"),  # mean 3.6
        ([1, 2], "12.50"),
        ([1, 1, 2], "8.33"),  # 8.333…
        ([2, 1, 1, 1, 1, 1, 1, 1], "3.13"),  # 3.125 rounds half up
        ([5, 5, 5, 5, 4, 5, 5, 5, 5, 5], "97.50"),  # two answers, ten parts
    ],
)
def test_starl_leadership_score_maps_mean_rating_linearly(ratings, expected):
    assert scoring.starl_leadership_score(ratings) == Decimal(expected)


def test_starl_leadership_score_is_none_without_ratings():
    assert scoring.starl_leadership_score([]) is None


@pytest.mark.parametrize("bad", [0, 6, Decimal("2.5"), -1])
def test_starl_leadership_score_rejects_rating_outside_1_to_5(bad):
    with pytest.raises(scoring.ScoringError, match="whole number from 1 to 5"):
        scoring.starl_leadership_score([3, bad])


def test_rating_without_evidence_is_rejected_with_a_clear_message():
    errors = starl.evidence_errors(
        {"situation": ("We had an outage", 4), "task": ("", 3), "action": ("   ", 2)}
    )
    assert errors == {
        "task": "Task: write down the evidence you heard before rating it.",
        "action": "Action: write down the evidence you heard before rating it.",
    }


def test_evidence_without_rating_is_fine_in_a_draft():
    assert starl.evidence_errors({"result": ("Cut latency 40%", None)}) == {}


def test_answer_without_learning_is_marked():
    assert starl.lacks_learning({"learning": ("", None)})
    assert starl.lacks_learning({})
    assert not starl.lacks_learning({"learning": ("Would write the runbook first", 4)})


def test_seeded_anchors_describe_every_level_of_every_part():
    assert set(starl.SEED_ANCHORS) == set(scoring.STARL_PARTS)
    assert all(len(levels) == 5 for levels in starl.SEED_ANCHORS.values())
