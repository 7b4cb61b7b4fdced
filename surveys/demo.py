"""Demo survey rounds for ``manage.py load_demo``: half a year of rounds for several teams.

Every demo team has twelve two-weekly rounds behind it (about six months),
published, each with an action plan whose actions are open, in progress or
done, so the survey overview's heatmap, the trends and the plans look lived
in. Answers go through ``services.record_survey_answers`` like everyone
else's: counts per question and value, nothing linking an answer to a person.
Mobile Apps had a holiday round that only three people answered: a gap in its
trend, "fewer than 5 answers". Backend Payments' score slides (the team-health
story) and its latest plan is overdue; the current period has an open round
that three colleagues of ``engineer`` have answered and ``engineer`` has not,
so the answer page can be tried.
"""

import datetime as dt
import random

from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from teamhealth import periods
from teamhealth.models import Membership, Team

from . import schedule, selectors, services
from .models import ActionItem, Invitation, Question, SurveyRound

OPEN_ROUND_TEAM = "Backend Payments"
OPEN_ROUND_ANSWERED = ("priya", "tom", "lena")  # never "engineer": the demo login answers
ROUNDS = 12

COMMENTS = [
    "Planning meetings run long; a written agenda would help.",
    "Pairing sessions this sprint were great.",
    "I'd like clearer ownership of the on-call runbooks.",
    "Code reviews sometimes wait two days.",
    "Good sprint overall, thanks for shielding us from the reorg noise.",
    "The roadmap changed twice this month and nobody said why.",
    "More time for tech debt, please.",
    "Demo day was fun, let's keep doing it.",
]

# Teams the survey demo adds beside the team-health demo's, with their manager
# and members (created here, unable to log in), and colleagues it adds to the
# team-health demo's small team so its rounds can reach the minimum group size.
SURVEY_TEAMS: dict[str, tuple[str, list[str]]] = {
    "Frontend Platform": ("raj", ["zoe", "felix", "ines", "marco"]),
    "Data Platform": ("hana", ["arjun", "bea", "chen", "dmitri", "elif", "farah"]),
    "Mobile Apps": ("leo", ["gus", "hiro", "ivy", "jonas", "kemi", "yusuf"]),
    "Infrastructure": ("raj", ["luca", "mina", "nils", "olga", "pavel", "quinn", "rosa"]),
    "Payments Risk": ("manager", ["sven", "tara", "umar", "vera", "wes", "xena"]),
    "Site Reliability": ("raj", ["aiko", "bram", "cyra", "dario", "emre", "fenna"]),
}
NEW_PEOPLE = {
    "hana": ("Hana", "Kobayashi", Role.MANAGER),
    "leo": ("Leo", "Martins", Role.MANAGER),
}
# The feedback score each team drifts towards, oldest round first (roughly).
TARGETS = {
    "Backend Payments": [73, 75, 72, 71, 70, 71, 69, 68, 66, 64, 62, 60],
    "Frontend Platform": [58, 60, 61, 63, 62, 65, 67, 68, 70, 71, 73, 74],
    "Data Platform": [80, 79, 81, 82, 80, 83, 84, 82, 85, 84, 86, 85],
    "Mobile Apps": [66, 64, 62, 60, 61, 63, 62, 65, 66, 68, 69, 70],
    "Infrastructure": [55, 57, 56, 59, 60, 58, 61, 63, 64, 62, 65, 67],
    "Payments Risk": [70, 72, 71, 74, 73, 75, 74, 76, 75, 77, 78, 76],
    "Site Reliability": [64, 62, 63, 60, 61, 63, 66, 67, 69, 70, 72, 73],
}
HOLIDAY = ("Mobile Apps", 6)  # the round only three people answered
# Dimensions each team scores lower or higher on, so the heatmap has a shape.
LEANINGS = {
    "Backend Payments": {"manager_support": -0.5, "role_clarity": -0.2},
    "Frontend Platform": {"growth": -0.6, "team_dynamics": 0.3},
    "Data Platform": {"role_clarity": 0.3, "growth": -0.3},
    "Mobile Apps": {"team_dynamics": -0.5},
    "Infrastructure": {"manager_support": 0.4, "role_clarity": -0.6},
    "Payments Risk": {"growth": 0.3, "team_dynamics": -0.2},
    "Site Reliability": {"manager_support": 0.2, "growth": -0.4},
}
ACTIONS = [
    "Agree sprint priorities in writing at planning, visible on the board",
    "Weekly 1:1 slot with written, specific feedback on one piece of work",
    "Rotate review duty daily so no review waits more than a day",
    "Publish a growth ladder and map each person's next step in 1:1s",
    "Retro action owners report back at the next retro",
    "Block Friday afternoons for learning and tech debt",
]


def load_survey_teams(people: dict[str, User]) -> dict[str, Team]:
    """The survey demo's teams and colleagues. Run again, it finds them and adds nothing."""
    today = timezone.localdate()
    for username, (first, last, role) in NEW_PEOPLE.items():
        people[username] = _person(username, first, last, role)
    teams = {}
    for index, (name, (manager, members)) in enumerate(SURVEY_TEAMS.items()):
        team, _ = Team.objects.get_or_create(name=name)
        team.managers.add(people[manager])
        for offset, username in enumerate(members):
            user = people.get(username) or _person(
                username, username.capitalize(), "Demo", Role.ENGINEER
            )
            Membership.objects.get_or_create(
                team=team,
                user=user,
                left_on=None,
                defaults={"joined_on": today - dt.timedelta(days=300 + 11 * offset + 5 * index)},
            )
        teams[name] = team
    return teams


