"""Demo survey rounds for ``manage.py load_demo``: two past rounds per team.

The older round of each team is published with an action plan; the newer one
is published and still waits for its plan. Frontend Platform has only two
members, so its rounds stay hidden (below the minimum group size).
"""

import datetime as dt
import random

from django.utils import timezone

from teamhealth import periods
from teamhealth.models import Team

from . import selectors, services
from .models import Invitation, Question, SurveyRound

COMMENTS = [
    "Planning meetings run long; a written agenda would help.",
    "Pairing sessions this sprint were great.",
    "I'd like clearer ownership of the on-call runbooks.",
    "Code reviews sometimes wait two days.",
    "Good sprint overall, thanks for shielding us from the reorg noise.",
]


def load_surveys(people) -> list[SurveyRound]:
    today = timezone.localdate()
    starts = periods.previous_periods(today, 3)[:-1]  # the two periods before this one
    rounds = []
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
    return rounds


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
