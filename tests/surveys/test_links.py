"""Survey links go through the outbox: minted at send time, stored only as a hash,
and every link anyone received works until they answer (or the reminder replaces it).
A local SMTP server stands in for the mail server: nothing leaves the machine."""

import datetime as dt

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from outbox import services as outbox
from outbox.models import Message
from surveys import services, tasks, tokens
from surveys.models import Invitation, InvitationLink
from tests.factories import MembershipFactory, UserFactory, team_with_members
from tests.outbox.conftest import free_port, smtp  # noqa: F401 - the fixture

from .conftest import answer, open_round, token_of

pytestmark = pytest.mark.django_db


def _link(body: str) -> str:
    return next(line.strip() for line in body.splitlines() if "/surveys/a/" in line)


def _opens_the_form(link: str) -> bool:
    client = Client()
    page = client.get(link.removeprefix("http://testserver"), follow=True)
    return (
        page.status_code == 200
        and b"<form" in page.content
        and b"does not work" not in (page.content)
    )


def test_opening_queues_one_message_per_person_with_no_token_anywhere(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as callbacks:
        survey_round = open_round(team_with_members(3))
    # The wake-up names a task and nothing else: no token, no id reaches the broker.
    assert [(c.func.__name__, c.args) for c in callbacks] == [
        ("now", ("outbox.tasks.deliver_due",))
    ]
    queued = Message.objects.filter(kind="surveys.invitation")
    assert queued.count() == 3
    assert set(queued.values_list("subject", "body", "rendered_at_send")) == {("", "", True)}
    assert not InvitationLink.objects.filter(invitation__round=survey_round).exists()
    assert mail.outbox == []


def test_each_email_carries_a_link_whose_hash_was_stored_before_it_left(
    smtp,  # noqa: F811
    monkeypatch,
):
    survey_round = open_round(team_with_members(7))
    stored_when_sent = []
    real_send = outbox.transports.Mailer.send

    def send(self, **kwargs):
        stored_when_sent.append(
            InvitationLink.objects.filter(
                token_hash=tokens.hash_token(token_of(_link(kwargs["body"])))
            ).exists()
        )
        return real_send(self, **kwargs)

    monkeypatch.setattr(outbox.transports.Mailer, "send", send)
    assert outbox.deliver_due().sent == 7
    monkeypatch.undo()
    assert stored_when_sent == [True] * 7
    assert len({envelope.rcpt_tos[0] for envelope in smtp.received}) == 7
    hashes = set(
        InvitationLink.objects.filter(invitation__round=survey_round).values_list(
            "token_hash", flat=True
        )
    )
    assert len(hashes) == 7
    for envelope in smtp.received:
        assert tokens.hash_token(token_of(_link(envelope.content.decode()))) in hashes
    assert outbox.deliver_due().sent == 0  # run again, nothing more goes


def test_a_worker_that_dies_after_sending_sends_that_one_again_and_both_links_work(
    monkeypatch,
):
    survey_round = open_round(team_with_members(4))
    real_finish = outbox._finish
    marked = []

    def die_after_the_second_send(owner, message, **changes):
        if len(marked) == 1:
            raise KeyboardInterrupt  # the process dies: the second email went, unmarked
        marked.append(message.pk)
        return real_finish(owner, message, **changes)

    monkeypatch.setattr(outbox, "_finish", die_after_the_second_send)
    with pytest.raises(KeyboardInterrupt):
        outbox.deliver_due()
    monkeypatch.setattr(outbox, "_finish", real_finish)
    assert len(mail.outbox) == 2
    # The lease runs out; the next run sends the rest, the unmarked one included.
    Message.objects.update(leased_until=timezone.now() - dt.timedelta(seconds=1))
    outbox.deliver_due()
    recipients = [m.to[0] for m in mail.outbox]
    assert len(recipients) == 5  # 4 people, the one in flight twice
    assert len(set(recipients)) == 4
    for message in mail.outbox:
        assert _opens_the_form(_link(message.body))
    assert Invitation.objects.filter(round=survey_round, has_answered=False).count() == 4


def test_a_rejected_address_fails_for_good_shows_in_admin_and_a_resend_works(
    smtp,  # noqa: F811
    admin_client,
):
    team = team_with_members(3)
    MembershipFactory(team=team, user=UserFactory(email="full@example.com"))
    open_round(team)
    smtp.answers = ["554 5.1.1 Mailbox unavailable"]
    outbox.deliver_due()
    failed = Message.objects.get(status="failed")
    assert len(smtp.received) == 3
    page = admin_client.get(f"/admin/outbox/message/{failed.pk}/change/")
    assert b"Send again" in page.content
    admin_client.post(f"/admin/outbox/message/{failed.pk}/resend/")
    outbox.deliver_due()
    assert len(smtp.received) == 4
    assert _opens_the_form(_link(smtp.received[-1].content.decode()))


def test_an_unreachable_mail_server_sends_nothing_and_the_links_go_later(settings):
    open_round(team_with_members(3))
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    assert outbox.deliver_due().sent == 0
    assert set(Message.objects.values_list("status", flat=True)) == {"pending"}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Message.objects.update(next_attempt_at=None)
    assert outbox.deliver_due().sent == 3
    for message in mail.outbox:
        assert _opens_the_form(_link(message.body))


def three_days_ago():
    return timezone.now() - dt.timedelta(days=3)


def test_the_reminder_replaces_the_invitation_link_and_says_so():
    survey_round = open_round(team_with_members(2), now=three_days_ago())
    outbox.deliver_due()
    first = {m.to[0]: _link(m.body) for m in mail.outbox}
    mail.outbox = []
    services.send_due_reminders()
    outbox.deliver_due()
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert "replaces the one in the first email" in message.body
        assert _opens_the_form(_link(message.body))
        assert not _opens_the_form(first[message.to[0]])
    assert set(
        InvitationLink.objects.filter(invitation__round=survey_round).values_list("kind", flat=True)
    ) == {"reminder"}


def test_a_waiting_invitation_email_is_dropped_when_the_reminder_is_queued():
    open_round(team_with_members(2), now=three_days_ago())
    services.send_due_reminders()
    outbox.deliver_due()
    assert len(mail.outbox) == 2
    assert all("replaces" in m.body for m in mail.outbox)
    assert set(
        Message.objects.filter(kind="surveys.invitation").values_list("status", flat=True)
    ) == {"cancelled"}


def test_answering_spends_every_link_of_the_person_and_closing_drops_the_rest():
    survey_round = open_round(team_with_members(3))
    invitations = list(Invitation.objects.filter(round=survey_round).select_related("round"))
    # One person answers before their email goes: nothing is sent to them.
    answer(invitations[0])
    outbox.deliver_due()
    assert len(mail.outbox) == 2
    assert Message.objects.filter(status="cancelled").count() == 1
    answer(invitations[1])
    assert not InvitationLink.objects.filter(invitation=invitations[1]).exists()
    assert InvitationLink.objects.filter(invitation=invitations[2]).exists()
    services.close_round(survey_round=survey_round)
    assert not InvitationLink.objects.exists()
    for message in mail.outbox:
        assert not _opens_the_form(_link(message.body))


def test_closing_cancels_link_emails_still_waiting():
    survey_round = open_round(team_with_members(3))
    services.close_round(survey_round=survey_round)
    assert set(Message.objects.values_list("status", flat=True)) == {"cancelled"}
    assert outbox.deliver_due().sent == 0
    assert mail.outbox == []


def test_rendering_links_takes_a_fixed_number_of_queries(django_assert_num_queries):
    from surveys import links

    open_round(team_with_members(3))
    few = list(Message.objects.all())
    open_round(team_with_members(12))
    many = list(Message.objects.exclude(pk__in=[m.pk for m in few]))
    # savepoint, invitations, their people, rounds and teams (by primary key, no join),
    # lock rounds, answered, insert links, release (no reminders)
    with django_assert_num_queries(9):
        links.render(few)
    with django_assert_num_queries(9):
        links.render(many)


def test_no_task_logs_how_many_people_of_an_open_round_were_reminded_or_emailed(
    caplog, django_capture_on_commit_callbacks
):
    # Reminders go to those who have not answered yet: their number is the open
    # round's participation, which nothing may show while the round is open.
    survey_round = open_round(team_with_members(6), now=three_days_ago())
    for invitation in Invitation.objects.filter(round=survey_round).select_related("round")[:2]:
        answer(invitation)
    Message.objects.update(status="sent", sent_at=timezone.now())
    with caplog.at_level("DEBUG"), django_capture_on_commit_callbacks(execute=True):
        assert services.send_due_reminders() == 4
        assert tasks.send_due_reminders.apply().get() is None
    assert len(mail.outbox) == 4
    finished = [r.getMessage() for r in caplog.records if "succeeded" in r.getMessage()]
    assert finished
    assert not any(r.getMessage().endswith(": 4") for r in caplog.records)
