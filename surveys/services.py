"""Every write of the surveys app goes through here.

Anonymity rules these functions keep (docs/anonymity.md): answers are only
ever added to counts, in the same transaction that marks the invitation as
answered, and nothing records which invitation added to which count. Tokens
and answers never reach a log line or a task argument.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.models import User
from outbox import services as outbox
from teamhealth import survey_summaries
from teamhealth.models import Membership, Team
from teamhealth.services import alerts as teamhealth_alerts
from teamhealth.services import metrics as teamhealth_metrics

from . import aggregation, emails, links, schedule, selectors
from .models import (
    ActionItem,
    ActionPlan,
    ActionStatusChange,
    AnswerCount,
    Cadence,
    Comment,
    Invitation,
    InvitationLink,
    Question,
    SurveyRound,
)

_BATCH = 2000


class AlreadyAnsweredError(Exception):
    """This invitation's answers are already stored (or the round is no longer open)."""


@dataclass(frozen=True)
class OpenedRound:
    round_id: int
    invited: int


# ---------------------------------------------------------------- opening

# Opening this many invitations at once refreshes the statistics of the tables just
# written (PostgreSQL), so the link sender's first batches already get index plans.
_ANALYZE_AFTER = 1000


def _refresh_statistics(*models) -> None:
    """ANALYZE tables after a bulk insert, before autovacuum would (it waits for the
    commit and its next round): a planner that takes thousands of fresh rows for a
    handful joins them by scanning every user and round. Samples at most 30,000 rows
    a table, and sees this transaction's own rows."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def ensure_cadences() -> None:
    """Every team has a cadence (the defaults) without anyone having to create one."""
    missing = Team.objects.filter(survey_cadence__isnull=True).values_list("pk", flat=True)
    Cadence.objects.bulk_create(
        [Cadence(team_id=pk) for pk in missing], ignore_conflicts=True, batch_size=_BATCH
    )


@transaction.atomic
def open_due_rounds(*, now: datetime | None = None) -> list[OpenedRound]:
    """Open the round of every team whose period has started and has none yet.

    Exactly once per team and period: rounds are inserted with
    ``ignore_conflicts`` against the unique (team, period_start) constraint and
    tagged with this run's id; only rounds carrying this run's id get
    questions, counts and invitations. Bulk: a fixed number of queries
    whatever the number of teams and members.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    ensure_cadences()
    cadences = list(Cadence.objects.filter(is_active=True))
    due = {
        c.team_id: (c, schedule.round_period_start(today, c.every_weeks))
        for c in cadences
        if schedule.is_due(day=today, every_weeks=c.every_weeks, open_days=c.open_days)
    }
    if not due:
        return []
    run = uuid.uuid4()
    SurveyRound.objects.bulk_create(
        [
            SurveyRound(
                team_id=team_id,
                period_start=start,
                opened_at=now,
                closes_at=schedule.closes_at(now, cadence.open_days),
                minimum_group_size=cadence.minimum_group_size,
                minimum_comments=cadence.minimum_comments,
                include_comment=cadence.include_comment,
                opening_run=run,
            )
            for team_id, (cadence, start) in due.items()
        ],
        ignore_conflicts=True,
        batch_size=_BATCH,
    )
    rounds = list(SurveyRound.objects.filter(opening_run=run).select_related("team"))
    if not rounds:
        return []

    questions = list(Question.objects.filter(is_active=True))
    round_questions: list = []
    counts: list[AnswerCount] = []
    for survey_round in rounds:
        cadence = due[survey_round.team_id][0]
        for question in questions:
            if question.kind == Question.Kind.ENPS and not cadence.include_enps:
                continue
            round_questions.append(
                SurveyRound.questions.through(surveyround_id=survey_round.pk, question=question)
            )
            counts.extend(
                AnswerCount(round=survey_round, question=question, value=value)
                for value in question.values
            )
    SurveyRound.questions.through.objects.bulk_create(round_questions, batch_size=_BATCH)
    AnswerCount.objects.bulk_create(counts, batch_size=_BATCH)

    by_team = {r.team_id: r for r in rounds}
    members = Membership.objects.current(today).filter(team_id__in=by_team, user__is_active=True)
    invitations = [
        Invitation(round=by_team[team_id], user_id=user_id)
        for team_id, user_id in members.values_list("team_id", "user_id").distinct()
    ]
    Invitation.objects.bulk_create(invitations, ignore_conflicts=True, batch_size=_BATCH)
    if len(invitations) >= _ANALYZE_AFTER:
        _refresh_statistics(SurveyRound, Invitation)
    invited: dict[int, int] = {}
    for invitation in invitations:
        invited[invitation.round_id] = invited.get(invitation.round_id, 0) + 1
    # Each link is written when its email is sent: the queue holds no token.
    links.queue(
        links.INVITATION,
        Invitation.objects.filter(round__in=rounds).values_list("pk", "user__email"),
    )
    return [OpenedRound(r.pk, invited.get(r.pk, 0)) for r in rounds]


