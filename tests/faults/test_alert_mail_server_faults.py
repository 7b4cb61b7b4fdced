"""An alert email against a mail server that defers, rejects, refuses or hangs."""

import time

import pytest

from .conftest import RETRY_WATCH_SECONDS, SETTLE_SECONDS
from .processes import wait_until
from .product import (
    admin,
    failed_notice_count,
    integration_token,
    oldest_open_transaction_seconds,
    org_overview_text,
    post_metric,
    team_with_managers,
)

pytestmark = pytest.mark.django_db(transaction=True)

SUBJECT = "[Backend Payments] High on-call burden: 12.5 hrs/week (max 10.0)"


def fire_alert():
    """One manager, no Slack; an on-call value past its threshold arrives through the API."""
    team, [manager] = team_with_managers(1, name="Backend Payments")
    assert post_metric(integration_token(), team, "oncall_hours", "12.5").status_code == 201
    return manager


def received_by(smtp_fake, address, worker, timeout=50):
    return wait_until(
        lambda: smtp_fake.to(address),
        timeout,
        what=f"the alert email at {address}",
        details=lambda: f"{smtp_fake.summary()}\n{worker.tail(20)}",
    )


def test_a_deferred_email_is_delivered_once_after_a_retry(worker, smtp_fake, beat):
    smtp_fake.defer(1)  # 451 to the first DATA, then 250
    worker.start()
    beat()
    manager = fire_alert()

    received_by(smtp_fake, manager, worker)
    time.sleep(SETTLE_SECONDS)

    assert [m.subject for m in smtp_fake.received] == [SUBJECT]
    assert smtp_fake.data_commands == 2, "one deferred attempt, one accepted"


def test_a_rejected_recipient_is_not_retried_and_the_org_overview_shows_the_failure(
    worker, smtp_fake, beat
):
    smtp_fake.reject(phase="rcpt")  # 554 to RCPT TO: this address will never be accepted
    someone = admin()
    worker.start()
    beat()
    fire_alert()

    wait_until(
        lambda: failed_notice_count(org_overview_text(someone)) == 1,
        30,
        what="the org overview to say 1 notification could not be delivered",
        details=lambda: f"{smtp_fake.summary()}\n{worker.tail(20)}",
    )
    time.sleep(RETRY_WATCH_SECONDS)

    assert smtp_fake.rcpt_commands == 1, "a permanent rejection is not tried again"
    assert smtp_fake.received == []
    assert failed_notice_count(org_overview_text(someone)) == 1


def test_refused_connections_are_retried_and_the_email_sent_once_the_server_is_up(
    worker, smtp_fake, beat
):
    smtp_fake.refuse()  # nothing listens on the mail server's port
    worker.start()
    beat()
    manager = fire_alert()
    time.sleep(5)  # the first attempt meets a refused connection
    assert smtp_fake.received == []

    smtp_fake.accept()
    received_by(smtp_fake, manager, worker)
    time.sleep(SETTLE_SECONDS)

    assert [m.subject for m in smtp_fake.received] == [SUBJECT]


@pytest.mark.parametrize("phase", ["connect", "data"])
def test_a_hung_mail_server_is_given_up_on_in_time_and_the_email_sent_once_it_answers(
    phase, worker, smtp_fake, beat
):
    # connect: the connection is accepted and nothing is ever said; data: DATA is never answered.
    smtp_fake.hang(phase)
    worker.start()
    beat()
    manager = fire_alert()

    hung = wait_until(
        lambda: smtp_fake.hung_sessions and smtp_fake.hung_sessions[0],
        15,
        what="the worker to reach the hung server",
    )
    longest_transaction = 0.0
    deadline = hung.opened_at + 20
    while time.monotonic() < deadline:
        longest_transaction = max(longest_transaction, oldest_open_transaction_seconds())
        if hung.client_left and time.monotonic() > hung.closed_at + 3:
            break
        time.sleep(0.5)
    assert hung.client_left, "the sender never gave up on the hung server"
    assert hung.gave_up_after() <= 15, f"gave up after {hung.gave_up_after():.1f} s"
    assert longest_transaction <= 15, (
        f"a database transaction stayed open {longest_transaction:.1f} s while the server hung"
    )

    smtp_fake.accept()
    received_by(smtp_fake, manager, worker)
    time.sleep(SETTLE_SECONDS)

    assert [m.subject for m in smtp_fake.received] == [SUBJECT]
