from datetime import date

import pytest

from teamhealth.models import Alert
from teamhealth.services import alerts
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db


def test_raise_action_plan_overdue_opens_one_alert_and_is_idempotent():
    team = TeamFactory(name="Backend Payments")
    for _ in range(3):
        alerts.raise_action_plan_overdue(
            team=team, round_label="2026-11-02", closed_on=date(2026, 11, 16)
        )
    alert = Alert.objects.get()
    assert alert.status == Alert.Status.FIRING
    assert alert.subject == "action_plan"
    assert alert.message == (
        "[Backend Payments] Survey action plan overdue: round 2026-11-02 closed 2026-11-16"
    )
    assert "no action plan was published within 7 days" in alert.reason


def test_raise_action_plan_overdue_does_not_reopen_a_resolved_round():
    team = TeamFactory()
    alerts.raise_action_plan_overdue(team=team, round_label="R1", closed_on=date(2026, 11, 2))
    alerts.resolve_action_plan_overdue(team=team)
    alerts.raise_action_plan_overdue(team=team, round_label="R1", closed_on=date(2026, 11, 2))
    assert list(Alert.objects.values_list("status", flat=True)) == ["resolved"]


def test_a_later_overdue_round_updates_the_one_open_alert():
    team = TeamFactory()
    alerts.raise_action_plan_overdue(team=team, round_label="R1", closed_on=date(2026, 11, 2))
    alerts.raise_action_plan_overdue(team=team, round_label="R2", closed_on=date(2026, 11, 16))
    alert = Alert.objects.get()
    assert alert.key == "round:R2"
    assert alert.status == Alert.Status.FIRING


def test_only_the_overdue_rounds_own_plan_resolves_its_alert():
    team = TeamFactory()
    alerts.raise_action_plan_overdue(team=team, round_label="R1", closed_on=date(2026, 11, 2))
    alerts.raise_action_plan_overdue(team=team, round_label="R2", closed_on=date(2026, 11, 16))
    # The older round's plan arrives late: round R2 still has none.
    alerts.resolve_action_plan_overdue(team=team, round_label="R1")
    alert = Alert.objects.get()
    assert (alert.status, alert.key) == (Alert.Status.FIRING, "round:R2")
    alerts.resolve_action_plan_overdue(team=team, round_label="R2")
    alert.refresh_from_db()
    assert alert.status == Alert.Status.RESOLVED


def test_the_overdue_message_names_the_team_once():
    team = TeamFactory(name="Backend Payments")
    alerts.raise_action_plan_overdue(
        team=team, round_label="Backend Payments · 2 Nov 2026", closed_on=date(2026, 11, 9)
    )
    alert = Alert.objects.get()
    assert alert.message == (
        "[Backend Payments] Survey action plan overdue: round 2 Nov 2026 closed 2026-11-09"
    )
    assert alert.key == "round:Backend Payments · 2 Nov 2026"


def test_a_team_with_the_longest_name_still_gets_its_overdue_alert():
    team = TeamFactory(name="N" * 120)
    label = f"{team.name} · 2 Nov 2026"
    alerts.raise_action_plan_overdue(team=team, round_label=label, closed_on=date(2026, 11, 9))
    assert Alert.objects.get().key == f"round:{label}"
