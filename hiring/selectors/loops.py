"""Reads about candidates' interview loops: the candidate list, the loop page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.paginator import Page
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from accounts.pagination import CountedPaginator

from .. import scoring
from ..models import HiringSettings, Interview, InterviewLoop, Scorecard, ScorecardAmendment
from .outcomes import outcome_due_q


def loops_for(
    user: User, *, today: date | None = None, due_days: int | None = None
) -> QuerySet[InterviewLoop]:
    """Loops this person may manage: admins see all, recruiters their own.

    ``outcome_due`` marks hires whose 6-month outcome is due and not recorded.
    """
    if due_days is None:
        due_days = HiringSettings.load().outcome_due_days
    due = outcome_due_q(today=today or timezone.localdate(), due_days=due_days, prefix="outcome__")
    qs = (
        InterviewLoop.objects.select_related("candidate", "role_profile", "outcome")
        .annotate(outcome_due=ExpressionWrapper(due, output_field=BooleanField()))
        .order_by("-created_at", "-pk")
    )
    if user.is_admin:
        return qs
    if user.is_recruiter:
        return qs.filter(recruiters=user)
    return qs.none()


LOOP_VIEWS = {
    "active": ("Active", Q(status__in=["planning", "interviewing", "debrief"])),
    "decided": ("Decided", Q(status="decided")),
    "all": ("All", Q()),
}


def loop_views(*, today: date, due_days: int) -> dict[str, tuple[str, Q]]:
    """The candidate list's tabs, with hires whose 6-month outcome is due (which
    depends on the day and on the admin-tuned delay)."""
    due = outcome_due_q(today=today, due_days=due_days, prefix="outcome__")
    return {**LOOP_VIEWS, "outcome_due": ("Outcome due", due)}


def filter_loops(
    loops: QuerySet[InterviewLoop],
    *,
    view: str,
    search: str,
    views: dict[str, tuple[str, Q]] = LOOP_VIEWS,
) -> QuerySet[InterviewLoop]:
    """Narrow a recruiter's loops to one tab and a name or email search."""
    loops = loops.filter(views.get(view, views["active"])[1])
    if search:
        loops = loops.filter(
            Q(candidate__name__icontains=search) | Q(candidate__email__icontains=search)
        )
    return loops


def loop_view_counts(
    loops: QuerySet[InterviewLoop], *, views: dict[str, tuple[str, Q]] = LOOP_VIEWS
) -> dict[str, int]:
    """How many loops each tab holds, in one query."""
    return loops.order_by().aggregate(
        **{key: Count("pk", filter=condition) for key, (_, condition) in views.items()}
    )


def with_scorecard_counts(loops: list[InterviewLoop]) -> list[InterviewLoop]:
    """Sets ``interview_count`` and ``submitted_count`` on each of a page of loops,
    in one query over those loops' interviews only."""
    counts = {
        row["loop_id"]: row
        for row in Interview.objects.filter(loop_id__in=[loop.pk for loop in loops])
        .order_by()
        .values("loop_id")
        .annotate(
            total=Count("pk"),
            submitted=Count("pk", filter=Q(scorecard__status=Scorecard.Status.SUBMITTED)),
        )
    }
    for loop in loops:
        row = counts.get(loop.pk, {})
        loop.interview_count = row.get("total", 0)  # type: ignore[attr-defined]
        loop.submitted_count = row.get("submitted", 0)  # type: ignore[attr-defined]
    return loops


LOOPS_PER_PAGE = 25


@dataclass(frozen=True)
class CandidateList:
    page: Page  # the asked page of the chosen tab's loops matching the search
    view: str  # the chosen tab
    search: str
    tabs: list[dict]  # key, label, count, active
    due_count: int  # hires whose 6-month outcome is due


