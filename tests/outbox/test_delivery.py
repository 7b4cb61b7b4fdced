"""The outbox against a local SMTP server and a local Slack webhook: every way a send fails."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from outbox import rendering, services, transports, wake
from outbox.models import Message
from outbox.services import Draft

pytestmark = pytest.mark.django_db


def email(n: int = 0, **overrides) -> Draft:
    fields = {
        "kind": "test.note",
        "recipient": f"person{n}@example.com",
        "dedupe_key": f"note-{n}",
        "about": f"note:{n}",
        "subject": f"Note {n}",
        "body": "Hello",
    }
    return Draft(**(fields | overrides))


def slack_post(url: str, n: int = 0) -> Draft:
    return Draft(
        kind="test.post",
        channel=Message.Channel.SLACK,
        recipient=url,
        dedupe_key=f"post-{n}",
        payload={"text": f"Post {n}"},
    )


def make_due() -> None:
    Message.objects.filter(status=Message.Status.PENDING).update(next_attempt_at=None)


def test_a_dedupe_key_is_queued_once_and_the_worker_is_woken_once_per_commit(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        services.enqueue([email(1), email(2), email(1)])
        services.enqueue([email(2), email(3)])
    assert Message.objects.count() == 3
    assert len(callbacks) == 1
    assert len(set(Message.objects.values_list("message_id", flat=True))) == 3


def test_a_rolled_back_change_queues_nothing(django_capture_on_commit_callbacks):
    def change():
        with transaction.atomic():
            services.enqueue([email(1)])
            raise RuntimeError

    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError):
        change()
    assert not Message.objects.exists()
    assert callbacks == []


def test_sends_each_due_message_once_with_a_stable_message_id(smtp):
    services.enqueue([email(n) for n in range(3)])
    assert services.deliver_due().sent == 3
    assert services.deliver_due().sent == 0
    assert sorted(e.rcpt_tos[0] for e in smtp.received) == [
        f"person{n}@example.com" for n in range(3)
    ]
    message = Message.objects.get(dedupe_key="note-0")
    assert (message.status, message.attempts) == ("sent", 1)
    assert f"Message-ID: {message.message_id}" in smtp.received[0].content.decode()


def test_451_is_tried_again_after_backoff_and_then_sent(smtp):
    smtp.answers = ["451 4.3.0 Try again later"]
    services.enqueue([email()])
    assert services.deliver_due().sent == 0
    message = Message.objects.get()
    assert message.status == "pending"
    assert "451" in message.last_error
    assert message.next_attempt_at > timezone.now() + timedelta(seconds=25)
    assert services.deliver_due().sent == 0  # not due yet
    make_due()
    assert services.deliver_due().sent == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, len(smtp.received)) == ("sent", 2, 1)


def test_554_fails_for_good_and_an_admin_can_send_it_again(smtp, admin_client):
    smtp.answers = ["554 5.7.1 Rejected"]
    services.enqueue([email()])
    services.deliver_due()
    message = Message.objects.get()
    assert message.status == "failed"
    assert "554" in message.last_error
    make_due()
    assert services.deliver_due().sent == 0  # a failed message is not retried

    page = admin_client.get(f"/admin/outbox/message/{message.pk}/change/")
    assert b"Send again" in page.content
    admin_client.post(f"/admin/outbox/message/{message.pk}/resend/")
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("pending", 0)
    assert services.deliver_due().sent == 1
    assert len(smtp.received) == 1


def test_a_subject_with_a_line_break_is_sent_on_one_line_to_its_recipient_only(smtp):
    services.enqueue([email(subject="Hello\nBcc: everyone@example.com\r\n")])
    assert services.deliver_due().sent == 1
    message = Message.objects.get()
    assert (message.status, message.subject) == ("sent", "Hello Bcc: everyone@example.com")
    [envelope] = smtp.received
    assert envelope.rcpt_tos == ["person0@example.com"]
    assert b"Subject: Hello Bcc: everyone@example.com\r\n" in envelope.original_content


def test_a_subject_written_at_send_time_is_sent_on_one_line(smtp, monkeypatch):
    monkeypatch.setitem(
        rendering._renderers,
        "test.late",
        lambda messages: {m.pk: rendering.Rendered("Team\nPayments", "Hi") for m in messages},
    )
    services.enqueue([email(kind="test.late", rendered_at_send=True)])
    assert services.deliver_due().sent == 1
    assert b"Subject: Team Payments\r\n" in smtp.received[0].original_content


def test_a_header_django_refuses_fails_for_good_and_sends_nothing(smtp):
    services.enqueue([email(recipient="person@example.com\nBcc: everyone@example.com")])
    services.deliver_due()
    message = Message.objects.get()
    assert message.status == "failed"
    assert "header" in message.last_error.lower()
    assert smtp.received == []


def test_a_refused_connection_is_retried_and_the_rest_of_the_batch_waits(settings):
    from tests.outbox.conftest import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    services.enqueue([email(n) for n in range(3)])
    assert services.deliver_due().sent == 0
    rows = list(Message.objects.order_by("pk"))
    assert {m.status for m in rows} == {"pending"}
    assert all(m.next_attempt_at > timezone.now() for m in rows)
    assert "unreachable" in rows[0].last_error
    assert rows[1].last_error.startswith("Not tried")


def test_a_silent_server_is_given_up_on_within_the_timeout(silent_server, settings):
    settings.EMAIL_TIMEOUT = 1
    services.enqueue([email(n) for n in range(2)])
    started = timezone.now()
    assert services.deliver_due().sent == 0
    assert timezone.now() - started < timedelta(seconds=5)
    assert set(Message.objects.values_list("status", "leased_until")) == {("pending", None)}


def test_a_server_that_takes_the_mail_and_never_answers_is_retried_with_the_same_id(smtp, settings):
    settings.EMAIL_TIMEOUT = 1
    smtp.delay = 2  # answers DATA after the client gave up
    services.enqueue([email()])
    services.deliver_due()
    message = Message.objects.get()
    assert (message.status, message.uncertain_attempts) == ("pending", 1)
    smtp.delay = 0
    make_due()
    services.deliver_due()
    message.refresh_from_db()
    assert message.status == "sent"
    ids = {e.content.decode().split("Message-ID: ")[1].split("\r\n")[0] for e in smtp.received}
    assert ids == {message.message_id}  # a repeat carries the same id, which mailboxes fold


def test_slack_429_waits_at_least_retry_after(slack):
    slack.answers, slack.retry_after = [429], "120"
    services.enqueue([slack_post(slack.url)])
    services.deliver_due()
    message = Message.objects.get()
    assert message.status == "pending"
    assert message.next_attempt_at >= timezone.now() + timedelta(seconds=115)
    make_due()
    services.deliver_due()
    assert [r["status"] for r in slack.received] == [429, 200]
    assert Message.objects.get().status == "sent"


def test_slack_500_is_retried_and_404_fails(slack):
    slack.answers = [500, 404]
    services.enqueue([slack_post(slack.url, 1)])
    services.deliver_due()
    make_due()
    services.deliver_due()
    message = Message.objects.get()
    assert (message.status, message.attempts) == ("failed", 2)
    assert "404" in message.last_error


def test_a_slack_hook_that_answers_too_late_is_not_posted_again_and_is_counted(slack, settings):
    settings.EMAIL_TIMEOUT = 1
    slack.delay = 2
    services.enqueue([slack_post(slack.url)])
    services.deliver_due()
    make_due()
    services.deliver_due()
    message = Message.objects.get()
    assert (message.status, message.uncertain_attempts) == ("sent", 1)
    assert "not posted again" in message.last_error
    assert len(slack.received) == 1
    from outbox import selectors

    assert selectors.health().unconfirmed == 1


def test_a_live_lease_keeps_other_workers_off_and_an_expired_one_does_not(smtp):
    services.enqueue([email(n) for n in range(3)])
    claimed = services._claim("dead-worker", 2)
    assert [m.dedupe_key for m in claimed] == ["note-0", "note-1"]
    assert services.deliver_due().sent == 1  # only the unclaimed one
    Message.objects.filter(lease_owner="dead-worker").update(
        leased_until=timezone.now() - timedelta(seconds=1)
    )
    assert services.deliver_due().sent == 2
    assert len(smtp.received) == 3
    assert list(Message.objects.order_by("pk").values_list("attempts", flat=True)) == [2, 2, 1]


def test_a_message_whose_worker_keeps_dying_ends_failed():
    services.enqueue([email()])
    for _ in range(services.MAX_ATTEMPTS):
        services._claim("dying", 1)
        Message.objects.update(leased_until=timezone.now() - timedelta(seconds=1))
    services.deliver_due()
    message = Message.objects.get()
    assert message.status == "failed"
    assert "Gave up" in message.last_error
    assert mail.outbox == []


def test_a_renderer_writes_the_text_at_send_time_and_can_cancel(monkeypatch):
    seen = []

    def render(messages):
        seen.append([m.about for m in messages])
        return {
            m.pk: None if m.about == "x:2" else rendering.Rendered("Secret", f"token for {m.about}")
            for m in messages
        }

    monkeypatch.setitem(rendering._renderers, "test.secret", render)
    services.enqueue(
        [
            email(n, kind="test.secret", about=f"x:{n}", rendered_at_send=True, subject="kept?")
            for n in (1, 2)
        ]
    )
    assert set(Message.objects.values_list("subject", "body")) == {("", "")}
    services.deliver_due()
    assert seen == [["x:1", "x:2"]]
    assert [m.body for m in mail.outbox] == ["token for x:1"]
    assert dict(Message.objects.values_list("about", "status")) == {
        "x:1": "sent",
        "x:2": "cancelled",
    }
    assert set(Message.objects.values_list("body", flat=True)) == {""}


def test_cancel_drops_pending_messages_only():
    services.enqueue([email(1), email(2)])
    Message.objects.filter(about="note:2").update(status="sent", sent_at=timezone.now())
    assert services.cancel(kind="test.note", abouts=["note:1", "note:2"]) == 1
    assert dict(Message.objects.values_list("about", "status")) == {
        "note:1": "cancelled",
        "note:2": "sent",
    }


def test_a_broker_that_is_down_never_fails_the_request(settings, monkeypatch):
    from celery import current_app
    from kombu.exceptions import OperationalError

    import outbox.tasks  # noqa: F401 - registers the task

    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6390. Connection refused.")

    monkeypatch.setattr(current_app.tasks["outbox.tasks.deliver_due"], "apply_async", refuse)
    assert wake.now("outbox.tasks.deliver_due") is False


def test_transport_errors_are_sorted():
    assert issubclass(transports.UncertainError, transports.DeliveryError)
    assert services.backoff_seconds(1) == 30
    assert services.backoff_seconds(3) == 120
    assert services.backoff_seconds(20) == 3600
    assert services.backoff_seconds(1, retry_after=90) == 90