# ---------------------------------------------------------------- answering


def _validate_answers(
    survey_round: SurveyRound, questions: list[Question], answers: Mapping[int, int | None]
) -> dict[int, int]:
    errors, clean = {}, {}
    for question in questions:
        value = answers.get(question.pk)
        if value is None:
            if question.kind == Question.Kind.LIKERT:
                errors[f"q{question.pk}"] = "Choose an answer."
            continue
        if value not in question.values:
            errors[f"q{question.pk}"] = "Choose one of the offered answers."
            continue
        clean[question.pk] = value
    if errors:
        raise ValidationError(errors)
    return clean


def _count_answers(round_id: int, clean: Mapping[int, int]) -> None:
    """One more for each (question, value) chosen: one UPDATE of the round's counts.

    The same statement as ``AnswerCount.objects.filter(Q(question_id=…, value=…) | …,
    round=…).update(count=F("count") + 1)``, written once by hand: compiling that
    filter, a Q per question, cost more CPU than the rest of the answer together.
    Row values in ``IN (VALUES …)`` work on PostgreSQL and SQLite (3.15+).
    """
    quote = connection.ops.quote_name
    table = quote(AnswerCount._meta.db_table)
    count = quote("count")
    pairs = ", ".join(["(%s, %s)"] * len(clean))
    sql = (
        f"UPDATE {table} SET {count} = {count} + 1 "  # noqa: S608 - names from the model
        f"WHERE {quote('round_id')} = %s "
        f"AND ({quote('question_id')}, {quote('value')}) IN (VALUES {pairs})"
    )
    params: list[int] = [round_id]
    for question_id, value in clean.items():
        params += [question_id, value]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@transaction.atomic
def record_survey_answers(
    *,
    invitation: Invitation,
    answers: Mapping[int, int | None],
    comment: str = "",
    now: datetime | None = None,
    questions: list[Question] | None = None,
) -> None:
    """Add one person's answers to the round's counts and mark them as having answered.

    One transaction of a fixed number of queries whatever the team size. The
    caller may pass the round's questions it already read to build the form (a
    round's questions are fixed when it opens), so they are read once. Twice,
    from two tabs or concurrently, the conditional update lets exactly one
    through; the others get ``AlreadyAnsweredError``.
    """
    now = now or timezone.now()
    # Lock the round: closing (which totals the counts) waits for answers in flight.
    survey_round = SurveyRound.objects.select_for_update().get(pk=invitation.round_id)
    if survey_round.status != SurveyRound.Status.OPEN or survey_round.closes_at <= now:
        raise AlreadyAnsweredError("This round is closed.")
    if questions is None:
        questions = list(survey_round.questions.all())
    clean = _validate_answers(survey_round, questions, answers)
    comment = (comment or "").strip()
    if len(comment) > 2000:
        raise ValidationError({"comment": "Keep the comment under 2,000 characters."})
    claimed = Invitation.objects.filter(pk=invitation.pk, has_answered=False).update(
        has_answered=True
    )
    if claimed:
        # The links are spent: no hash that led to this person outlives the answer.
        InvitationLink.objects.filter(invitation=invitation).delete()
    if not claimed:
        raise AlreadyAnsweredError("You have already answered this round.")
    if clean:
        _count_answers(survey_round.pk, clean)
    if comment and survey_round.include_comment:
        Comment.objects.create(round=survey_round, text=comment)


# ---------------------------------------------------------------- reminders