def candidate_list(
    user: User, *, view: str, search: str, page: str | None = None, today: date | None = None
) -> CandidateList:
    """The candidate list as this person sees it: one page of one tab's loops (an
    unknown tab is "active", an unknown page the nearest) matching a name or
    email search, and how many each tab holds. The page is taken first, by an
    indexed ordering; only its loops' interviews are counted."""
    due_days = HiringSettings.load().outcome_due_days
    today = today or timezone.localdate()
    views = loop_views(today=today, due_days=due_days)
    if view not in views:
        view = "active"
    search = search.strip()[:100]
    mine = loops_for(user, today=today, due_days=due_days)
    counts = loop_view_counts(
        filter_loops(mine, view="all", search=search, views=views), views=views
    )
    loops = filter_loops(mine, view=view, search=search, views=views)
    shown = CountedPaginator(loops, LOOPS_PER_PAGE, count=counts[view]).get_page(page)
    shown.object_list = with_scorecard_counts(list(shown.object_list))
    return CandidateList(
        page=shown,
        view=view,
        search=search,
        tabs=[
            {"key": key, "label": label, "count": counts[key], "active": key == view}
            for key, (label, _) in views.items()
        ],
        due_count=counts["outcome_due"],
    )


def loop_for_summary(user: User, loop_id: int) -> tuple[InterviewLoop, bool]:
    """The loop if this person may read its summary, and whether they manage it.

    Recruiters of the loop and admins may; an interviewer of the loop may once
    they have submitted their own scorecards for it (blind scoring). Anyone else: 404.
    """
    loop = (
        InterviewLoop.objects.select_related("candidate", "role_profile")
        .annotate(
            viewer_interviews=Exists(
                Interview.objects.filter(loop=OuterRef("pk"), interviewer=user)
            ),
            viewer_has_draft=Exists(
                Scorecard.objects.filter(
                    interview__loop=OuterRef("pk"),
                    interview__interviewer=user,
                    status=Scorecard.Status.DRAFT,
                )
            ),
            viewer_is_recruiter=Exists(
                InterviewLoop.recruiters.through.objects.filter(
                    interviewloop_id=OuterRef("pk"), user_id=user.pk
                )
            ),
        )
        .filter(pk=loop_id)
        .first()
    )
    if loop is None:
        raise Http404
    manages = user.is_admin or (user.is_recruiter and loop.viewer_is_recruiter)
    submitted_own = loop.viewer_interviews and not loop.viewer_has_draft
    if not manages and not submitted_own:
        raise Http404
    return loop, manages


def loop_interviews(loop: InterviewLoop, *, with_amendments: bool = False) -> list[Interview]:
    """The loop's interviews with their scorecards; ``with_amendments`` adds each
    submitted scorecard's history of changes (one query for the whole loop)."""
    interviews = Interview.objects.filter(loop=loop).select_related(
        "interviewer", "scorecard", "exercise_assignment__exercise"
    )
    if with_amendments:
        interviews = interviews.prefetch_related(
            Prefetch(
                "scorecard__amendments",
                queryset=ScorecardAmendment.objects.select_related("amended_by"),
            )
        )
    return list(interviews)


def loop_evaluation(loop: InterviewLoop, interviews: list[Interview]) -> scoring.Evaluation:
    submitted = [
        i.scorecard.scores
        for i in interviews
        if hasattr(i, "scorecard") and i.scorecard.is_submitted
    ]
    profile = loop.role_profile
    return scoring.evaluate_loop(submitted, profile.weights, profile.minimums)


def loop_dimension_rows(
    loop: InterviewLoop, evaluation: scoring.Evaluation, interviews: list[Interview]
) -> list[dict]:
    """Per dimension: the mean, the profile's weight and minimum, and how many
    of the planned scorecards that assess it are in."""
    profile = loop.role_profile
    rows = []
    for dimension in scoring.DIMENSIONS:
        mean = evaluation.scores[dimension]
        minimum = profile.minimums.of(dimension)
        assessing = [i for i in interviews if dimension in i.dimensions]
        rows.append(
            {
                "label": scoring.DIMENSION_LABELS[dimension],
                "mean": mean,
                "weight": profile.weights.of(dimension),
                "minimum": minimum,
                "count": sum(1 for i in assessing if i.scorecard.is_submitted),
                "planned": len(assessing),
                "below": mean is not None and mean < minimum,
            }
        )
    return rows


def interviewers() -> QuerySet[User]:
    return User.objects.filter(is_active=True, groups__name="Interviewer").order_by(
        "first_name", "last_name", "username"
    )
