"""Values no team could have are refused at every door, with the reason, storing nothing.

The doors are the metric form, the CSV import page and the API; each asks
``thresholds.validate_value`` / ``validate_period`` (and the metric service
asks ``validate_replacement`` for a survey's feedback score).
"""

import hashlib
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from outbox.models import Message
from teamhealth.models import EvaluationRequest, IntegrationToken, MetricValue
from teamhealth.services import metrics
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

TOKEN = "impossible-values-token"
ONCALL = "On-call burden is at most 168 hours a week (every hour of it), not 168.50."
DELIVERY = "Delivery rate is at most 80 points per sprint (the maximum an admin set), not 80.50."
BEFORE = "2023-12-31 is before the start of history (2024-01-01): no team has values that old."
YEAR_ONE = "0001-01-01 is before the start of history (2024-01-01): no team has values that old."
SURVEY = (
    "This period's feedback score comes from a survey round; "
    "it cannot be entered or replaced by hand."
)


@pytest.fixture(autouse=True)
def bounds(settings):
    settings.KEEL_MAX_DELIVERY_RATE = 80
    settings.KEEL_HISTORY_START = date(2024, 1, 1)


@pytest.fixture
def manager():
    manager = UserFactory(roles=["Manager"])
    TeamFactory(name="Payments", slug="payments", managers=[manager])
    return manager


def today() -> str:
    return timezone.localdate().isoformat()


# (field as the form names it, field as the API names it, metric, day, value, message)
CASES = [
    pytest.param("value", "value", "oncall_hours", None, "168.50", ONCALL, id="oncall-168.5"),
    pytest.param("value", "value", "delivery_rate", None, "80.50", DELIVERY, id="delivery-80.5"),
    pytest.param("day", "period", "oncall_hours", "2023-12-31", "5", BEFORE, id="before-history"),
    pytest.param("day", "period", "oncall_hours", "0001-01-01", "5", YEAR_ONE, id="year-1"),
]


@pytest.mark.parametrize(("form_field", "api_field", "metric", "day", "value", "message"), CASES)
def test_the_metric_form_refuses_it_next_to_the_field(
    client_for, manager, form_field, api_field, metric, day, value, message
):
    team = manager.managed_teams.get()
    response = client_for(manager).post(
        "/team-health/values/new/",
        {"team": team.pk, "metric": metric, "day": day or today(), "value": value},
    )
    assert response.status_code == 200
    assert response.context["form"].errors[form_field] == [message]
    assert not MetricValue.objects.exists()


@pytest.mark.parametrize(("form_field", "api_field", "metric", "day", "value", "message"), CASES)
def test_the_csv_import_refuses_it_on_its_line(
    client_for, manager, form_field, api_field, metric, day, value, message
):
    upload = SimpleUploadedFile(
        "values.csv",
        f"team,metric,period_start,value\nPayments,{metric},{day or today()},{value}\n".encode(),
        content_type="text/csv",
    )
    response = client_for(manager).post("/team-health/values/import/", {"file": upload})
    assert response.status_code == 200
    assert [(e.line, e.message) for e in response.context["errors"]] == [(2, message)]
    assert not MetricValue.objects.exists()


@pytest.mark.parametrize(("form_field", "api_field", "metric", "day", "value", "message"), CASES)
def test_the_api_refuses_it_with_400_naming_the_field(
    manager, form_field, api_field, metric, day, value, message
):
    IntegrationToken.objects.create(
        name="exporter",
        token_hash=hashlib.sha256(TOKEN.encode()).hexdigest(),
        prefix=TOKEN[:8],
        all_teams=True,
    )
    response = Client().post(
        "/api/teamhealth/metric-values/",
        {"team": "payments", "metric": metric, "period": day or today(), "value": value},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {TOKEN}",
    )
    assert response.status_code == 400
    assert response.json() == {api_field: [message]}
    assert not MetricValue.objects.exists()


