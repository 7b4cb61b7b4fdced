"""A Slack post whose answer comes after the client stopped waiting is not posted again.

The post reached Slack (it may well be in the channel): posting again would
show it twice. The product counts it as unconfirmed instead, where the
failed notifications are counted.
"""

import time

import pytest

from .conftest import RETRY_WATCH_SECONDS
from .processes import wait_until
from .product import (
    admin,
    integration_token,
    org_overview_text,
    post_metric,
    team_with_managers,
    unconfirmed_notice_count,
)

pytestmark = pytest.mark.django_db(transaction=True)

CLIENT_TIMEOUT = 10  # the product's Slack client gives up after this many seconds


def test_a_post_answered_after_the_client_timeout_is_not_posted_again_and_counts_unconfirmed(
    worker, slack_fake, beat
):
    slack_fake.answer_after(CLIENT_TIMEOUT + 5)
    someone = admin()
    team, _ = team_with_managers(0, name="Backend Payments", slack_url=slack_fake.url)
    worker.start()
    beat()
    assert post_metric(integration_token(), team, "oncall_hours", "12.5").status_code == 201

    first = wait_until(lambda: slack_fake.posts, 20, what="the first post")[0]
    time.sleep(max(0.0, first.at + CLIENT_TIMEOUT + RETRY_WATCH_SECONDS - time.monotonic()))

    problems = []
    if len(slack_fake.posts) != 1:
        gaps = ", ".join(f"{p.at - first.at:.0f} s" for p in slack_fake.posts[1:])
        problems.append(f"{len(slack_fake.posts)} posts received (again after {gaps})")
    unconfirmed = unconfirmed_notice_count(org_overview_text(someone))
    if unconfirmed != 1:
        problems.append(f"the org overview counts {unconfirmed} unconfirmed Slack posts, not 1")
    assert not problems, "; ".join(problems)
