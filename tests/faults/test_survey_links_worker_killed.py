"""Survey links of a 30-person team, the worker killed -9 halfway through sending them.

Everyone gets their link, nobody gets more than one extra email, and every
link in every email that arrived opens the survey: a link someone received
must not be dead because the batch it went out in was interrupted.
"""

import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from surveys import services
from surveys.models import Cadence
from tests.factories import team_with_members

from .product import open_survey_link, survey_links
from .scenarios import kill_mid_batch, lost_and_repeated

pytestmark = pytest.mark.django_db(transaction=True)

TEAM_SIZE = 30


def test_every_member_gets_a_working_link_when_the_worker_dies_mid_batch(worker, smtp_fake, beat):
    # Transactional tests flush the question bank the migrations seeded: put it back.
    importlib.import_module("surveys.migrations.0002_seed_questions").seed(apps, None)
    team = team_with_members(TEAM_SIZE, name="Backend Payments")
    Cadence.objects.create(team=team, open_days=14)
    members = set(team.memberships.values_list("user__email", flat=True))
    assert len(members) == TEAM_SIZE

    kill_mid_batch(
        worker=worker,
        smtp_fake=smtp_fake,
        beat=beat,
        recipients=members,
        start=lambda: services.open_due_rounds(now=timezone.now()),
        seconds_per_message=0.3,
        killed_after=8,
    )

    problems = lost_and_repeated(smtp_fake, members)
    dead = []
    for message in smtp_fake.received:
        links = survey_links(message.body)
        if len(links) != 1:
            problems.append(f"{len(links)} survey links in the email to {message.to[0]}")
        for link in links:
            status, form, invalid = open_survey_link(link)
            if status != 200 or not form or invalid:
                dead.append(message.to[0])
    if dead:
        problems.append(f"{len(dead)} received links do not open the survey (sent to {dead[:3]}…)")
    assert not problems, "; ".join(problems)
    assert {m.subject for m in smtp_fake.received} == {
        "[Backend Payments] Your anonymous team survey is open"
    }
