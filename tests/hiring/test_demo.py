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
