"""The managers' weekly team-health digest, the worker killed -9 halfway through the batch."""

import pytest

from .conftest import PERIODIC
from .product import team_with_managers
from .scenarios import kill_mid_batch, lost_and_repeated

pytestmark = pytest.mark.django_db(transaction=True)


def test_every_manager_gets_the_weekly_digest_when_the_worker_dies_mid_batch(
    worker, smtp_fake, beat
):
    _, managers = team_with_managers(6, name="Backend Payments")

    kill_mid_batch(
        worker=worker,
        smtp_fake=smtp_fake,
        beat=beat,
        recipients=set(managers),
        periodic=[PERIODIC["weekly_digest"]],
    )

    problems = lost_and_repeated(smtp_fake, set(managers))
    assert not problems, "; ".join(problems)
    assert {m.subject for m in smtp_fake.received} == {"Team health this week: no open alerts"}
