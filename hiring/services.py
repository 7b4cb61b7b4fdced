"""Every write of the hiring app goes through here."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User

from . import scoring
from .models import Candidate, Interview, InterviewLoop, RoleProfile, Scorecard
from .starl_services import use_starl_leadership


@transaction.atomic
def create_candidate_with_loop(
    *,
    recruiter: User,
    name: str,
    email: str,
    role_profile: RoleProfile,
    method: str,
) -> InterviewLoop:
    """Create a candidate and their first interview loop, owned by ``recruiter``."""
    candidate = Candidate(name=name, email=email, created_by=recruiter)
    candidate.full_clean()
    candidate.save()
    return create_loop(
        recruiter=recruiter, candidate=candidate, role_profile=role_profile, method=method
    )


@transaction.atomic
def create_loop(
    *, recruiter: User, candidate: Candidate, role_profile: RoleProfile, method: str
) -> InterviewLoop:
    loop = InterviewLoop(candidate=candidate, role_profile=role_profile, method=method)
    loop.full_clean()
    loop.save()
    loop.recruiters.add(recruiter)
    return loop


@transaction.atomic
def schedule_interview(
    *,
    loop: InterviewLoop,
    interviewer: User,
    title: str,
    scheduled_at: datetime,
    dimensions: list[str],
) -> Interview:
    """Add an interview to a loop and give its interviewer an empty draft scorecard."""
    if loop.status == InterviewLoop.Status.DECIDED:
        raise ValidationError("This loop is decided: no more interviews can be added.")
    if not interviewer.is_active or not interviewer.is_interviewer:
        raise ValidationError({"interviewer": "This person is not an interviewer."})
    unknown = set(dimensions) - set(scoring.DIMENSIONS)
    if unknown:
        raise ValidationError({"dimensions": f"Unknown dimension: {', '.join(sorted(unknown))}."})
    if not dimensions:
        raise ValidationError({"dimensions": "Choose at least one dimension to assess."})
    interview = Interview(
        loop=loop,
        interviewer=interviewer,
        title=title,
        scheduled_at=scheduled_at,
        **{f"assesses_{d}": d in dimensions for d in scoring.DIMENSIONS},
    )
    interview.full_clean()
    interview.save()
    Scorecard.objects.create(interview=interview)
    if loop.status == InterviewLoop.Status.PLANNING:
        loop.status = InterviewLoop.Status.INTERVIEWING
        loop.save(update_fields=["status"])
    return interview


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
) -> Scorecard:
    """Save what the interviewer has so far; gaps are allowed in a draft."""
    scorecard = _lock_scorecard(scorecard_id=scorecard_id, interviewer=interviewer)
    _apply(scorecard, scores=scores, recommendation=recommendation, notes=notes)
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
    """
    scorecard = _lock_scorecard(scorecard_id=scorecard_id, interviewer=interviewer)
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
    scorecard.submitted_at = now or timezone.now()
    scorecard.full_clean()
    scorecard.save()
    loop = scorecard.interview.loop
    if (
        loop.status == InterviewLoop.Status.INTERVIEWING
        and not Scorecard.objects.filter(
            interview__loop=loop, status=Scorecard.Status.DRAFT
        ).exists()
    ):
        loop.status = InterviewLoop.Status.DEBRIEF
        loop.save(update_fields=["status"])
    return scorecard
