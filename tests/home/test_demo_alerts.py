"""The demo's team-health story: alerts in every state, with timelines and medians."""

from io import StringIO

import pytest
from django.core.management import call_command

from teamhealth import alert_history
from teamhealth.models import Alert, AlertEvent, Team

pytestmark = pytest.mark.django_db


def test_load_demo_gives_several_teams_alerts_with_whole_timelines_and_runs_twice():
    call_command("load_demo", stdout=StringIO())
    alerts, events = Alert.objects.count(), AlertEvent.objects.count()
    call_command("load_demo", stdout=StringIO())
    assert (Alert.objects.count(), AlertEvent.objects.count()) == (alerts, events)

    with_history = Team.objects.filter(alerts__status="resolved").distinct().count()
    assert with_history >= 4
    kinds = set(AlertEvent.objects.values_list("kind", flat=True))
    assert {"opened", "acknowledged", "snoozed", "reminded", "resolved"} <= kinds
    states = {alert.shown_status for alert in Alert.objects.all()}
    assert {"firing", "acknowledged", "snoozed", "resolved"} <= states
    times = alert_history.response_times(Alert.objects.all())
    assert times.mtta is not None
    assert times.mttr is not None
    assert times.acknowledged >= 8
