"""Concurrency on PostgreSQL: what luck cannot be trusted with."""

import importlib
import threading

import pytest
from django.db import connection, connections

from surveys import services, tokens
from surveys.models import AnswerCount, Cadence, Invitation, InvitationLink, SurveyRound
from tests.factories import team_with_members

from .conftest import links_from_outbox, open_round, token_of

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def seeded_questions(transactional_db):
    """Transactional tests flush every table after each test: put the question bank back."""
    from django.apps import apps

    module = importlib.import_module("surveys.migrations.0002_seed_questions")
    module.seed(apps, None)


def _race(count, work):
    """Run ``work`` in ``count`` threads released at the same instant; collect outcomes."""
    barrier = threading.Barrier(count)
    outcomes = []
    lock = threading.Lock()

    def run():
        try:
            barrier.wait()
            result = work()
        except Exception as exc:
            result = exc
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_ten_concurrent_submissions_with_one_token_store_one_set_of_answers(
    django_capture_on_commit_callbacks,
):
    team = team_with_members(5)
    with django_capture_on_commit_callbacks(execute=True):
        survey_round = open_round(team)
    token = token_of(next(iter(links_from_outbox().values())))
    answers = {q.pk: 4 for q in survey_round.questions.filter(kind="likert")}
    from surveys import selectors

    # Ten tabs opened the link before any of them submitted.
    invitation = selectors.invitation_for_token(token)

    def submit():
        services.record_survey_answers(invitation=invitation, answers=answers, comment="hi")
        return "stored"

    outcomes = _race(10, submit)
    assert outcomes.count("stored") == 1
    assert all(isinstance(o, services.AlreadyAnsweredError) for o in outcomes if o != "stored")
    assert sum(AnswerCount.objects.filter(round=survey_round).values_list("count", flat=True)) == 12
    assert survey_round.comments.count() == 1
    assert Invitation.objects.filter(round=survey_round, has_answered=True).count() == 1
    # The answer spent the link: its hash is gone.
    assert not InvitationLink.objects.filter(token_hash=tokens.hash_token(token)).exists()


def test_two_workers_opening_at_once_open_one_round_and_invite_each_person_once():
    team = team_with_members(4)
    Cadence.objects.create(team=team, open_days=14)
    outcomes = _race(2, services.open_due_rounds)
    assert not [o for o in outcomes if isinstance(o, Exception)]
    assert SurveyRound.objects.filter(team=team).count() == 1
    assert Invitation.objects.filter(round__team=team).count() == 4
    assert sorted(len(o) for o in outcomes) == [0, 1]


def test_closing_rewrites_every_row_of_the_round_in_one_transaction():
    """xmin (the writing transaction) of counts and invitations can no longer pair them up."""
    team = team_with_members(5)
    survey_round = open_round(team)
    for invitation in Invitation.objects.select_related("round").filter(round=survey_round):
        services.record_survey_answers(
            invitation=invitation,
            answers={q.pk: 2 for q in survey_round.questions.filter(kind="likert")},
        )
    services.close_round(survey_round=survey_round)
    assert AnswerCount.objects.filter(round=survey_round, value=2, count=5).count() == 12
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT xmin::text FROM surveys_answercount WHERE round_id = %s "
            "UNION SELECT DISTINCT xmin::text FROM surveys_invitation WHERE round_id = %s",
            [survey_round.pk, survey_round.pk],
        )
        assert len(cursor.fetchall()) == 1


def test_three_delivery_workers_at_once_email_each_person_exactly_once():
    from unittest import mock

    from django.core import mail

    from outbox import services as outbox

    # Opened without waking a sender: three workers then race for the messages.
    with mock.patch("outbox.wake.now"):
        survey_round = open_round(team_with_members(10))
    mail.outbox = []

    def send_all():
        return outbox.deliver_due(batch=4).sent

    outcomes = _race(3, send_all)
    assert not [o for o in outcomes if isinstance(o, Exception)]
    assert sum(outcomes) == 10
    recipients = [m.to[0] for m in mail.outbox]
    assert len(recipients) == len(set(recipients)) == 10
    hashes = set(
        InvitationLink.objects.filter(invitation__round=survey_round).values_list(
            "token_hash", flat=True
        )
    )
    assert {tokens.hash_token(token_of(link)) for link in links_from_outbox().values()} == hashes
