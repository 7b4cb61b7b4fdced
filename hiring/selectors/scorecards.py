"""Reads about interviews and their scorecards, as their interviewer sees them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import User

from .. import schedule, scoring
from ..models import Interview, ScorecardAmendment
from .exercises import exercise_assignment
from .starl import scorecard_answers, starl_leadership, starl_leadership_of


def interview_for_interviewer(user: User, interview_id: int) -> Interview:
    """An interview assigned to this person, with its scorecard; otherwise 404."""
    try:
        return Interview.objects.select_related(
            "loop__candidate", "loop__role_profile", "scorecard"
        ).get(pk=interview_id, interviewer=user)
    except Interview.DoesNotExist as exc:
        raise Http404 from exc


def interviews_of(user: User, now=None) -> dict[str, list[Interview]]:
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
    groups["done"].sort(key=_submitted_at, reverse=True)
    return groups


def _submitted_at(interview: Interview) -> datetime:
    submitted_at = interview.scorecard.submitted_at
    if submitted_at is None:  # a check constraint rules this out for a submitted scorecard
        raise ValueError(f"Scorecard {interview.scorecard.pk} is submitted but has no time.")
    return submitted_at


def submit_not_open(interview: Interview, *, now: datetime | None = None) -> str | None:
    """Why the interview's scorecard cannot be submitted yet, in local time; or None."""
    return schedule.submit_opens_problem(
        interview_at=timezone.localtime(interview.scheduled_at),
        now=timezone.localtime(now or timezone.now()),
    )


def scorecard_extras(interview: Interview) -> dict:
    """What the scorecard pages show besides the scores: STAR-L, exercise,
    amendments, and the dimensions the interviewer types a score for (not
    leadership once STAR-L answers make it)."""
    card = interview.scorecard
    answers = scorecard_answers(card)
    starl_score = starl_leadership_of(answers)
    return {
        "starl_answers": answers,
        "starl_score": starl_score,
        "typed_dimensions": scoring.typed_dimensions(
            interview.dimensions, starl_leadership=starl_score is not None
        ),
        "exercise": exercise_assignment(interview),
        "submit_not_open": None if card.is_submitted else submit_not_open(interview),
        "amendments": list(
            ScorecardAmendment.objects.filter(scorecard=card).select_related("amended_by")
        )
        if card.is_submitted
        else [],
    }


@dataclass(frozen=True)
class AmendmentPage:
    editable: list[str]  # the dimensions amended by hand; STAR-L answers make leadership
    has_starl: bool
    amendments: QuerySet[ScorecardAmendment]


def amendment_page(interview: Interview) -> AmendmentPage:
    """What the page amending a submitted scorecard offers and shows."""
    card = interview.scorecard
    has_starl = starl_leadership(card) is not None
    return AmendmentPage(
        editable=scoring.typed_dimensions(interview.dimensions, starl_leadership=has_starl),
        has_starl=has_starl,
        amendments=ScorecardAmendment.objects.filter(scorecard=card).select_related("amended_by"),
    )
