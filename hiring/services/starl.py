"""Writes for STAR-L answers and their autosaved drafts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User

from .. import starl
from ..models import Scorecard, StarlAnswer, StarlDraft, StarlQuestion
from ..selectors.starl import answers_version, starl_leadership


@dataclass(frozen=True)
class AnswerInput:
    question: StarlQuestion
    parts: dict[str, tuple[str, int | None]]


def _lock_draft_scorecard(*, scorecard_id: int, interviewer: User) -> Scorecard:
    scorecard = (
        Scorecard.objects.select_for_update().select_related("interview").get(pk=scorecard_id)
    )
    if scorecard.interview.interviewer_id != interviewer.pk:
        raise PermissionDenied("Only the assigned interviewer can fill this scorecard.")
    if scorecard.is_submitted:
        raise ValidationError("This scorecard has been submitted and can no longer be edited.")
    return scorecard


def use_starl_leadership(scorecard: Scorecard) -> None:
    """STAR-L answers, when recorded, are the leadership score (server-side, always):
    set it on an interview that assesses leadership, before saving."""
    if "leadership" in scorecard.interview.dimensions:
        from_starl = starl_leadership(scorecard)
        if from_starl is not None:
            scorecard.leadership = from_starl


@transaction.atomic
def save_starl_answers(
    *, scorecard_id: int, interviewer: User, answers: list[AnswerInput]
) -> list[StarlAnswer]:
    """Replace the scorecard's STAR-L answers; a rating without evidence is rejected.

    When the interview assesses leadership, its leadership score becomes the
    STAR-L score (recomputed here and again on submit).
    """
    scorecard = _lock_draft_scorecard(scorecard_id=scorecard_id, interviewer=interviewer)
    errors = []
    seen: set[int] = set()
    for number, answer in enumerate(answers, start=1):
        for message in starl.evidence_errors(answer.parts).values():
            errors.append(f"Answer {number} — {message}")
        if answer.question.pk in seen:
            errors.append(f"Answer {number} — this question already has an answer above.")
        seen.add(answer.question.pk)
    if errors:
        raise ValidationError(errors)
    StarlAnswer.objects.filter(scorecard=scorecard).delete()
    saved = []
    for position, answer in enumerate(answers):
        row = StarlAnswer(scorecard=scorecard, question=answer.question, position=position)
        for part, (text, rating) in answer.parts.items():
            setattr(row, f"{part}_text", (text or "").strip())
            setattr(row, f"{part}_rating", rating)
        row.full_clean()
        row.save()
        saved.append(row)
    if "leadership" in scorecard.interview.dimensions:
        scorecard.leadership = starl_leadership(scorecard)
    scorecard.saved_at = timezone.now()
    scorecard.save(update_fields=["leadership", "saved_at", "updated_at"])
    StarlDraft.objects.filter(scorecard=scorecard).delete()
    return saved


@transaction.atomic
def autosave_starl_draft(
    *,
    scorecard_id: int,
    interviewer: User,
    data: dict,
    version: int,
    now: datetime | None = None,
) -> StarlDraft | None:
    """Keep what the STAR-L page holds, unvalidated, so nothing is lost if the tab closes.

    ``version`` is the answers' version the page was built from; an autosave that
    arrives after the answers were saved (a late request) is ignored.
    """
    scorecard = _lock_draft_scorecard(scorecard_id=scorecard_id, interviewer=interviewer)
    if version != answers_version(scorecard):
        return None
    draft, _ = StarlDraft.objects.update_or_create(
        scorecard=scorecard, defaults={"data": data, "saved_at": now or timezone.now()}
    )
    return draft


@transaction.atomic
def discard_starl_draft(*, scorecard_id: int, interviewer: User) -> None:
    scorecard = _lock_draft_scorecard(scorecard_id=scorecard_id, interviewer=interviewer)
    StarlDraft.objects.filter(scorecard=scorecard).delete()
