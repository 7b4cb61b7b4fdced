"""Reads shared by views, tasks and emails: joins applied, hiding rules applied.

Everything that shows a number of a round goes through ``round_results``,
which returns nothing at all below the round's minimum group size.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict

from django.db import models
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from teamhealth import access, survey_summaries
from teamhealth.models import Membership, Team

from . import aggregation, tokens
from .models import (
    ActionItem,
    ActionPlan,
    ActionStatusChange,
    AnswerCount,
    Comment,
    Dimension,
    Invitation,
    Question,
    SurveyRound,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


# ---------------------------------------------------------------- who sees what


def round_for_viewer(user: User, round_id: int) -> tuple[SurveyRound, str]:
    """The round and how this person sees it: "manager", "reader" or "member". Else 404.

    Whoever may read the team (``teamhealth.access``: its managers, directors,
    admins) sees every round of it (nothing while open), and those who may act
    on it manage it; a current member sees a round once published; anyone
    else: 404.
    """
    survey_round = (
        SurveyRound.objects.select_related("team", "published_by")
        .annotate(
            viewer_writes=Exists(access.teams_writable_by(user).filter(pk=OuterRef("team_id"))),
            viewer_reads=Exists(access.teams_readable_by(user).filter(pk=OuterRef("team_id"))),
            viewer_is_member=Exists(
                Membership.objects.current().filter(team_id=OuterRef("team_id"), user_id=user.pk)
            ),
        )
        .filter(pk=round_id)
        .first()
    )
    if survey_round is None:
        raise Http404
    if survey_round.viewer_writes:
        return survey_round, "manager"
    if survey_round.viewer_reads:
        return survey_round, "reader"
    if survey_round.viewer_is_member and survey_round.status == SurveyRound.Status.PUBLISHED:
        return survey_round, "member"
    raise Http404


def may_manage(seen_as: str) -> bool:
    """Publishing and the action plan: whoever may act on the team (its managers, admins)."""
    return seen_as == "manager"


def may_update_action(user: User, item: ActionItem) -> bool:
    """An action's status is changed by its owner or by whoever may act on its team."""
    return item.owner_id == user.pk or access.can_write_team(user, item.plan.round.team)


def action_item_for_viewer(user: User, item_id: int) -> ActionItem:
    """An action whose status this person may change (``may_update_action``); else 404.

    Someone who may not even read the round gets the same 404 as an unknown id.
    """
    item = ActionItem.objects.select_related("plan__round__team").filter(pk=item_id).first()
    if item is None:
        raise Http404
    round_for_viewer(user, item.plan.round_id)
    if not may_update_action(user, item):
        raise Http404
    return item


