"""Demo survey rounds for ``manage.py load_demo``: two past rounds per team.

The older round of each team is published with an action plan; the newer one
is published and still waits for its plan. Frontend Platform has only two
members, so its rounds stay hidden (below the minimum group size). The current
period has an open round that three colleagues of ``engineer`` have answered
and ``engineer`` has not, so the answer page can be tried.
"""

import datetime as dt
import random

from django.utils import timezone

from accounts.models import User
from teamhealth import periods
from teamhealth.models import Team

from . import schedule, selectors, services
from .models import Invitation, Question, SurveyRound

OPEN_ROUND_TEAM = "Backend Payments"
OPEN_ROUND_ANSWERED = ("priya", "tom", "lena")  # never "engineer": the demo login answers

COMMENTS = [
    "Planning meetings run long; a written agenda would help.",
    "Pairing sessions this sprint were great.",
    "I'd like clearer ownership of the on-call runbooks.",
    "Code reviews sometimes wait two days.",
    "Good sprint overall, thanks for shielding us from the reorg noise.",
]


def load_surveys(people: dict[str, User]) -> list[SurveyRound]:
    today = timezone.localdate()
    starts = periods.previous_periods(today, 3)[:-1]  # the two periods before this one
    rounds: list[SurveyRound] = []
    rng = random.Random(42)  # noqa: S311 - demo data, not security
    for index, start in enumerate(starts):
        opened_at = timezone.make_aware(dt.datetime.combine(start, dt.time(9)))
        if SurveyRound.objects.filter(period_start=start).exists():
            rounds.extend(SurveyRound.objects.filter(period_start=start))
            continue
        services.open_due_rounds(now=opened_at)
        for survey_round in SurveyRound.objects.filter(period_start=start).select_related("team"):
            _answer(survey_round, rng, opened_at, better=index > 0)
            closed = services.close_round(survey_round=survey_round, now=survey_round.closes_at)
            services.publish_results(
                survey_round=closed,
                by=closed.team.managers.first(),
                note="Thanks for answering. Let's go through this at Thursday's retro.",
                now=closed.closes_at + dt.timedelta(hours=20),
            )
            if index == 0 and closed.has_results:
                _plan(closed, closed.team)
            rounds.append(closed)
    current = _open_current_round()
    if current is not None:
        rounds.append(current)
    # The last closed round has no action plan yet and is more than 7 days past
    # close: raise its team-health alert, as the nightly task would.
    services.flag_overdue_action_plans()
    return rounds


def _open_current_round() -> SurveyRound | None:
    """An open round of the current period for Backend Payments, to answer as ``engineer``.

    Opened at 09:00 on the period's first day (or now, if that is earlier) and
    kept open for at least three more days, whatever day of the period the demo
    is loaded on. Run again, it finds the round and changes nothing.
    """
    team = Team.objects.filter(name=OPEN_ROUND_TEAM).first()
    if team is None:
        return None
    now = timezone.now()
    start = schedule.round_period_start(timezone.localdate(now))
    existing = SurveyRound.objects.filter(team=team, period_start=start).first()
    if existing is not None:
        return existing
    opened_at = min(now, timezone.make_aware(dt.datetime.combine(start, dt.time(9))))
    services.open_due_rounds(now=opened_at)
    survey_round = SurveyRound.objects.filter(team=team, period_start=start).first()
    if survey_round is None:  # the team's cadence is switched off
        return None
    # Demo only: stretch the deadlines of the period's rounds so they are open today.
    closes_at = max(survey_round.closes_at, now + dt.timedelta(days=3))
    SurveyRound.objects.filter(period_start=start, status=SurveyRound.Status.OPEN).update(
        closes_at=closes_at
    )
    survey_round.closes_at = closes_at
    rng = random.Random(7)  # noqa: S311 - demo data, not security
    answering = Invitation.objects.select_related("round").filter(
        round=survey_round, user__username__in=OPEN_ROUND_ANSWERED
    )
    for number, invitation in enumerate(answering):
        services.record_survey_answers(
            invitation=invitation,
            answers={
                q.pk: rng.randint(2, 5) if q.kind == Question.Kind.LIKERT else rng.randint(6, 10)
                for q in survey_round.questions.all()
            },
            comment=COMMENTS[number] if number < 2 else "",
            now=opened_at + dt.timedelta(minutes=5),
        )
    return survey_round


def _answer(survey_round, rng, opened_at, *, better: bool) -> None:
    questions = list(survey_round.questions.all())
    invitations = list(Invitation.objects.select_related("round").filter(round=survey_round))
    answering = invitations[: max(len(invitations) - 1, 1)]  # one person never answers
    for number, invitation in enumerate(answering):
        answers = {}
        for question in questions:
            if question.kind == Question.Kind.ENPS:
                answers[question.pk] = rng.randint(5, 10)
            else:
                low = 2 if better or question.dimension != "manager_support" else 1
                answers[question.pk] = rng.randint(low, 5)
        services.record_survey_answers(
            invitation=invitation,
            answers=answers,
            comment=COMMENTS[number % len(COMMENTS)],
            now=opened_at + dt.timedelta(hours=number + 1),
        )


def _plan(survey_round, team: Team) -> None:
    manager = team.managers.first()
    if manager is None:  # every demo team has one
        return
    results = selectors.round_results(survey_round)
    closed_on = timezone.localdate(survey_round.closed_at)
    whats = [
        "Agree sprint priorities in writing at planning, visible on the board",
        "Weekly 1:1 slot with written, specific feedback on one piece of work",
        "Rotate review duty daily so no review waits more than a day",
    ]
    services.save_action_plan(
        survey_round=survey_round,
        by=manager,
        actions=[
            services.ActionInput(
                question_id=concern.question_id,
                what=whats[i % len(whats)],
                owner=manager,
                due_on=closed_on + dt.timedelta(days=14),
            )
            for i, concern in enumerate(results.top_concerns)
        ],
        now=survey_round.closed_at + dt.timedelta(days=3),
    )
