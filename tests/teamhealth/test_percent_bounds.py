"""Turnover and feedback score are between 0 and 100 at every door (thresholds.validate_value).

The metric form, the CSV import and the API each refuse 100.01 with the same
message, and take 100.
"""

import hashlib
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from teamhealth import csv_import, thresholds
from teamhealth.models import IntegrationToken, MetricValue
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

TOKEN = "percent-bounds-token"
CASES = [
    (metric, value) for metric in thresholds.PERCENT_METRICS for value in ("100", "100.01", "250")
]


BOUNDS = thresholds.Bounds(max_delivery_rate=Decimal(500), history_start=date(2000, 1, 1))


def refusal(metric: str, value: str) -> str | None:
    return thresholds.validate_value(metric, Decimal(value), bounds=BOUNDS)


@pytest.mark.parametrize(("metric", "value"), CASES)
def test_the_metric_form(client_for, metric, value):
    manager = UserFactory(roles=["Manager"])
    team = TeamFactory(managers=[manager])
    response = client_for(manager).post(
        "/team-health/values/new/",
        {"team": team.pk, "metric": metric, "day": timezone.localdate(), "value": value},
    )
    problem = refusal(metric, value)
    if problem is None:
        assert response.status_code == 302
        assert team.metric_values.get(metric=metric).value == Decimal(value)
    else:
        assert response.context["form"].errors["value"] == [problem]
        assert not MetricValue.objects.exists()


@pytest.mark.parametrize(("metric", "value"), CASES)
def test_the_csv_import(metric, value):
    content = f"team,metric,period_start,value\nPayments,{metric},2026-11-25,{value}\n".encode()
    rows, errors = csv_import.parse(content, {"Payments"}, today=date(2026, 11, 26), bounds=BOUNDS)
    problem = refusal(metric, value)
    if problem is None:
        assert (errors, [row.value for row in rows]) == ([], [Decimal(value)])
    else:
        assert [(error.line, error.message) for error in errors] == [(2, problem)]


@pytest.mark.parametrize(("metric", "value"), CASES)
def test_the_api(metric, value):
    TeamFactory(name="Payments", slug="payments")
    IntegrationToken.objects.create(
        name="exporter",
        token_hash=hashlib.sha256(TOKEN.encode()).hexdigest(),
        prefix=TOKEN[:8],
        all_teams=True,
    )
    response = Client().post(
        "/api/teamhealth/metric-values/",
        {"team": "payments", "metric": metric, "period": str(timezone.localdate()), "value": value},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {TOKEN}",
    )
    problem = refusal(metric, str(Decimal(value).quantize(Decimal("0.01"))))
    if problem is None:
        assert response.status_code == 201
    else:
        assert response.status_code == 400
        assert response.json() == {"value": [problem]}
        assert not MetricValue.objects.exists()
