"""Reads about STAR-L answers and the leadership score they make."""

from __future__ import annotations

from decimal import Decimal

from .. import scoring
from ..models import Scorecard, StarlAnswer


def starl_leadership(scorecard: Scorecard) -> Decimal | None:
    """The leadership score the scorecard's STAR-L answers add up to, if any."""
    ratings: list[int] = []
    # Only answers to leadership questions make the leadership score; answers to
    # technical or culture questions are evidence for those dimensions.
    for row in StarlAnswer.objects.filter(
        scorecard=scorecard, question__dimension="leadership"
    ).values_list(*(f"{p}_rating" for p in scoring.STARL_PARTS)):
        ratings.extend(r for r in row if r is not None)
    return scoring.starl_leadership_score(ratings)


def starl_leadership_of(answers: list[StarlAnswer]) -> Decimal | None:
    """``starl_leadership`` over answers already loaded with their questions."""
    return scoring.starl_leadership_score(
        r for a in answers if a.question.dimension == "leadership" for r in a.ratings
    )


def answers_version(scorecard: Scorecard) -> int:
    """Changes whenever the answers are saved (they are re-created with new ids)."""
    last = StarlAnswer.objects.filter(scorecard=scorecard).order_by("-pk").first()
    return last.pk if last else 0
