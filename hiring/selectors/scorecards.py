"""Reads about interviews and their scorecards, as their interviewer sees them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import User

from .. import schedule, scoring
from ..models import Interview, Scorecard, ScorecardAmendment
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
    """The interviewer's interviews still to be submitted, split into upcoming
    and to score (a handful at any time: each waits for its scorecard)."""
    now = now or timezone.now()
    pending = (
        Interview.objects.filter(interviewer=user, scorecard__status=Scorecard.Status.DRAFT)
        .select_related("loop__candidate", "loop__role_profile", "scorecard")
        .order_by("scheduled_at", "pk")
    )
    groups: dict[str, list[Interview]] = {"upcoming": [], "to_score": []}
    for interview in pending:
        groups["upcoming" if interview.scheduled_at > now else "to_score"].append(interview)
    return groups


def done_interviews_of(user: User, *, search: str = "") -> QuerySet[Interview]:
    """The interviewer's interviews with a submitted scorecard, latest interview
    first, narrowed to a candidate name or role search; for paging."""
    done = Interview.objects.filter(interviewer=user, scorecard__status=Scorecard.Status.SUBMITTED)
    search = search.strip()[:100]
    if search:
        done = done.filter(
            Q(loop__candidate__name__icontains=search)
            | Q(loop__role_profile__name__icontains=search)
            | Q(loop__role_profile__title__icontains=search)
        )
    return done.select_related("loop__candidate", "loop__role_profile", "scorecard").order_by(
        "-scheduled_at", "-pk"
    )


DONE_PER_PAGE = 25
DONE_COUNT_CAP = 1000  # past this the count says "1000+": counting further costs more than it tells


@dataclass(frozen=True)
class DonePage:
    interviews: list[Interview]
    number: int
    has_previous: bool
    has_next: bool
    count: int  # how many match, at most DONE_COUNT_CAP
    more: bool  # more than DONE_COUNT_CAP match


def done_page(user: User, *, search: str = "", page: str | int | None = None) -> DonePage:
    """One page of the interviewer's done interviews, read in the index's order
    (a fixed cost whatever their number, bar the capped count)."""
    try:
        number = max(1, int(page or 1))
    except (TypeError, ValueError):
        number = 1
    done = done_interviews_of(user, search=search)
    offset = (number - 1) * DONE_PER_PAGE
    rows = list(done[offset : offset + DONE_PER_PAGE + 1])
    count = done[: DONE_COUNT_CAP + 1].count()
    return DonePage(
        interviews=rows[:DONE_PER_PAGE],
        number=number,
        has_previous=number > 1,
        has_next=len(rows) > DONE_PER_PAGE,
        count=min(count, DONE_COUNT_CAP),
        more=count > DONE_COUNT_CAP,
    )


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
