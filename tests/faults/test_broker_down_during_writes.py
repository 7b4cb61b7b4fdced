"""Writes that need an evaluation while the broker is down: no error, and nothing lost.

Integrations keep pushing values and admins keep saving thresholds while Redis
restarts. Each of those writes asks for the team to be evaluated; once the
broker is back and a worker runs, every evaluation has run and raised the
alerts the values imply, and the managers hear of them.
"""

import contextlib
import time

import pytest

from teamhealth.models import Alert, MetricValue, Threshold
from tests.factories import metric_series

from .conftest import RECOVERY_SECONDS
from .processes import wait_until
from .product import admin, integration_token, post_metric, save_threshold, team_with_managers

pytestmark = pytest.mark.django_db(transaction=True)


def test_values_and_thresholds_saved_while_the_broker_is_down_are_all_evaluated(
    worker, smtp_fake, private_redis, beat
):
    someone = admin()
    token = integration_token()
    oncall, oncall_managers = team_with_managers(2, name="Backend Payments")
    feedback, feedback_managers = team_with_managers(1, name="Mobile")
    strict, strict_managers = team_with_managers(1, name="Platform")
    metric_series(strict, "oncall_hours", [8])  # within the default 10 hrs/week
    expected = {
        oncall: "oncall_hours",  # 12.5 hrs/week, past the default 10
        feedback: "feedback_score",  # 40, under the default 65
        strict: "oncall_hours",  # 8 hrs/week, past its new limit of 5
    }

    private_redis.stop()
    writes = {
        "API: on-call 12.5": lambda: post_metric(token, oncall, "oncall_hours", "12.5"),
        "API: feedback 40": lambda: post_metric(token, feedback, "feedback_score", "40"),
        "admin: threshold 5": lambda: save_threshold(
            someone, team=strict, metric="oncall_hours", limit=5
        ),
    }
    statuses, took = {}, {}
    for what, write in writes.items():
        started = time.monotonic()
        statuses[what] = write().status_code
        took[what] = time.monotonic() - started
    stored = (
        MetricValue.objects.filter(team__in=[oncall, feedback]).count(),
        Threshold.objects.filter(team=strict).exists(),
    )
    private_redis.start()
    worker.start()
    beat()

    managers = set(oncall_managers + feedback_managers + strict_managers)

    def alerts():
        return {
            team.name: Alert.objects.filter(team=team, subject=subject).exists()
            for team, subject in expected.items()
        }

    with contextlib.suppress(AssertionError):  # reported below, with the responses
        wait_until(
            lambda: all(alerts().values()) and set(smtp_fake.by_recipient()) >= managers,
            RECOVERY_SECONDS,
            what="every evaluation to have run",
        )
    problems = [
        f"{what} answered {code} after {took[what]:.1f} s"
        for what, code in statuses.items()
        if code >= 500
    ]
    problems += [f"no alert for {name}" for name, raised in alerts().items() if not raised]
    problems += [f"no alert email to {m}" for m in sorted(managers - set(smtp_fake.by_recipient()))]
    stored_note = f" (stored while the broker was down: {stored[0]} of 2 values, "
    stored_note += f"the threshold {'yes' if stored[1] else 'no'})"
    assert not problems, "; ".join(problems) + stored_note
    assert statuses == {
        "API: on-call 12.5": 201,
        "API: feedback 40": 201,
        "admin: threshold 5": 302,
    }
