"""Reads about interviews and their scorecards, as their interviewer sees them."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone

from accounts.models import User

from ..models import Interview


def interview_for_interviewer(user: User, interview_id: int) -> Interview:
    """An interview assigned to this person, with its scorecard; otherwise 404."""
    try:
        return Interview.objects.select_related(
            "loop__candidate", "loop__role_profile", "scorecard"
        ).get(pk=interview_id, interviewer=user)
    except Interview.DoesNotExist as exc:
        raise Http404 from exc


def my_interviews(user: User, now=None) -> dict[str, list[Interview]]:
    """The interviewer's interviews split into upcoming, to score and done."""
    now = now or timezone.now()
    interviews = Interview.objects.filter(interviewer=user).select_related(
        "loop__candidate", "loop__role_profile", "scorecard"
    )
    groups: dict[str, list[Interview]] = {"upcoming": [], "to_score": [], "done": []}
    for interview in interviews:
        if interview.scorecard.is_submitted:
            groups["done"].append(interview)
        elif interview.scheduled_at > now:
            groups["upcoming"].append(interview)
        else:
            groups["to_score"].append(interview)
    groups["done"].sort(key=lambda i: i.scorecard.submitted_at, reverse=True)
    return groups
