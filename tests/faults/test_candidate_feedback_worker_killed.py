"""Feedback emails to candidates, sent from the loop page, the worker killed -9 halfway through."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import InterviewFactory, InterviewLoopFactory, UserFactory, submitted

from .product import client
from .scenarios import kill_mid_batch, lost_and_repeated

pytestmark = pytest.mark.django_db(transaction=True)


def test_every_candidate_gets_their_feedback_when_the_worker_dies_mid_batch(
    worker, smtp_fake, beat
):
    recruiter = UserFactory(roles=["Recruiter"], username="rita")
    loops = []
    for _ in range(6):
        loop = InterviewLoopFactory(recruiters=[recruiter])
        submitted(
            InterviewFactory(loop=loop),
            technical=Decimal(85),
            leadership=Decimal(60),
            culture=Decimal(75),
        )
        loops.append(loop)
    candidates = {loop.candidate.email for loop in loops}
    browser = client(recruiter)

    def send_all():
        for loop in loops:
            page = browser.post(
                reverse("hiring:loop_feedback", args=[loop.pk]),
                {"subject": "Your interviews", "body": f"Thank you, {loop.candidate.name}."},
            )
            assert page.status_code == 302, page.status_code

    kill_mid_batch(
        worker=worker,
        smtp_fake=smtp_fake,
        beat=beat,
        recipients=candidates,
        start=send_all,
    )

    problems = lost_and_repeated(smtp_fake, candidates)
    assert not problems, "; ".join(problems)
    assert {m.subject for m in smtp_fake.received} == {"Your interviews"}
