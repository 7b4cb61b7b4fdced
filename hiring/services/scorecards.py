"""Writes of scorecards: drafts, submission, and amendments once submitted."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User

from .. import scoring
from ..models import Scorecard, ScorecardAmendment
from ..selectors.scorecards import submit_not_open
from .loops import settle_loop_status
from .starl import use_starl_leadership


def _lock_scorecard(*, scorecard_id: int, interviewer: User) -> Scorecard:
    scorecard = (
        Scorecard.objects.select_for_update()
        .select_related("interview__loop__role_profile")
        .get(pk=scorecard_id)
    )
    if scorecard.interview.interviewer_id != interviewer.pk:
        raise PermissionDenied("Only the assigned interviewer can fill this scorecard.")
    if scorecard.is_submitted:
        raise ValidationError("This scorecard has been submitted and can no longer be edited.")
    return scorecard


def _apply(
    scorecard: Scorecard,
    *,
    scores: dict[str, Decimal | None],
    recommendation: str,
    notes: str,
) -> None:
    assessed = scorecard.interview.dimensions
    errors: dict[str, str] = {}
    for dimension in scoring.DIMENSIONS:
        value = scores.get(dimension)
        if dimension not in assessed:
            value = None
        elif value is not None:
            try:
                value = scoring.validate_score(dimension, value)
            except scoring.ScoringError as exc:
                errors[dimension] = exc.message
        setattr(scorecard, dimension, value)
    if errors:
        raise ValidationError(errors)
    use_starl_leadership(scorecard)
    scorecard.recommendation = recommendation
    scorecard.notes = notes


@transaction.atomic
def save_scorecard_draft(
    *,
    scorecard_id: int,
    interviewer: User,
    scores: dict[str, Decimal | None],
    recommendation: str = "",
    notes: str = "",
    now: datetime | None = None,
) -> Scorecard:
    """Save what the interviewer has so far; gaps are allowed in a draft."""
    scorecard = _lock_scorecard(scorecard_id=scorecard_id, interviewer=interviewer)
    _apply(scorecard, scores=scores, recommendation=recommendation, notes=notes)
    scorecard.saved_at = now or timezone.now()
    scorecard.full_clean()
    scorecard.save()
    return scorecard


@transaction.atomic
def submit_scorecard(
    *,
    scorecard_id: int,
    interviewer: User,
    scores: dict[str, Decimal | None],
    recommendation: str,
    notes: str = "",
    now: datetime | None = None,
) -> Scorecard:
    """Submit a scorecard: every assessed dimension scored, a recommendation made.

    After this the scorecard is read-only and the interviewer may see the panel.
    Not before the interview has started.
    """
    now = now or timezone.now()
    scorecard = _lock_scorecard(scorecard_id=scorecard_id, interviewer=interviewer)
    problem = submit_not_open(scorecard.interview, now=now)
    if problem:
        raise ValidationError(problem)
    _apply(scorecard, scores=scores, recommendation=recommendation, notes=notes)
    errors = {
        d: f"{scoring.DIMENSION_LABELS[d]} score is required to submit."
        for d in scorecard.interview.dimensions
        if getattr(scorecard, d) is None
    }
    if not recommendation:
        errors["recommendation"] = "Choose a recommendation to submit."
    if errors:
        raise ValidationError(errors)
    scorecard.status = Scorecard.Status.SUBMITTED
    scorecard.submitted_at = now
    scorecard.full_clean()
    scorecard.save()
    settle_loop_status(scorecard.interview.loop)
    return scorecard


def _score_text(value) -> str | None:
    return None if value is None else str(scoring.to_decimal(value).quantize(scoring.CENT))


def _snapshot(card: Scorecard) -> dict:
    return {
        **{d: _score_text(getattr(card, d)) for d in scoring.DIMENSIONS},
        "recommendation": card.recommendation,
        "notes": card.notes,
    }


@transaction.atomic
def amend_scorecard(
    *,
    scorecard_id: int,
    amended_by: User,
    reason: str,
    scores: dict[str, Decimal | None],
    recommendation: str,
    notes: str,
    now: datetime | None = None,
) -> ScorecardAmendment:
    """Change a submitted scorecard. Only with a reason; the before/after is kept.

    An assessed dimension left out of ``scores`` keeps its recorded score (the
    amendment page leaves out leadership when STAR-L answers make it).
    """
    card = Scorecard.objects.select_for_update().select_related("interview").get(pk=scorecard_id)
    if card.interview.interviewer_id != amended_by.pk:
        raise PermissionDenied("Only the interviewer can amend their scorecard.")
    if not card.is_submitted:
        raise ValidationError("Only a submitted scorecard is amended; edit the draft instead.")
    if not reason.strip():
        raise ValidationError({"reason": "Give a reason: amendments are recorded."})
    before = _snapshot(card)
    errors = {}
    for dimension in card.interview.dimensions:
        value = scores.get(dimension, getattr(card, dimension))
        if value is None:
            errors[dimension] = f"{scoring.DIMENSION_LABELS[dimension]} score is required."
            continue
        try:
            setattr(card, dimension, scoring.validate_score(dimension, value))
        except scoring.ScoringError as exc:
            errors[dimension] = exc.message
    if errors:
        raise ValidationError(errors)
    use_starl_leadership(card)
    card.recommendation = recommendation
    card.notes = notes
    card.full_clean()
    card.save()
    after = _snapshot(card)
    if after == before:
        raise ValidationError("Nothing changed.")
    amendment = ScorecardAmendment(
        scorecard=card,
        amended_by=amended_by,
        amended_at=now or timezone.now(),
        reason=reason.strip(),
        before=before,
        after=after,
    )
    amendment.full_clean()
    amendment.save()
    return amendment
