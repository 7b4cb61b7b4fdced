import datetime as dt

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import User
from hiring.models import (
    Candidate,
    Interview,
    InterviewLoop,
    InterviewMethod,
    RoleProfile,
    Scorecard,
)
from teamhealth.models import Membership, Team


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("pw-for-tests")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*(Group.objects.get_or_create(name=str(r))[0] for r in extracted))


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Team {n}")

    @factory.post_generation
    def managers(self, create, extracted, **kwargs):
        if create and extracted:
            self.managers.add(*extracted)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    team = factory.SubFactory(TeamFactory)
    user = factory.SubFactory(UserFactory)
    joined_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=100))


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"candidate{n}@example.com")
    created_by = factory.SubFactory(UserFactory, roles=["Recruiter"])


def default_profile() -> RoleProfile:
    # get_or_create: transactional tests flush the rows the seed migration made.
    return RoleProfile.objects.get_or_create(
        name="default",
        defaults={
            "title": "Software Engineer",
            "weight_technical": "0.45",
            "weight_leadership": "0.35",
            "weight_culture": "0.20",
            "min_technical": 70,
            "min_leadership": 65,
            "min_culture": 60,
        },
    )[0]


class InterviewLoopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InterviewLoop
        skip_postgeneration_save = True

    candidate = factory.SubFactory(CandidateFactory)
    role_profile = factory.LazyFunction(default_profile)
    method = InterviewMethod.STARL
    status = InterviewLoop.Status.INTERVIEWING

    @factory.post_generation
    def recruiters(self, create, extracted, **kwargs):
        if create and extracted:
            self.recruiters.add(*extracted)


class InterviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interview
        skip_postgeneration_save = True

    loop = factory.SubFactory(InterviewLoopFactory)
    interviewer = factory.SubFactory(UserFactory, roles=["Interviewer"])
    title = "Technical interview"
    scheduled_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=2))
    assesses_technical = True
    assesses_leadership = True
    assesses_culture = True
    scorecard = factory.RelatedFactory("tests.factories.ScorecardFactory", "interview")


class ScorecardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scorecard
        django_get_or_create = ("interview",)

    interview = factory.SubFactory(InterviewFactory, scorecard=None)


def submitted(interview: Interview, **scores) -> Scorecard:
    """Mark an interview's scorecard submitted with the given scores."""
    card = interview.scorecard
    for dimension, value in scores.items():
        setattr(card, dimension, value)
    card.recommendation = "yes"
    card.status = Scorecard.Status.SUBMITTED
    card.submitted_at = timezone.now()
    card.save()
    return card


def team_with_members(size: int, *, manager=None, name=None) -> Team:
    """A team with ``size`` current engineer members (and ``manager`` managing it)."""
    team = TeamFactory(**({"name": name} if name else {}))
    if manager is not None:
        team.managers.add(manager)
    for _ in range(size):
        MembershipFactory(team=team, user=UserFactory(roles=["Engineer"]))
    return team


def metric_series(team, metric: str, values, *, today=None, source="manual"):
    """Record ``values`` for ``team`` over consecutive periods ending with today's, oldest first."""
    from decimal import Decimal

    from teamhealth import periods
    from teamhealth.models import MetricValue

    today = today or timezone.localdate()
    starts = periods.previous_periods(today, len(values))
    MetricValue.objects.bulk_create(
        MetricValue(
            team=team, metric=metric, period_start=start, value=Decimal(str(v)), source=source
        )
        for start, v in zip(starts, values, strict=True)
    )


# --- STAR-L, exercises, outcomes ----------------------------------------------


def starl_question(text: str = "Tell me about a time you led a change.", dimension="leadership"):
    from hiring.models import StarlQuestion

    return StarlQuestion.objects.get_or_create(text=text, defaults={"dimension": dimension})[0]


def starl_answer(scorecard, ratings=(3, 3, 3, 3, 3), question=None, learning=True, position=0):
    """A saved STAR-L answer; a None rating leaves that part without a rating."""
    from hiring.models import StarlAnswer

    parts = ("situation", "task", "action", "result", "learning")
    values = {}
    for part, rating in zip(parts, ratings, strict=True):
        text = f"{part} evidence" if (part != "learning" or learning) else ""
        values[f"{part}_text"] = text
        values[f"{part}_rating"] = rating if text else None
    return StarlAnswer.objects.create(
        scorecard=scorecard, question=question or starl_question(), position=position, **values
    )


def exercise(title="Make the slow query fast"):
    from hiring.models import Exercise

    return Exercise.objects.get_or_create(
        title=title,
        defaults={"prompt": "Make it run under 200 ms.", "stack": "Django", "target": "< 200 ms"},
    )[0]


def decided(loop, *, offer=True, accepted=True, outcome="", hours="5", cost="100", by=None):
    from hiring.models import LoopOutcome

    return LoopOutcome.objects.create(
        loop=loop,
        decision="offer" if offer else "no_offer",
        offer_accepted=accepted if offer else None,
        hours=hours,
        cost=cost,
        decided_at=timezone.now() - dt.timedelta(days=200),
        decided_by=by or UserFactory(roles=["Recruiter"]),
        start_date=timezone.localdate() - dt.timedelta(days=190) if offer and accepted else None,
        six_month_outcome=outcome,
        outcome_recorded_at=timezone.now() if outcome else None,
    )