@transaction.atomic
def send_due_reminders(*, now: datetime | None = None) -> int:
    """On day 3, one reminder to each person who has not answered, with a fresh link.

    The reminder's link replaces the invitation's (its email says so). An
    invitation email still waiting to go out is dropped: the reminder carries
    the link. Returns how many were reminded.
    """
    now = now or timezone.now()
    due = list(
        SurveyRound.objects.select_for_update(skip_locked=True)
        .filter(
            status=SurveyRound.Status.OPEN,
            reminder_sent_at__isnull=True,
            closes_at__gt=now,
            opened_at__lte=now - schedule.REMIND_AFTER,
        )
        .values_list("pk", flat=True)
    )
    if not due:
        return 0
    to_remind = list(
        Invitation.objects.filter(
            round_id__in=due, has_answered=False, reminded=False, user__is_active=True
        ).values_list("pk", "user__email")
    )
    ids = [pk for pk, _ in to_remind]
    Invitation.objects.filter(pk__in=ids).update(reminded=True)
    SurveyRound.objects.filter(pk__in=due).update(reminder_sent_at=now)
    links.cancel(links.INVITATION, ids)
    links.queue(links.REMINDER, to_remind)
    return len(to_remind)


# ---------------------------------------------------------------- closing


def _scrub(survey_round: SurveyRound) -> None:
    """Rewrite the round's rows so their physical order and row versions tell nothing.

    While a round is open, the order in which rows were written (SQLite rowid,
    PostgreSQL ctid and xmin) follows the order people answered in. At close,
    comments are re-inserted in random order with new random ids, and every
    count and invitation row of the round is rewritten in one statement.
    """
    comments = list(Comment.objects.filter(round=survey_round).values_list("text", flat=True))
    Comment.objects.filter(round=survey_round).delete()
    random.SystemRandom().shuffle(comments)
    Comment.objects.bulk_create([Comment(round=survey_round, text=text) for text in comments])
    AnswerCount.objects.filter(round=survey_round).update(count=F("count"))
    Invitation.objects.filter(round=survey_round).update(has_answered=F("has_answered"))


@transaction.atomic
def close_round(*, survey_round: SurveyRound, now: datetime | None = None) -> SurveyRound:
    """Close a round: total participation, scrub write order, push the feedback score."""
    now = now or timezone.now()
    survey_round = (
        SurveyRound.objects.select_for_update().select_related("team").get(pk=survey_round.pk)
    )
    if survey_round.status != SurveyRound.Status.OPEN:
        return survey_round
    totals = Invitation.objects.filter(round=survey_round).aggregate(
        invited=Count("pk"), answered=Count("pk", filter=Q(has_answered=True))
    )
    survey_round.invited_count = totals["invited"]
    survey_round.response_count = totals["answered"]
    survey_round.status = SurveyRound.Status.CLOSED
    survey_round.closed_at = now
    # No link outlives its round, and no link email goes out for a closed one.
    InvitationLink.objects.filter(invitation__round=survey_round).delete()
    invitation_ids = list(
        Invitation.objects.filter(round=survey_round).values_list("pk", flat=True)
    )
    for kind in links.KINDS:
        links.cancel(kind, invitation_ids)
    _scrub(survey_round)
    if aggregation.can_show(survey_round.response_count, survey_round.minimum_group_size):
        # Coarsened as every page shows it (aggregation.coarsened_total): the
        # score also reaches team health, its charts and its alerts.
        survey_round.feedback_score = selectors.feedback_score(survey_round)
    survey_round.full_clean()
    survey_round.save()
    if survey_round.feedback_score is not None:
        teamhealth_metrics.record_metric(
            team=survey_round.team,
            metric="feedback_score",
            day=survey_round.period_start,
            value=survey_round.feedback_score,
            source="survey",
            entered_via=f"survey round {survey_round.label}",
        )
    _push_summary(survey_round, selectors.round_results(survey_round), plan_published=False)
    return survey_round


