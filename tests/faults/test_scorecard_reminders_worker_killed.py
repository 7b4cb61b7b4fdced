"""Scorecard reminders to interviewers, the worker killed -9 halfway through the batch."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import InterviewFactory

from .conftest import PERIODIC
from .scenarios import kill_mid_batch, lost_and_repeated

pytestmark = pytest.mark.django_db(transaction=True)


def test_every_interviewer_gets_their_reminder_when_the_worker_dies_mid_batch(
    worker, smtp_fake, beat
):
    interviewers = {
        InterviewFactory(scheduled_at=timezone.now() - dt.timedelta(hours=25)).interviewer.email
        for _ in range(6)
    }

    kill_mid_batch(
        worker=worker,
        smtp_fake=smtp_fake,
        beat=beat,
        recipients=interviewers,
        periodic=[PERIODIC["scorecard_reminders"]],
    )

    problems = lost_and_repeated(smtp_fake, interviewers)
    assert not problems, "; ".join(problems)
    assert all(m.subject.startswith("Reminder: scorecard for ") for m in smtp_fake.received)
