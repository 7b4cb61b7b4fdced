"""The alert email a worker was handing to the mail server when it was killed still arrives.

Here the server has not received the message when the worker dies (it is slow
before the message is transferred), so the mail server has nothing: only the
product retrying that send, soon, gets it to the manager.
"""

import time

import pytest

from .conftest import SETTLE_SECONDS
from .processes import wait_until
from .product import integration_token, post_metric, team_with_managers

pytestmark = pytest.mark.django_db(transaction=True)

SUBJECT = "[Backend Payments] High on-call burden: 12.5 hrs/week (max 10.0)"


def test_the_alert_email_interrupted_before_the_server_had_it_is_sent_again(
    worker, smtp_fake, slack_fake, beat
):
    team, managers = team_with_managers(6, name="Backend Payments", slack_url=slack_fake.url)
    token = integration_token()
    smtp_fake.slow(1.5, phase="rcpt")
    worker.start()

    assert post_metric(token, team, "oncall_hours", "12.5").status_code == 201

    worker.wait_until(
        lambda: len(smtp_fake.received) >= 2 and smtp_fake.in_flight,
        30,
        what="two alert emails accepted and a third being handed over",
    )
    worker.kill9()
    smtp_fake.accept()
    worker.start()
    beat()

    wait_until(
        lambda: set(smtp_fake.by_recipient()) >= set(managers) and slack_fake.posts,
        40,
        what="the alert at every manager and on Slack",
        details=lambda: f"{smtp_fake.summary()}\n{slack_fake.summary()}",
    )
    time.sleep(SETTLE_SECONDS)

    assert {m.subject for m in smtp_fake.received} == {SUBJECT}
    counts = smtp_fake.by_recipient()
    assert set(counts) == set(managers)
    assert sum(counts.values()) - len(managers) <= 1, counts
    assert len(slack_fake.posts) == 1, slack_fake.summary()
