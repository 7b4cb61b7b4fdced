"""Reads about STAR-L answers, the entry page's questions and anchors, and the
leadership score the answers make."""

from __future__ import annotations

from decimal import Decimal

from .. import scoring
from ..models import Scorecard, StarlAnchor, StarlAnswer, StarlDraft, StarlQuestion


def scorecard_answers(scorecard: Scorecard) -> list[StarlAnswer]:
    """The scorecard's STAR-L answers in the order asked, with their questions."""
    return list(
        StarlAnswer.objects.filter(scorecard=scorecard)
        .select_related("question")
        .order_by("position")
    )


def active_questions() -> list[StarlQuestion]:
    return list(StarlQuestion.objects.filter(is_active=True))


def rating_anchors() -> dict[str, list[tuple[int, str]]]:
    """Per part, what each rating 1-5 means: (rating, description), lowest first."""
    anchors: dict[str, list[tuple[int, str]]] = {p: [] for p in scoring.STARL_PARTS}
    for anchor in StarlAnchor.objects.order_by("part", "rating"):
        anchors.setdefault(anchor.part, []).append((anchor.rating, anchor.description))
    return anchors


def restorable_draft(scorecard: Scorecard) -> StarlDraft | None:
    """The autosaved, unsaved answers to put back on the page, if they hold any."""
    draft = StarlDraft.objects.filter(scorecard=scorecard).first()
    if draft is None or not draft.data.get("answers-TOTAL_FORMS"):
        return None
    return draft


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


def answers_version_of(answers: list[StarlAnswer]) -> int:
    """``answers_version`` of answers already loaded."""
    return max((a.pk for a in answers), default=0)
