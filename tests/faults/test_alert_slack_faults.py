"""An alert posted to a Slack webhook that rate-limits or fails for a while."""

import time

import pytest

from .conftest import SETTLE_SECONDS
from .processes import wait_until
from .product import integration_token, post_metric, team_with_managers

pytestmark = pytest.mark.django_db(transaction=True)

SUBJECT = "[Backend Payments] High on-call burden: 12.5 hrs/week (max 10.0)"


def fire_alert(slack_url):
    """A team with only a Slack channel; an on-call value past its threshold arrives."""
    team, _ = team_with_managers(0, name="Backend Payments", slack_url=slack_url)
    assert post_metric(integration_token(), team, "oncall_hours", "12.5").status_code == 201


def delivered(slack_fake, worker, timeout=55):
    return wait_until(
        lambda: slack_fake.delivered,
        timeout,
        what="the alert posted to Slack",
        details=lambda: f"{slack_fake.summary()}\n{worker.tail(20)}",
    )


def test_a_rate_limited_post_is_retried_no_sooner_than_retry_after_and_posted_once(
    worker, slack_fake, beat
):
    # Longer than the product's own first backoff (30 s): only honouring it waits this long.
    slack_fake.rate_limit(1, retry_after=35)
    worker.start()
    beat()
    fire_alert(slack_fake.url)

    delivered(slack_fake, worker)
    time.sleep(SETTLE_SECONDS)

    limited, posted = slack_fake.posts
    assert (limited.status, posted.status) == (429, 200), slack_fake.summary()
    assert posted.at - limited.at >= 35, f"retried after {posted.at - limited.at:.1f} s"
    assert posted.body["text"] == SUBJECT


def test_a_server_error_is_retried_and_the_alert_posted_once(worker, slack_fake, beat):
    slack_fake.fail(1, status=500)
    worker.start()
    beat()
    fire_alert(slack_fake.url)

    delivered(slack_fake, worker)
    time.sleep(SETTLE_SECONDS)

    assert [p.status for p in slack_fake.posts] == [500, 200], slack_fake.summary()
    assert slack_fake.delivered[0].body["text"] == SUBJECT
