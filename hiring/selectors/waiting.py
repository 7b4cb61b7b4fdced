"""What waits for a person in hiring, for the home page: counts and the first few of each.

A fixed number of queries whatever the number of loops: each list is a count and
a capped page, both on indexed columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from accounts.models import User

from ..models import CandidateFeedback, HiringSettings, Interview, InterviewLoop, Scorecard
from .outcomes import outcome_due_q


@dataclass
class Waiting:
    count: int
    first: list


def _waiting(rows: QuerySet, *, limit: int) -> Waiting:
    return Waiting(count=rows.count(), first=list(rows[:limit]))


def scorecards_to_submit(user: User, *, now: datetime, limit: int) -> Waiting:
    """The person's interviews that have taken place with a scorecard still a draft,
    the longest waiting (overdue) first. ``overdue_since`` on each: when its first
    reminder was due (``HiringSettings``), or None while not yet due."""
    after = timedelta(hours=HiringSettings.load().scorecard_reminder_after_hours)
    rows = (
        Interview.objects.filter(
            interviewer=user, scheduled_at__lte=now, scorecard__status=Scorecard.Status.DRAFT
        )
        .select_related("loop__candidate")
        .order_by("scheduled_at", "pk")
    )
    waiting = _waiting(rows, limit=limit)
    for interview in waiting.first:
        due = interview.scheduled_at + after
        interview.overdue_since = due if due <= now else None
    return waiting


def interviews_today(user: User, *, now: datetime, limit: int) -> Waiting:
    """The person's interviews on today's (local) date, in order."""
    today = timezone.localdate(now)
    start = timezone.make_aware(datetime.combine(today, time.min))
    rows = (
        Interview.objects.filter(
            interviewer=user,
            scheduled_at__gte=start,
            scheduled_at__lt=start + timedelta(days=1),
        )
        .select_related("loop__candidate", "scorecard")
        .order_by("scheduled_at", "pk")
    )
    return _waiting(rows, limit=limit)


def _managed_loops(user: User) -> QuerySet[InterviewLoop]:
    """The loops the person manages (as ``loops.loops_for``), without its annotations."""
    if user.is_admin:
        return InterviewLoop.objects.all()
    if user.is_recruiter:
        return InterviewLoop.objects.filter(recruiters=user)
    return InterviewLoop.objects.none()


@dataclass
class RecruiterWaiting:
    debrief: Waiting
    outcomes_due: Waiting
    feedback_unsent: Waiting


def recruiter_waiting(user: User, *, today: date, limit: int) -> RecruiterWaiting:
    """Loops ready for debrief, hires whose 6-month outcome is due, decided loops whose
    candidate has not been sent feedback; oldest first."""
    loops = _managed_loops(user).select_related("candidate")
    due = outcome_due_q(
        today=today, due_days=HiringSettings.load().outcome_due_days, prefix="outcome__"
    )
    return RecruiterWaiting(
        debrief=_waiting(
            loops.filter(status=InterviewLoop.Status.DEBRIEF).order_by("created_at", "pk"),
            limit=limit,
        ),
        outcomes_due=_waiting(loops.filter(due).order_by("outcome__decided_at", "pk"), limit=limit),
        feedback_unsent=_waiting(
            loops.filter(status=InterviewLoop.Status.DECIDED)
            .exclude(Exists(CandidateFeedback.objects.filter(loop=OuterRef("pk"))))
            .order_by("created_at", "pk"),
            limit=limit,
        ),
    )