def _push_summary(survey_round: SurveyRound, results, *, plan_published: bool) -> None:
    """Show the round on the team-health page; nothing for a round below its k."""
    if not results.shown or results.feedback_score is None:
        return
    teamhealth_metrics.record_survey_summary(
        team=survey_round.team,
        round_label=survey_round.label,
        closed_on=survey_round.closed_on,
        feedback_score=results.feedback_score,
        dimension_scores={label: d.score for label, d in results.dimensions if d.score is not None},
        top_concerns=[concern.text for concern in results.top_concerns],
        results_url=survey_round.get_absolute_url(),
        action_plan_status="published" if plan_published else "awaiting",
    )


def close_due_rounds(*, now: datetime | None = None) -> list[int]:
    """Close every open round past its deadline. Safe to run twice."""
    now = now or timezone.now()
    due = SurveyRound.objects.filter(status=SurveyRound.Status.OPEN, closes_at__lte=now)
    closed = []
    for survey_round in due.only("pk"):
        close_round(survey_round=survey_round, now=now)
        closed.append(survey_round.pk)
    return closed


# ---------------------------------------------------------------- publishing


@transaction.atomic
def publish_results(
    *,
    survey_round: SurveyRound,
    by: User | None = None,
    note: str = "",
    now: datetime | None = None,
) -> SurveyRound:
    """Share a closed round's results with its team and email them a link."""
    now = now or timezone.now()
    survey_round = (
        SurveyRound.objects.select_for_update().select_related("team").get(pk=survey_round.pk)
    )
    if survey_round.status == SurveyRound.Status.OPEN:
        raise ValidationError("A round's results can be published only after it closes.")
    if survey_round.status == SurveyRound.Status.PUBLISHED:
        return survey_round
    survey_round.status = SurveyRound.Status.PUBLISHED
    survey_round.published_at = now
    survey_round.published_by = by
    survey_round.publish_note = note.strip()
    survey_round.full_clean()
    survey_round.save()
    outbox.enqueue(emails.results_published(survey_round))
    return survey_round


def publish_due_results(*, now: datetime | None = None) -> list[int]:
    """48 hours after close, publish what the manager has not published yet."""
    now = now or timezone.now()
    due = SurveyRound.objects.filter(
        status=SurveyRound.Status.CLOSED, closed_at__lte=now - schedule.PUBLISH_AFTER
    )
    published = []
    for survey_round in due.only("pk"):
        publish_results(survey_round=survey_round, now=now)
        published.append(survey_round.pk)
    return published


# ---------------------------------------------------------------- action plan


@dataclass(frozen=True)
class ActionInput:
    question_id: int
    what: str
    owner: User
    due_on: date


@transaction.atomic
def save_action_plan(
    *,
    survey_round: SurveyRound,
    by: User,
    actions: list[ActionInput],
    now: datetime | None = None,
) -> ActionPlan:
    """Publish (or update) the action plan: one action per top concern, shown to the team."""
    now = now or timezone.now()
    survey_round = (
        SurveyRound.objects.select_for_update().select_related("team").get(pk=survey_round.pk)
    )
    if not survey_round.has_results:
        raise ValidationError("An action plan needs a closed round with results to act on.")
    results = selectors.round_results(survey_round)
    concerns = {c.question_id for c in results.top_concerns}
    given = {a.question_id for a in actions}
    if given != concerns:
        raise ValidationError("Write one action for each of the top concerns.")
    eligible = set(selectors.action_owners(survey_round.team).values_list("pk", flat=True))
    closed_on = survey_round.closed_on
    errors = {}
    for index, action in enumerate(actions):
        if not action.what.strip():
            errors[f"what_{index}"] = "Say what will be done."
        if action.owner.pk not in eligible:
            errors[f"owner_{index}"] = "The owner must be on the team or manage it."
        if action.due_on < closed_on:
            errors[f"due_on_{index}"] = "The due date cannot be before the round closed."
    if errors:
        raise ValidationError(errors)
    if survey_round.status == SurveyRound.Status.CLOSED:
        # The plan is for the team: publishing it publishes the results it answers.
        # One email (the plan's) tells the team about both.
        survey_round.status = SurveyRound.Status.PUBLISHED
        survey_round.published_at = now
        survey_round.published_by = by
        survey_round.save(update_fields=["status", "published_at", "published_by"])
    plan, created = ActionPlan.objects.get_or_create(
        round=survey_round, defaults={"published_at": now, "published_by": by}
    )
    # Each concern's action is updated in place: how far it got, and its
    # history, survive editing the plan.
    existing = {item.question_id: item for item in plan.items.all()}
    for index, action in enumerate(actions):
        item = existing.get(action.question_id) or ActionItem(
            plan=plan, question_id=action.question_id
        )
        item.what = action.what.strip()
        item.owner = action.owner
        item.due_on = action.due_on
        item.position = index
        item.full_clean(exclude=["plan"])
        item.save()
    if not created:
        plan.save(update_fields=["updated_at"])
    teamhealth_alerts.resolve_action_plan_overdue(
        team=survey_round.team, round_label=survey_round.label
    )
    _push_summary(survey_round, results, plan_published=True)
    outbox.enqueue(emails.action_plan_published(survey_round))
    return plan


