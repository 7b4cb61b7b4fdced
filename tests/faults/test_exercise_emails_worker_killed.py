"""Interview exercises emailed to candidates, the worker killed -9 halfway through the batch."""

import datetime as dt

import pytest
from django.utils import timezone

from hiring.models import ExerciseAssignment
from tests.factories import InterviewFactory, exercise

from .conftest import PERIODIC
from .scenarios import kill_mid_batch, lost_and_repeated

pytestmark = pytest.mark.django_db(transaction=True)


def test_every_candidate_gets_their_exercise_when_the_worker_dies_mid_batch(
    worker, smtp_fake, beat
):
    candidates = set()
    for _ in range(6):
        interview = InterviewFactory(scheduled_at=timezone.now() + dt.timedelta(hours=10))
        ExerciseAssignment.objects.create(interview=interview, exercise=exercise())
        candidates.add(interview.loop.candidate.email)

    kill_mid_batch(
        worker=worker,
        smtp_fake=smtp_fake,
        beat=beat,
        recipients=candidates,
        periodic=[PERIODIC["exercises"]],
    )

    problems = lost_and_repeated(smtp_fake, candidates)
    assert not problems, "; ".join(problems)
    assert {m.subject for m in smtp_fake.received} == {
        "Your interview exercise: Make the slow query fast"
    }