def _person(username: str, first: str, last: str, role: Role) -> User:
    from django.contrib.auth.models import Group

    user, created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": first, "last_name": last, "email": f"{username}@keel.example"},
    )
    if created:
        user.set_unusable_password()
        user.save()
    user.groups.add(Group.objects.get_or_create(name=str(role))[0])
    return user


def load_surveys(people: dict[str, User]) -> list[SurveyRound]:
    """Twelve published rounds per team with their plans, then the current open round."""
    today = timezone.localdate()
    starts = periods.previous_periods(today, ROUNDS + 1)[:-1]  # the periods before this one
    rounds: list[SurveyRound] = []
    rng = random.Random(42)  # noqa: S311 - demo data, not security
    for index, start in enumerate(starts):
        opened_at = timezone.make_aware(dt.datetime.combine(start, dt.time(9)))
        if SurveyRound.objects.filter(period_start=start).exists():
            rounds.extend(SurveyRound.objects.filter(period_start=start))
            continue
        services.open_due_rounds(now=opened_at)
        for survey_round in SurveyRound.objects.filter(period_start=start).select_related("team"):
            _answer(survey_round, rng, opened_at, index)
            closed = services.close_round(survey_round=survey_round, now=survey_round.closes_at)
            services.publish_results(
                survey_round=closed,
                by=closed.team.managers.first(),
                note="Thanks for answering. Let's go through this at Thursday's retro.",
                now=closed.closes_at + dt.timedelta(hours=20),
            )
            latest = index == len(starts) - 1
            if closed.has_results and not (latest and closed.team.name == OPEN_ROUND_TEAM):
                _plan(closed, rng, age=len(starts) - 1 - index)
            rounds.append(closed)
    current = _open_current_round()
    if current is not None:
        rounds.append(current)
    # Backend Payments' last closed round has no action plan yet and is more
    # than 7 days past close: raise its team-health alert, as the nightly task would.
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


def _answer(survey_round, rng, opened_at, index: int) -> None:
    """Answers drifting towards the team's target score, with its leanings per dimension."""
    name = survey_round.team.name
    target = TARGETS.get(name, [70] * ROUNDS)[index % ROUNDS]
    leanings = LEANINGS.get(name, {})
    questions = list(survey_round.questions.all())
    invitations = list(Invitation.objects.select_related("round").filter(round=survey_round))
    if (name, index) == HOLIDAY:
        answering = invitations[:3]
    elif index % 4 == 1:
        answering = invitations  # everyone answered: the pages coarsen the ends
    else:
        answering = invitations[: len(invitations) - 1]  # one person did not answer
    mean = 1 + target / 25
    for number, invitation in enumerate(answering):
        answers = {}
        for question in questions:
            if question.kind == Question.Kind.ENPS:
                answers[question.pk] = min(10, max(0, round(rng.gauss(mean * 2, 1.6))))
            else:
                wanted = mean + leanings.get(question.dimension, 0) + rng.gauss(0, 0.8)
                answers[question.pk] = min(5, max(1, round(wanted)))
        services.record_survey_answers(
            invitation=invitation,
            answers=answers,
            comment=COMMENTS[(number + index) % len(COMMENTS)] if (number + index) % 7 else "",
            now=opened_at + dt.timedelta(hours=number + 1),
        )


def _plan(survey_round, rng, *, age: int) -> None:
    """An action per top concern; older plans are further along (done, in progress, open)."""
    team = survey_round.team
    manager = team.managers.first()
    if manager is None:  # every demo team has one
        return
    members = list(selectors.action_owners(team))
    results = selectors.round_results(survey_round)
    closed_on = timezone.localdate(survey_round.closed_at)
    published_at = survey_round.closed_at + dt.timedelta(days=3)
    services.save_action_plan(
        survey_round=survey_round,
        by=manager,
        actions=[
            services.ActionInput(
                question_id=concern.question_id,
                what=ACTIONS[(i + age) % len(ACTIONS)],
                owner=manager if i == 0 else rng.choice(members),
                due_on=closed_on + dt.timedelta(days=14 + 7 * i),
            )
            for i, concern in enumerate(results.top_concerns)
        ],
        now=published_at,
    )
    items = ActionItem.objects.filter(plan__round=survey_round).select_related("owner")
    for i, item in enumerate(items):
        # The latest plan: all open but one started; older ones mostly done.
        steps = ["in_progress"] if age == 0 and i == 0 else []
        if age >= 1:
            steps = ["in_progress"] if (age == 1 and i) or (age + i) % 5 == 4 else []
            steps += ["done"] if age >= 2 and (age + i) % 5 != 4 else []
        for step, status in enumerate(steps, start=1):
            services.set_action_status(
                item=item,
                status=status,
                by=item.owner,
                now=min(published_at + dt.timedelta(days=4 * step), timezone.now()),
            )