@transaction.atomic
def set_action_status(
    *, item: ActionItem, status: str, by: User, now: datetime | None = None
) -> ActionItem:
    """Move an action to open, in progress or done, recording who and when.

    Its owner and whoever may act on the team (its managers, admins) may;
    ``selectors.may_update_action`` is the rule.
    """
    now = now or timezone.now()
    item = (
        ActionItem.objects.select_for_update(of=("self",))
        .select_related("plan__round__team")
        .get(pk=item.pk)
    )
    if status not in ActionItem.Status.values:
        raise ValidationError({"status": "Choose open, in progress or done."})
    if not selectors.may_update_action(by, item):
        raise ValidationError("Only the action's owner or the team's manager can change it.")
    if item.status == status:
        return item
    item.status = status
    item.save(update_fields=["status"])
    ActionStatusChange.objects.create(item=item, status=status, changed_by=by, changed_at=now)
    return item


@transaction.atomic
def flag_overdue_action_plans(*, now: datetime | None = None) -> list[int]:
    """An action plan overdue (``survey_summaries``: the day after it was due): raise a
    team-health alert, on the day the pages start saying "overdue".

    The alert emails the managers (and posts to Slack) through the team-health outbox.

    Only rounds with results have concerns to act on. Each round is flagged once.
    """
    now = now or timezone.now()
    last_overdue_close = survey_summaries.last_close_overdue_on(timezone.localdate(now))
    overdue = list(
        SurveyRound.objects.select_for_update(skip_locked=True)
        .select_related("team")
        .annotate(closed_day=TruncDate("closed_at"))
        .filter(
            status__in=[SurveyRound.Status.CLOSED, SurveyRound.Status.PUBLISHED],
            closed_day__lte=last_overdue_close,
            overdue_notified_at__isnull=True,
        )
        .exclude(Exists(ActionPlan.objects.filter(round=OuterRef("pk"))))
    )
    flagged = []
    for survey_round in overdue:
        if not survey_round.has_results:
            continue
        teamhealth_alerts.raise_action_plan_overdue(
            team=survey_round.team,
            round_label=survey_round.label,
            closed_on=survey_round.closed_on,
        )
        flagged.append(survey_round.pk)
    # The managers hear of it through the team-health alert (email and Slack,
    # through its reliable outbox), so there is no second email from here.
    SurveyRound.objects.filter(pk__in=flagged).update(overdue_notified_at=now)
    return flagged


def set_minimum_group_size(
    *, survey_round: SurveyRound, minimum_group_size: int, field: str = "minimum_group_size"
) -> None:
    """Raise an open round's k or comment threshold; never lower it, never below 3.

    Once a round is open its thresholds only go up, and after close they are
    locked. Locking only "once someone has answered" would make the admin form
    itself tell, while the round is open, whether anyone has answered yet.
    """
    if field not in ("minimum_group_size", "minimum_comments"):
        raise ValueError(field)
    if minimum_group_size < aggregation.MINIMUM_GROUP_SIZE_FLOOR:
        raise ValidationError({field: "A minimum group size is never below 3."})
    with transaction.atomic():
        locked = SurveyRound.objects.select_for_update().get(pk=survey_round.pk)
        if not locked.is_open:
            raise ValidationError(
                {field: "This round has closed: its minimum group size is locked."}
            )
        if minimum_group_size < getattr(locked, field):
            raise ValidationError(
                {field: "An open round's minimum group size can be raised, never lowered."}
            )
        SurveyRound.objects.filter(pk=locked.pk).update(**{field: minimum_group_size})
