"""6-month outcome reminders to recruiters, the worker killed -9 halfway through the batch."""

import pytest

from tests.factories import InterviewFactory, UserFactory, decided

from .conftest import PERIODIC
from .scenarios import kill_mid_batch, lost_and_repeated

pytestmark = pytest.mark.django_db(transaction=True)


def test_every_recruiter_gets_the_outcome_reminder_when_the_worker_dies_mid_batch(
    worker, smtp_fake, beat
):
    recruiters = set()
    for _ in range(6):
        recruiter = UserFactory(roles=["Recruiter"])
        interview = InterviewFactory(loop__recruiters=[recruiter])
        decided(interview.loop, accepted=True)  # started 190 days ago
        recruiters.add(recruiter.email)

    kill_mid_batch(
        worker=worker,
        smtp_fake=smtp_fake,
        beat=beat,
        recipients=recruiters,
        periodic=[PERIODIC["outcome_reminders"]],
    )

    problems = lost_and_repeated(smtp_fake, recruiters)
    assert not problems, "; ".join(problems)
    assert all(m.subject.startswith("6-month outcome due: ") for m in smtp_fake.received)
