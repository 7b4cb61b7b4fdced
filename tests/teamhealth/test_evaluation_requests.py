"""What a change asks of the compute workers is a row, so a broker outage loses nothing."""

from datetime import timedelta

import pytest
from celery import current_app
from django.utils import timezone
from kombu.exceptions import OperationalError

from teamhealth import tasks
from teamhealth.models import Alert, EvaluationRequest, Threshold
from teamhealth.services import requests
from tests.factories import TeamFactory, UserFactory, metric_series
from tests.teamhealth.test_api import GOOD, post, team, token  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_down(monkeypatch):
    """Every wake-up fails as it does when Redis is stopped."""

    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    for name in ("teamhealth.tasks.run_evaluation_requests", "outbox.tasks.deliver_due"):
        monkeypatch.setattr(current_app.tasks[name], "apply_async", refuse)


def test_with_the_broker_down_a_metric_post_succeeds_and_the_sweep_raises_the_alert(
    team,  # noqa: F811
    token,  # noqa: F811
    broker_down,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(GOOD)
    assert response.status_code == 201
    assert list(EvaluationRequest.objects.values_list("team_id", flat=True)) == [team.pk]
    assert not Alert.objects.exists()  # nothing was woken

    tasks.run_evaluation_requests.apply()  # what the 15 s sweep does once the broker is back
    assert Alert.objects.get().subject == "oncall_hours"
    assert not EvaluationRequest.objects.exists()


def test_with_the_broker_down_a_threshold_save_succeeds_and_every_team_is_evaluated(
    broker_down, django_capture_on_commit_callbacks
):
    teams = [TeamFactory(managers=[UserFactory(roles=["Manager"])]) for _ in range(3)]
    for each in teams:
        metric_series(each, "oncall_hours", [8])
    threshold = Threshold.objects.get(team=None, metric="oncall_hours")
    from teamhealth.services import thresholds as threshold_services

    threshold.limit = 5
    with django_capture_on_commit_callbacks(execute=True):
        threshold_services.save_threshold(threshold=threshold)
    assert EvaluationRequest.objects.count() == 3
    tasks.run_evaluation_requests.apply()
    assert Alert.objects.filter(subject="oncall_hours").count() == 3


def test_a_request_made_again_while_its_team_was_being_evaluated_stays():
    one = TeamFactory()
    requests.request_evaluation([one.pk])
    taken = requests.pending(200)
    EvaluationRequest.objects.update(requested_at=timezone.now() + timedelta(seconds=1))
    requests.done(taken)
    assert EvaluationRequest.objects.count() == 1  # the newer change is still to evaluate
    requests.done(requests.pending(200))
    assert not EvaluationRequest.objects.exists()


def test_a_team_asked_many_times_is_one_request(django_capture_on_commit_callbacks):
    one = TeamFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        requests.request_evaluation([one.pk, one.pk])
        requests.request_evaluation([one.pk])
    assert EvaluationRequest.objects.count() == 1
    assert len(callbacks) == 1
