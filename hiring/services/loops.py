"""Writes that set up a candidate's interview loop."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User

from .. import scoring
from ..models import Candidate, Interview, InterviewLoop, RoleProfile, Scorecard
from ..selectors.candidates import candidates_with_email


@transaction.atomic
def create_candidate_with_loop(
    *,
    recruiter: User,
    name: str,
    email: str,
    role_profile: RoleProfile,
    method: str,
    allow_duplicate: bool = False,
) -> InterviewLoop:
    """Create a candidate and their first interview loop, owned by ``recruiter``.

    An email already on file (trimmed, any case) is refused unless the recruiter
    chose to create a new record anyway (``allow_duplicate``).
    """
    email = email.strip()
    if not allow_duplicate and candidates_with_email(email).exists():
        raise ValidationError(
            {
                "email": ValidationError(
                    "A candidate with this email is already on file.", code="duplicate"
                )
            }
        )
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
    loop.status = (
        InterviewLoop.objects.select_for_update().values_list("status", flat=True).get(pk=loop.pk)
    )
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
    settle_loop_status(loop)
    return interview


def settle_loop_status(loop: InterviewLoop) -> None:
    """Set the loop's status from its scorecards, the one place this rule lives.

    No interviews: planning. Any scorecard still a draft: interviewing (so a new
    interview takes a loop back from debrief). All submitted: ready for debrief.
    A decided loop stays decided.
    """
    # Read under lock, not from the caller's copy: another request may have moved
    # the loop (a scorecard submitted, a decision) since that copy was loaded.
    current = (
        InterviewLoop.objects.select_for_update().values_list("status", flat=True).get(pk=loop.pk)
    )
    if current == InterviewLoop.Status.DECIDED:
        loop.status = current
        return
    cards = Scorecard.objects.filter(interview__loop=loop)
    if not cards.exists():
        status = InterviewLoop.Status.PLANNING
    elif cards.filter(status=Scorecard.Status.DRAFT).exists():
        status = InterviewLoop.Status.INTERVIEWING
    else:
        status = InterviewLoop.Status.DEBRIEF
    if current != status:
        InterviewLoop.objects.filter(pk=loop.pk).update(status=status)
    loop.status = status
