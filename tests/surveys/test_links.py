"""Survey links are emailed in bounded batches, one SMTP connection per batch, to a local
SMTP server (nothing leaves the machine); a refused email leaves that person pending."""

import datetime as dt
import socket

import pytest
from aiosmtpd.controller import Controller
from django.core import mail

from surveys import services, tasks, tokens
from surveys.models import Invitation
from tests.factories import MembershipFactory, UserFactory, team_with_members

from .conftest import open_round, token_of

pytestmark = pytest.mark.django_db


class LocalSmtp:
    """Accepts every message except those to ``refuse``; notes each connection's peer."""

    def __init__(self):
        self.refuse: set[str] = set()
        self.received: list[tuple[tuple, str, str]] = []  # (peer, recipient, body)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        for recipient in envelope.rcpt_tos:
            self.received.append((session.peer, recipient, envelope.content.decode()))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(settings):
    handler = LocalSmtp()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS, settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = False, "", ""
    yield handler
    controller.stop()


def _link(body: str) -> str:
    return next(line.strip() for line in body.splitlines() if "/surveys/a/" in line)


def test_opening_queues_the_link_sender_with_no_arguments(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        open_round(team_with_members(3))
    # Nothing but the task itself: no token, no id, reaches the broker.
    assert callbacks == [tasks.send_pending_links.delay]
    assert mail.outbox == []
    assert not Invitation.objects.filter(link_sent=True).exists()


def test_links_go_out_in_bounded_batches_one_smtp_connection_each(
    smtp, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "LINK_BATCH", 3)
    with django_capture_on_commit_callbacks(execute=True):
        survey_round = open_round(team_with_members(7))
    assert len(smtp.received) == 7
    assert len({peer for peer, _, _ in smtp.received}) == 3  # batches of 3, 3 and 1
    assert len({recipient for _, recipient, _ in smtp.received}) == 7
    hashes = set(Invitation.objects.filter(round=survey_round).values_list("token_hash", flat=True))
    for _, _, body in smtp.received:
        assert tokens.hash_token(token_of(_link(body))) in hashes
    assert Invitation.objects.filter(round=survey_round, link_sent=False).count() == 0
    # Delivered again, the task sends nothing more.
    tasks.send_pending_links.apply().get()
    assert len(smtp.received) == 7


def test_a_refused_email_leaves_that_person_pending_and_a_later_run_sends_a_working_link(
    smtp, django_capture_on_commit_callbacks
):
    team = team_with_members(4)
    MembershipFactory(team=team, user=UserFactory(email="full@example.com"))
    smtp.refuse = {"full@example.com"}
    with django_capture_on_commit_callbacks(execute=True):
        survey_round = open_round(team)
    assert sorted(r for _, r, _ in smtp.received) == sorted(
        team.memberships.exclude(user__email="full@example.com").values_list(
            "user__email", flat=True
        )
    )
    refused = Invitation.objects.get(round=survey_round, user__email="full@example.com")
    assert not refused.link_sent
    placeholder = refused.token_hash

    smtp.refuse = set()
    tasks.send_pending_links.apply().get()
    assert len(smtp.received) == 5
    refused.refresh_from_db()
    assert refused.link_sent
    assert refused.token_hash != placeholder
    (_, recipient, body), *_ = smtp.received[4:]
    assert recipient == "full@example.com"
    assert refused.token_hash == tokens.hash_token(token_of(_link(body)))


def test_an_unreachable_mail_server_stores_no_new_link(settings):
    survey_round = open_round(team_with_members(3))
    before = dict(Invitation.objects.filter(round=survey_round).values_list("pk", "token_hash"))
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", _free_port(), 2
    with pytest.raises(ConnectionRefusedError):  # the task retries OSError with backoff
        services.send_pending_links()
    after = dict(Invitation.objects.filter(round=survey_round).values_list("pk", "token_hash"))
    assert after == before
    assert not Invitation.objects.filter(link_sent=True).exists()


def test_sending_links_takes_a_fixed_number_of_queries_per_batch(django_assert_num_queries):
    open_round(team_with_members(3))
    with django_assert_num_queries(4):  # savepoint, select for update, bulk update, release
        assert services.send_pending_links().sent == 3
    open_round(team_with_members(12))
    with django_assert_num_queries(4):
        assert services.send_pending_links().sent == 12


def test_no_task_logs_how_many_people_of_an_open_round_were_reminded_or_emailed(
    caplog, monday_morning, django_capture_on_commit_callbacks
):
    # Reminders go to those who have not answered yet: their number is the open
    # round's participation, which nothing may show while the round is open.
    survey_round = open_round(team_with_members(6), now=monday_morning)
    for invitation in Invitation.objects.filter(round=survey_round).select_related("round")[:2]:
        services.record_survey_answers(
            invitation=invitation,
            answers={q.pk: 4 for q in survey_round.questions.filter(kind="likert")},
            now=monday_morning,
        )
    with caplog.at_level("DEBUG"), django_capture_on_commit_callbacks(execute=True):
        Invitation.objects.filter(round=survey_round).update(link_sent=True)
        assert services.send_due_reminders(now=monday_morning + dt.timedelta(days=2)) == 4
        assert tasks.send_due_reminders.apply().get() is None
        assert tasks.send_pending_links.apply().get() is None
    assert len(mail.outbox) == 4
    finished = [r.getMessage() for r in caplog.records if "succeeded" in r.getMessage()]
    assert finished
    assert all(message.endswith(": None") for message in finished)