def action_owners(team: Team) -> QuerySet[User]:
    """People who may own an action: the team's current members and its managers."""
    return (
        User.objects.filter(
            Q(pk__in=Membership.objects.current().filter(team=team).values("user_id"))
            | Q(managed_teams=team)
        )
        .filter(is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


# ---------------------------------------------------------------- answering


def invitation_for_token(token: str, *, now=None) -> Invitation | None:
    if not token or len(token) > 100:
        return None
    return invitation_for_hash(tokens.hash_token(token), now=now)


def invitation_for_hash(token_hash: str, *, now=None) -> Invitation | None:
    """The invitation a link still answers, or None.

    None alike for a link that never existed, was spent (answered), replaced,
    or whose round has closed or is past its closing time: whoever holds a
    link learns nothing about its owner from it.
    """
    return answerable_invitations(now).filter(links__token_hash=token_hash).first()


def answerable_invitations(now=None) -> QuerySet[Invitation]:
    """Invitations that can still be answered: not answered, their round open and not
    past its closing time (one rule for links, the survey home and the home page)."""
    now = now or timezone.now()
    return Invitation.objects.select_related("round__team").filter(
        has_answered=False,
        round__status=SurveyRound.Status.OPEN,
        round__closes_at__gt=now,
    )


def invitation_for_user(user: User, round_id: int) -> Invitation:
    invitation = (
        Invitation.objects.select_related("round__team")
        .filter(user=user, round_id=round_id)
        .first()
    )
    if invitation is None:
        raise Http404
    return invitation


def round_questions(survey_round: SurveyRound) -> list[Question]:
    return list(survey_round.questions.order_by("position", "id"))


# ---------------------------------------------------------------- lists


class _PlanAnnotations(TypedDict):
    has_plan: bool


@dataclass
class ManagedRound:
    """A round of a team the viewer manages or oversees, and where its action plan stands."""

    survey_round: WithAnnotations[SurveyRound, _PlanAnnotations]
    plan_state: survey_summaries.ActionPlanState


@dataclass
class SurveyHome:
    to_answer: list[Invitation]
    team_results: list[WithAnnotations[SurveyRound, _PlanAnnotations]]
    managed_rounds: list[ManagedRound]


def survey_home(user: User, *, now=None) -> SurveyHome:
    """What a person's survey page lists: rounds to answer, their team's results, managed rounds."""
    now = now or timezone.now()
    to_answer = rounds_to_answer(user, now=now)
    team_results = list(
        SurveyRound.objects.select_related("team")
        .filter(
            status=SurveyRound.Status.PUBLISHED,
            team__in=Membership.objects.current().filter(user=user).values("team_id"),
        )
        .annotate(has_plan=Exists(ActionPlan.objects.filter(round=OuterRef("pk"))))
        .order_by("-period_start", "team__name")[:20]
    )
    managed_rounds = []
    if user.is_manager or access.reads_every_team(user) or user.managed_teams.exists():
        today = timezone.localdate(now)
        managed_rounds = [
            ManagedRound(
                survey_round,
                survey_summaries.action_plan_state(
                    status=survey_summaries.PUBLISHED
                    if survey_round.has_plan
                    else survey_summaries.AWAITING,
                    closed_on=survey_round.closed_on,
                    today=today,
                ),
            )
            for survey_round in SurveyRound.objects.select_related("team")
            .filter(team__in=access.teams_readable_by(user))
            .annotate(has_plan=Exists(ActionPlan.objects.filter(round=OuterRef("pk"))))
            .order_by("-period_start", "team__name")[:50]
        ]
    return SurveyHome(to_answer, team_results, managed_rounds)


# ---------------------------------------------------------------- results


def _counts_by_question(round_ids) -> dict[int, dict[int, dict[int, int]]]:
    """{round id: {question id: {value: count}}}, in one query."""
    result: dict[int, dict[int, dict[int, int]]] = {}
    rows = AnswerCount.objects.filter(round_id__in=round_ids).values_list(
        "round_id", "question_id", "value", "count"
    )
    for round_id, question_id, value, count in rows:
        result.setdefault(round_id, {}).setdefault(question_id, {})[value] = count
    return result


def _question_counts(questions, counts) -> list[aggregation.QuestionCounts]:
    return [
        aggregation.QuestionCounts(
            question_id=q.pk,
            text=q.text,
            dimension=q.dimension,
            position=q.position,
            counts=counts.get(q.pk, {}),
        )
        for q in questions
        if q.kind == Question.Kind.LIKERT
    ]


def likert_counts(round_ids) -> dict[int, list[aggregation.QuestionCounts]]:
    """{round id: its Likert questions' counts}, in one query (for scores and roll-ups)."""
    result: dict[int, dict[int, dict[int, int]]] = {}
    rows = AnswerCount.objects.filter(
        round_id__in=round_ids, question__kind=Question.Kind.LIKERT
    ).values_list("round_id", "question_id", "value", "count")
    for round_id, question_id, value, count in rows:
        result.setdefault(round_id, {}).setdefault(question_id, {})[value] = count
    return {
        round_id: [
            aggregation.QuestionCounts(
                question_id=question_id, text="", dimension="", position=0, counts=counts
            )
            for question_id, counts in questions.items()
        ]
        for round_id, questions in result.items()
    }


def feedback_score(survey_round: SurveyRound) -> Decimal | None:
    """The round's feedback score, coarsened as its invited count requires (at close)."""
    questions = likert_counts([survey_round.pk]).get(survey_round.pk, [])
    return aggregation.feedback_score(questions, survey_round.invited_count)


@dataclass
class RoundResults:
    shown: bool
    responses: int = 0
    invited: int = 0
    participation: Decimal | None = None
    feedback_score: Decimal | None = None
    feedback_bound: str = aggregation.EXACT
    enps: int | None = None
    enps_bound: str = aggregation.EXACT
    distributions_shown: bool = True
    enps_answers: int = 0
    enps_hidden: bool = False
    questions: list[aggregation.QuestionResult] = field(default_factory=list)
    dimensions: list[tuple[str, aggregation.DimensionResult]] = field(default_factory=list)
    top_concerns: list[aggregation.QuestionResult] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    comments_hidden: bool = False
    movements: list[aggregation.ConcernMovement] = field(default_factory=list)
    # Each earlier concern beside the action the previous plan took on it (None: none).
    movement_rows: list[tuple[aggregation.ConcernMovement, ActionItem | None]] = field(
        default_factory=list
    )
    previous_round: SurveyRound | None = None
    trend: list[dict] = field(default_factory=list)
    action_plan: ActionPlan | None = None
    actions_done: int = 0
    actions_in_progress: int = 0


def trend_point(survey_round: SurveyRound) -> dict:
    """One round of the trend: its score and participation, or a gap below its k.

    A round below its minimum group size shows nothing at all, not even how
    many answered (``SurveyRound.has_results``): ``hidden`` and ``k`` only.
    """
    point: dict = {
        "label": f"{survey_round.period_start:%-d %b %Y}",
        "hidden": not survey_round.has_results,
        "k": survey_round.minimum_group_size,
        "score": None,
        "responses": None,
        "invited": None,
        "rate": None,
    }
    if survey_round.has_results and survey_round.feedback_score is not None:
        rate = aggregation.participation_rate(
            survey_round.response_count, survey_round.invited_count
        )
        point.update(
            score=float(survey_round.feedback_score),
            responses=survey_round.response_count,
            invited=survey_round.invited_count,
            rate=float(rate) if rate is not None else None,
        )
    return point


def round_results(survey_round: SurveyRound) -> RoundResults:
    """Everything shown about a round; ``shown=False`` and nothing else when it must hide.

    A fixed number of queries: questions, counts, comments, trend rounds, the
    previous round's counts, the action plan with its items.
    """
    if not survey_round.has_results:
        return RoundResults(shown=False)
    questions = round_questions(survey_round)
    earlier = list(
        SurveyRound.objects.filter(
            team_id=survey_round.team_id,
            period_start__lt=survey_round.period_start,
            status__in=[SurveyRound.Status.CLOSED, SurveyRound.Status.PUBLISHED],
        )
        .order_by("-period_start")
        .only(
            "pk",
            "period_start",
            "status",
            "feedback_score",
            "response_count",
            "invited_count",
            "minimum_group_size",
        )
    )
    previous = next((r for r in earlier if r.feedback_score is not None), None)
    counts = _counts_by_question([survey_round.pk] + ([previous.pk] if previous else []))
    current = _question_counts(questions, counts.get(survey_round.pk, {}))
    invited = survey_round.invited_count
    results = [aggregation.question_result(q, invited) for q in current]
    feedback, feedback_bound = aggregation.pooled_score([current], [invited])
    concerns = aggregation.top_concerns(results)
    enps_question = next((q for q in questions if q.kind == Question.Kind.ENPS), None)
    enps_counts = counts.get(survey_round.pk, {}).get(enps_question.pk, {}) if enps_question else {}
    enps_answers = sum(enps_counts.values())
    enps_hidden = enps_question is not None and aggregation.enps_hidden(
        enps_answers, survey_round.minimum_group_size
    )
    if enps_hidden:
        enps_counts, enps_answers = {}, 0

    comments = list(Comment.objects.filter(round=survey_round).values_list("text", flat=True))
    comments_hidden = aggregation.comments_hidden(len(comments), survey_round.minimum_comments)
    if comments_hidden:
        comments = []
    random.SystemRandom().shuffle(comments)

    movements, previous_round = [], None
    movement_rows: list[tuple[aggregation.ConcernMovement, ActionItem | None]] = []
    if previous is not None:
        previous_round = previous
        texts = {q.pk: q.text for q in questions}
        previous_questions = Question.objects.filter(
            pk__in=counts.get(previous.pk, {}).keys(), kind=Question.Kind.LIKERT
        )
        before = [
            aggregation.question_result(q, previous.invited_count)
            for q in _question_counts(previous_questions, counts.get(previous.pk, {}))
        ]
        earlier_concerns = [
            (c.question_id, texts.get(c.question_id, c.text), c.score)
            for c in aggregation.top_concerns(before)
            if c.score is not None  # always: a concern has answers
        ]
        movements = aggregation.concern_movements(
            earlier_concerns, {r.question_id: r.score for r in results}
        )
        earlier_actions = {
            item.question_id: item
            for item in ActionItem.objects.filter(plan__round=previous).select_related("owner")
        }
        movement_rows = [(m, earlier_actions.get(m.question_id)) for m in movements]

    trend = [trend_point(r) for r in [*reversed(earlier), survey_round]]
    plan = (
        ActionPlan.objects.filter(round=survey_round)
        .prefetch_related(
            Prefetch("items", queryset=ActionItem.objects.select_related("owner", "question")),
            Prefetch(
                "items__changes", queryset=ActionStatusChange.objects.select_related("changed_by")
            ),
        )
        .first()
    )
    statuses = [item.status for item in plan.items.all()] if plan is not None else []
    dimension_labels = dict(Dimension.choices)
    return RoundResults(
        shown=True,
        responses=survey_round.response_count,
        invited=survey_round.invited_count,
        participation=aggregation.participation_rate(
            survey_round.response_count, survey_round.invited_count
        ),
        feedback_score=feedback,
        feedback_bound=feedback_bound,
        enps=aggregation.enps(enps_counts, invited),
        enps_bound=aggregation.enps_bound(enps_counts, invited),
        distributions_shown=aggregation.distribution_shown(survey_round.response_count, invited),
        enps_answers=enps_answers,
        enps_hidden=enps_hidden,
        questions=results,
        dimensions=[
            (dimension_labels[d.dimension], d)
            for d in aggregation.dimension_results(current, Dimension.values, invited)
            if d.answers
        ],
        top_concerns=concerns,
        comments=comments,
        comments_hidden=comments_hidden,
        movements=movements,
        movement_rows=movement_rows,
        previous_round=previous_round,
        trend=trend,
        action_plan=plan,
        actions_done=statuses.count(ActionItem.Status.DONE),
        actions_in_progress=statuses.count(ActionItem.Status.IN_PROGRESS),
    )


# ---------------------------------------------------------------- roll-up


@dataclass
class RollupRow:
    team: Team
    survey_round: SurveyRound | None
    hidden: bool
    score: Decimal | None
    responses: int | None
    bound: str = aggregation.EXACT


@dataclass
class Rollup:
    period_start: date | None
    rows: list[RollupRow]
    total_shown: bool
    total_score: Decimal | None
    total_responses: int | None
    total_bound: str = aggregation.EXACT


def rollup(user: User, period_start: date | None = None) -> Rollup:
    """Feedback scores of the viewer's teams for one period, and all of them together.

    Hidden teams are hidden so their numbers cannot be derived by subtracting
    the visible ones from the total (``aggregation.rollup_hidden``).
    """
    teams = list(access.teams_readable_by(user).order_by("name"))
    of_teams = SurveyRound.objects.filter(team__in=teams)
    closed = of_teams.filter(status__in=[SurveyRound.Status.CLOSED, SurveyRound.Status.PUBLISHED])
    if period_start is None:
        # The latest period with results; before any round has closed, the
        # period whose rounds are open, so the page says they are.
        period_start = (
            closed.order_by("-period_start").values_list("period_start", flat=True).first()
            or of_teams.order_by("-period_start").values_list("period_start", flat=True).first()
        )
    of_period = list(of_teams.filter(period_start=period_start)) if period_start else []
    # A round still open has no numbers to show: it is listed as open and adds
    # nothing to the total.
    open_rounds = {r.team_id: r for r in of_period if r.status == SurveyRound.Status.OPEN}
    rounds = {r.team_id: r for r in of_period if r.status != SurveyRound.Status.OPEN}
    sizes = {str(r.team_id): r.response_count for r in rounds.values()}
    # Each round keeps its own k: a team is shown when its round reaches it.
    shown = {
        key
        for key, size in sizes.items()
        if aggregation.can_show(size, rounds[int(key)].minimum_group_size)
    }
    hidden = set(sizes) - shown
    total_shown = bool(shown)
    total_score, total_bound = None, aggregation.EXACT
    shown_rounds = [rounds[int(key)] for key in sorted(shown)]
    counts = likert_counts([r.pk for r in shown_rounds]) if shown_rounds else {}
    if total_shown:
        # Pooled from the shown teams only: nothing of a hidden team can be
        # derived by subtracting shown numbers from the total. Each team's
        # answers are coarsened as its own page coarsens them.
        total_score, total_bound = aggregation.pooled_score(
            [counts.get(r.pk, []) for r in shown_rounds], [r.invited_count for r in shown_rounds]
        )
    rows = []
    for team in teams:
        survey_round = rounds.get(team.pk)
        shown_round = None if str(team.pk) in hidden else survey_round
        score, bound = None, aggregation.EXACT
        if shown_round is not None:
            score, bound = aggregation.pooled_score(
                [counts.get(shown_round.pk, [])], [shown_round.invited_count]
            )
        rows.append(
            RollupRow(
                team=team,
                survey_round=survey_round or open_rounds.get(team.pk),
                hidden=shown_round is None,
                score=score,
                responses=None if shown_round is None else shown_round.response_count,
                bound=bound,
            )
        )
    return Rollup(
        period_start=period_start,
        rows=rows,
        total_shown=total_shown,
        total_score=total_score,
        total_responses=sum(sizes[key] for key in shown) if total_shown else None,
        total_bound=total_bound,
    )


# ---------------------------------------------------------------- heatmap

HEATMAP_PAGE_SIZE = 25
HEATMAP_SORTS = {
    "name": "Team name",
    "score": "Lowest score first",
    "-score": "Highest score first",
    "lowest": "Lowest dimension first",
}


@dataclass
class HeatmapTeam:
    """One team's row: its latest published round and, when shown, its figures."""

    team_id: int
    name: str
    survey_round: SurveyRound | None
    figures: aggregation.HeatmapRow | None  # None: no published round, or below its k
    open_until: object = None  # when the team has a round open now: its closing time

    @property
    def shown(self) -> bool:
        return self.figures is not None


@dataclass
class Heatmap:
    questions: list[Question]
    dimensions: list[tuple[str, str]]
    rows: list[HeatmapTeam]  # the teams of this page
    total: aggregation.HeatmapRow | None  # every shown team matching the search pooled
    shown_teams: int
    teams: int
    page: int
    pages: int
    search: str
    sort: str

    def columns(self, by: str) -> list[tuple[int | str, str, str]]:
        """(key, short heading, full text) of each column: dimensions, or questions numbered."""
        if by == "questions":
            return [(q.pk, f"Q{n}", q.text) for n, q in enumerate(self.questions, start=1)]
        return [(key, label, label) for key, label in self.dimensions]

    def cells(
        self, figures: aggregation.HeatmapRow | None, by: str
    ) -> list[aggregation.Cell | None]:
        """The row's cells in column order (None where the round did not ask it)."""
        if figures is None:
            return [None for _ in self.columns(by)]
        source: Mapping[int, aggregation.Cell] | Mapping[str, aggregation.Cell]
        source = figures.questions if by == "questions" else figures.dimensions
        return [source.get(key) for key, _, _ in self.columns(by)]  # type: ignore[arg-type]

    def labelled_cells(
        self, figures: aggregation.HeatmapRow | None, by: str
    ) -> list[tuple[str, aggregation.Cell | None]]:
        """The row's cells with their column's short heading (a phone shows it in the cell)."""
        headings = [short for _, short, _ in self.columns(by)]
        return list(zip(headings, self.cells(figures, by), strict=True))


def heatmap(user: User, *, search: str = "", sort: str = "name", page: int = 1) -> Heatmap:
    """Teams by questions and teams by dimensions, from each team's latest published round.

    A row is shown only when its round reaches the round's own k
    (``SurveyRound.has_results``, as on the team's page) and every figure is
    the team page's (``aggregation.heatmap_row``: coarsened sums). The total
    pools the shown teams only (``aggregation.heatmap_total``), over every
    team matching the search, not only this page. Four queries whatever the
    number of teams: teams, their latest published rounds, the rounds'
    answer sums, the questions.
    """
    search = search.strip()[:100]
    sort = sort if sort in HEATMAP_SORTS else "name"
    teams_qs = access.teams_readable_by(user)
    if search:
        teams_qs = teams_qs.filter(name__icontains=search)
    open_rounds = SurveyRound.objects.filter(
        team_id=OuterRef("pk"), status=SurveyRound.Status.OPEN
    ).order_by("closes_at")
    teams = list(
        teams_qs.annotate(open_until=Subquery(open_rounds.values("closes_at")[:1]))
        .order_by("name", "pk")
        .values_list("pk", "name", "open_until")
    )
    published = SurveyRound.objects.filter(
        team__in=teams_qs, status=SurveyRound.Status.PUBLISHED
    ).exclude(
        Exists(
            SurveyRound.objects.filter(
                team_id=OuterRef("team_id"),
                status=SurveyRound.Status.PUBLISHED,
                period_start__gt=OuterRef("period_start"),
            )
        )
    )
    latest = {
        r.team_id: r
        for r in published.only(
            "pk",
            "team_id",
            "period_start",
            "status",
            "response_count",
            "invited_count",
            "minimum_group_size",
        )
    }
    sums: dict[int, list[aggregation.QuestionTotal]] = {}
    for round_id, question_id, dimension, total, answers in (
        AnswerCount.objects.filter(round__in=published.values("pk"), question__kind="likert")
        .values("round_id", "question_id", "question__dimension")
        .annotate(total=Sum(F("value") * F("count")), answers=Sum("count"))
        .values_list("round_id", "question_id", "question__dimension", "total", "answers")
    ):
        if answers:
            sums.setdefault(round_id, []).append(
                aggregation.QuestionTotal(question_id, dimension, total, answers)
            )
    figures, total = aggregation.heatmap(
        {
            team_id: None
            if (r := latest.get(team_id)) is None
            else aggregation.HeatmapGroup(
                r.response_count, r.minimum_group_size, r.invited_count, sums.get(r.pk, [])
            )
            for team_id, _, _ in teams
        }
    )
    rows = [
        HeatmapTeam(team_id, name, latest.get(team_id), figures[team_id], open_until)
        for team_id, name, open_until in teams
    ]
    shown = [row.figures for row in rows if row.figures is not None]
    rows.sort(key=_heatmap_sort_key(sort))
    pages = max(1, -(-len(rows) // HEATMAP_PAGE_SIZE))
    page = min(max(page, 1), pages)
    on_page = rows[(page - 1) * HEATMAP_PAGE_SIZE : page * HEATMAP_PAGE_SIZE]
    question_ids = {q for row in shown for q in row.parts}
    questions = list(
        Question.objects.filter(pk__in=question_ids).order_by("position", "pk")
        if question_ids
        else []
    )
    labels = dict(Dimension.choices)
    dimensions = [(d, labels[d]) for d in Dimension.values]
    return Heatmap(
        questions=questions,
        dimensions=dimensions,
        rows=on_page,
        total=total,
        shown_teams=len(shown),
        teams=len(rows),
        page=page,
        pages=pages,
        search=search,
        sort=sort,
    )


def _heatmap_sort_key(sort: str):
    """Teams without figures last, whatever the order; then by name."""

    def key(row: HeatmapTeam):
        figure = None
        if row.figures is not None:
            if sort in ("score", "-score"):
                figure = row.figures.overall.score
            elif sort == "lowest":
                figure = row.figures.lowest_dimension
        if sort == "name":
            return (0, Decimal(0), row.name.lower(), row.team_id)
        if figure is None:
            return (1, Decimal(0), row.name.lower(), row.team_id)
        return (0, -figure if sort == "-score" else figure, row.name.lower(), row.team_id)

    return key


# ---------------------------------------------------------------- what needs a person now


@dataclass
class Waiting:
    """How many things wait, and the first few of them (the home page shows a few)."""

    count: int
    first: list


def rounds_to_answer(user: User, *, now=None) -> list[Invitation]:
    """The open rounds this person is invited to and has not answered, closing soonest first.

    Only ever shown to the person themselves: whether someone answered is
    participation, which nobody else sees (docs/anonymity.md).
    """
    return list(answerable_invitations(now).filter(user=user).order_by("round__closes_at"))


def _with_results() -> Q:
    # ``aggregation.can_show`` in SQL: from the round's k (and never below the floor) on.
    return Q(response_count__gte=aggregation.MINIMUM_GROUP_SIZE_FLOOR) & Q(
        response_count__gte=models.F("minimum_group_size")
    )


def results_to_publish(teams: QuerySet[Team], *, limit: int) -> Waiting:
    """Closed rounds of these teams whose results are not published yet, oldest close first.

    Each is published automatically ``schedule.PUBLISH_AFTER`` after close.
    """
    rounds = SurveyRound.objects.filter(team__in=teams, status=SurveyRound.Status.CLOSED)
    return Waiting(
        count=rounds.count(),
        first=list(rounds.select_related("team").order_by("closed_at", "pk")[:limit]),
    )


def action_plans_due(teams: QuerySet[Team], *, today: date, limit: int) -> Waiting:
    """Rounds of these teams with results whose action plan is due and not yet overdue.

    An overdue plan is the team-health "action plan overdue" alert, shown with the alerts.
    """
    rounds = SurveyRound.objects.filter(
        _with_results(),
        team__in=teams,
        status__in=[SurveyRound.Status.CLOSED, SurveyRound.Status.PUBLISHED],
        closed_at__date__gt=survey_summaries.last_close_overdue_on(today),
    ).exclude(Exists(ActionPlan.objects.filter(round=OuterRef("pk"))))
    return Waiting(
        count=rounds.count(),
        first=list(rounds.select_related("team").order_by("closed_at", "pk")[:limit]),
    )


QUIET_AFTER_WEEKS = 8


def teams_without_published_round(teams: QuerySet[Team], *, today: date, limit: int) -> Waiting:
    """Teams with no survey results published in the last ``QUIET_AFTER_WEEKS`` weeks."""
    since = today - timedelta(weeks=QUIET_AFTER_WEEKS)
    # The start of that day, so the index on the timestamp serves the comparison.
    since_start = timezone.make_aware(datetime.combine(since, time.min))
    quiet = teams.exclude(
        Exists(
            SurveyRound.objects.filter(
                team=OuterRef("pk"),
                status=SurveyRound.Status.PUBLISHED,
                published_at__gte=since_start,
            )
        )
    )
    return Waiting(count=quiet.count(), first=list(quiet.order_by("name")[:limit]))
