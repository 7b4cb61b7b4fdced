"""The demo data shows what the hiring pages are for, and loads twice harmlessly."""

import pytest
from django.core.management import call_command

from accounts.models import User
from hiring.models import ScorecardAmendment
from hiring.selectors import loops as loop_selectors

pytestmark = pytest.mark.django_db


def test_demo_has_an_amended_scorecard_and_hires_whose_outcome_is_due():
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)
    amendment = ScorecardAmendment.objects.get()
    assert amendment.changes[0][0] == "technical"
    recruiter = User.objects.get(username="recruiter")
    assert any(loop.outcome_due for loop in loop_selectors.loops_for(recruiter))


def test_demo_hiring_is_lived_in_every_loop_state_a_real_disagreement_and_rubrics():
    from hiring import rubrics
    from hiring.models import Candidate, InterviewLoop, LoopOutcome, ScoreBand
    from hiring.selectors.debrief import loop_debrief

    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)

    states = set(InterviewLoop.objects.values_list("status", flat=True))
    assert states == {"planning", "interviewing", "debrief", "decided"}
    names = list(Candidate.objects.values_list("name", flat=True))
    assert len(names) == len(set(names))  # one record per person
    assert not any(char.isdigit() for name in names for char in name)
    assert LoopOutcome.objects.filter(loop__candidate__name="Alejandro Rivera").exists()
    assert LoopOutcome.objects.values("cost").distinct().count() > 20
    assert LoopOutcome.objects.values("hours").distinct().count() > 10

    recruiter = User.objects.get(username="recruiter")
    debrief_loop = InterviewLoop.objects.get(status="debrief")
    debrief = loop_debrief(recruiter, debrief_loop.pk)
    assert debrief.disagreement.widest is not None
    assert debrief.disagreement.recommendations_split
    assert any(i.scorecard.starl_answers.all() for i in debrief.interviews)

    for role in {
        loop.role_profile for loop in InterviewLoop.objects.select_related("role_profile")
    }:
        for dimension in ("technical", "leadership", "culture"):
            bands = ScoreBand.objects.filter(role_profile=role, dimension=dimension)
            assert bands.exists()
            assert rubrics.coverage_problems([(b.low, b.high) for b in bands]) == []
