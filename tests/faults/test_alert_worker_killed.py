"""A team-health alert survives its worker being killed -9 in the middle of sending it."""

import time

import pytest

from teamhealth.models import Alert

from .conftest import SETTLE_SECONDS
from .processes import wait_until
from .product import integration_token, post_metric, team_with_managers

pytestmark = pytest.mark.django_db(transaction=True)

SUBJECT = "[Backend Payments] High on-call burden: 12.5 hrs/week (max 10.0)"


def test_alert_reaches_every_manager_and_slack_once_when_the_worker_dies_mid_batch(
    worker, smtp_fake, slack_fake, beat
):
    team, managers = team_with_managers(6, name="Backend Payments", slack_url=slack_fake.url)
    token = integration_token()
    # The mail server has each whole message and takes 1.5 s to confirm it.
    smtp_fake.slow(1.5)
    worker.start()

    assert post_metric(token, team, "oncall_hours", "12.5").status_code == 201

    worker.wait_until(
        lambda: len(smtp_fake.received) >= 2 and smtp_fake.in_flight,
        30,
        what="two alert emails confirmed and a third in flight",
    )
    worker.kill9()
    smtp_fake.accept()
    worker.start()
    beat()

    wait_until(
        lambda: set(smtp_fake.by_recipient()) >= set(managers) and slack_fake.posts,
        40,
        what="the alert at every manager and on Slack",
        details=lambda: f"{smtp_fake.summary()}\n{slack_fake.summary()}\n{worker.tail()}",
    )
    time.sleep(SETTLE_SECONDS)  # anything sent twice arrives meanwhile

    assert Alert.objects.filter(team=team, subject="oncall_hours").count() == 1
    assert {m.subject for m in smtp_fake.received} == {SUBJECT}
    counts = smtp_fake.by_recipient()
    assert set(counts) == set(managers), "every manager got the alert, nobody else did"
    assert sum(counts.values()) - len(managers) <= 1, f"at most the one in flight twice: {counts}"
    assert len(slack_fake.posts) == 1, slack_fake.summary()
    assert slack_fake.posts[0].body["text"] == SUBJECT
