"""Stand-in for the alert lifecycle: the overdue action plan signal surveys raise."""

from datetime import date

import pytest

from teamhealth import services
from teamhealth.models import HealthSignal
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db


def test_raise_action_plan_overdue_records_one_signal_per_round():
    team = TeamFactory(name="Backend Payments")
    for _ in range(2):
        services.raise_action_plan_overdue(
            team=team, round_label="Backend Payments · 2 Nov 2026", closed_on=date(2026, 11, 7)
        )
    signal = HealthSignal.objects.get(team=team)
    assert signal.kind == "action_plan_overdue"
    assert signal.period_start == date(2026, 11, 2)
    assert signal.message == (
        "[Backend Payments] Survey action plan overdue: round Backend Payments · 2 Nov 2026 "
        "closed 2026-11-07"
    )
    services.raise_action_plan_overdue(
        team=team, round_label="Backend Payments · 16 Nov 2026", closed_on=date(2026, 11, 21)
    )
    assert HealthSignal.objects.filter(team=team).count() == 2