def test_the_service_itself_refuses_values_no_team_could_have(manager):
    team = manager.managed_teams.get()
    for metric, day, value in [
        ("oncall_hours", timezone.localdate(), "168.5"),
        ("delivery_rate", timezone.localdate(), "80.5"),
        ("oncall_hours", date(1, 1, 1), "5"),
    ]:
        with pytest.raises(metrics.ValidationError):
            metrics.record_metric(
                team=team, metric=metric, day=day, value=Decimal(value), source="manual"
            )
    assert not MetricValue.objects.exists()


def test_the_limits_themselves_are_taken(client_for, manager):
    team = manager.managed_teams.get()
    client = client_for(manager)
    for metric, value in [("oncall_hours", "168"), ("delivery_rate", "80")]:
        response = client.post(
            "/team-health/values/new/",
            {"team": team.pk, "metric": metric, "day": "2024-01-01", "value": value},
        )
        assert response.status_code == 302
    assert MetricValue.objects.count() == 2


# ---------------------------------------------------------------- a survey's feedback score


@pytest.fixture
def surveyed(manager):
    """The current period's feedback score, computed by a survey round."""
    team = manager.managed_teams.get()
    return metrics.record_metric(
        team=team,
        metric="feedback_score",
        day=timezone.localdate(),
        value=Decimal("72.50"),
        source="survey",
        entered_via="survey round 1",
        evaluate=False,
    )


def assert_untouched(surveyed):
    surveyed.refresh_from_db()
    assert (surveyed.value, surveyed.source) == (Decimal("72.50"), "survey")
    assert MetricValue.objects.count() == 1
    assert not EvaluationRequest.objects.exists()
    assert not Message.objects.exists()


def test_the_metric_form_refuses_a_survey_feedback_score(client_for, manager, surveyed):
    response = client_for(manager).post(
        "/team-health/values/new/",
        {"team": surveyed.team_id, "metric": "feedback_score", "day": today(), "value": "58"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["value"] == [SURVEY]
    assert_untouched(surveyed)


def test_the_csv_import_refuses_a_survey_feedback_score(client_for, manager, surveyed):
    upload = SimpleUploadedFile(
        "values.csv",
        (
            "team,metric,period_start,value\n"
            f"Payments,oncall_hours,{today()},5\n"
            f"Payments,feedback_score,{today()},58\n"
        ).encode(),
        content_type="text/csv",
    )
    response = client_for(manager).post("/team-health/values/import/", {"file": upload})
    assert [(e.line, e.message) for e in response.context["errors"]] == [(3, SURVEY)]
    assert_untouched(surveyed)


def test_the_api_refuses_a_survey_feedback_score(manager, surveyed):
    IntegrationToken.objects.create(
        name="exporter",
        token_hash=hashlib.sha256(TOKEN.encode()).hexdigest(),
        prefix=TOKEN[:8],
        all_teams=True,
    )
    response = Client().post(
        "/api/teamhealth/metric-values/",
        {"team": "payments", "metric": "feedback_score", "period": today(), "value": "58"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {TOKEN}",
    )
    assert response.status_code == 400
    assert response.json() == {"value": [SURVEY]}
    assert_untouched(surveyed)


def test_a_period_without_a_survey_still_takes_a_feedback_score(client_for, manager, surveyed):
    earlier = timezone.localdate() - timedelta(days=14)
    response = client_for(manager).post(
        "/team-health/values/new/",
        {"team": surveyed.team_id, "metric": "feedback_score", "day": earlier, "value": "58"},
    )
    assert response.status_code == 302
    assert MetricValue.objects.filter(source="manual", value=Decimal(58)).exists()


def test_the_survey_may_replace_its_own_feedback_score(surveyed):
    metrics.record_metric(
        team=surveyed.team,
        metric="feedback_score",
        day=timezone.localdate(),
        value=Decimal("70"),
        source="survey",
        evaluate=False,
    )
    surveyed.refresh_from_db()
    assert surveyed.value == Decimal("70.00")
