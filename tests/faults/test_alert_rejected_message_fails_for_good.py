"""A message the mail server rejects for good (554 to DATA) is sent once, shown as failed."""

import time

import pytest

from .conftest import RETRY_WATCH_SECONDS
from .processes import wait_until
from .product import (
    admin,
    failed_notice_count,
    integration_token,
    org_overview_text,
    post_metric,
    team_with_managers,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_message_rejected_with_554_is_not_retried_and_the_org_overview_shows_it(
    worker, smtp_fake, beat
):
    smtp_fake.reject(phase="data")  # "554 5.7.1 Message rejected", to every DATA
    someone = admin()
    team, _ = team_with_managers(1, name="Backend Payments")
    worker.start()
    beat()
    assert post_metric(integration_token(), team, "oncall_hours", "12.5").status_code == 201

    wait_until(lambda: smtp_fake.data_commands, 20, what="the first attempt")
    time.sleep(RETRY_WATCH_SECONDS)

    problems = []
    if smtp_fake.data_commands != 1:
        problems.append(f"the rejected message was tried {smtp_fake.data_commands} times")
    shown = failed_notice_count(org_overview_text(someone))
    if shown != 1:
        problems.append(f"the org overview shows {shown} undelivered notifications, not 1")
    assert not problems, "; ".join(problems)
    assert smtp_fake.received == []
