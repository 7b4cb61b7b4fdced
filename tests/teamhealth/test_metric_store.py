from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from teamhealth import periods
from teamhealth.models import MetricValue
from teamhealth.services import metrics
from tests.factories import MembershipFactory, TeamFactory


@pytest.mark.parametrize(
    ("day", "start"),
    [
        (date(2024, 1, 1), date(2024, 1, 1)),
        (date(2024, 1, 14), date(2024, 1, 1)),
        (date(2024, 1, 15), date(2024, 1, 15)),
        (date(2023, 12, 31), date(2023, 12, 18)),
        (date(2026, 11, 25), date(2026, 11, 16)),
    ],
)
def test_period_start_is_the_monday_opening_the_two_week_window(day, start):
    assert periods.period_start(day) == start
    assert (periods.period_end(start) - start).days == 13


def test_previous_periods_are_oldest_first_and_end_with_the_current_one():
    starts = periods.previous_periods(date(2026, 11, 25), 3)
    assert starts == [date(2026, 10, 19), date(2026, 11, 2), date(2026, 11, 16)]


@pytest.mark.django_db
def test_record_metric_replaces_the_value_of_the_same_period():
    team = TeamFactory()
    metrics.record_metric(
        team=team,
        metric="oncall_hours",
        day=date(2026, 11, 17),
        value=Decimal("12.5"),
        source="manual",
    )
    metrics.record_metric(
        team=team, metric="oncall_hours", day=date(2026, 11, 29), value=Decimal("9"), source="api"
    )
    value = MetricValue.objects.get()
    assert value.period_start == date(2026, 11, 16)
    assert value.value == Decimal("9")
    assert value.source == "api"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("metric", "value"), [("turnover", "100.5"), ("feedback_score", "101"), ("delivery_rate", "-1")]
)
def test_record_metric_rejects_out_of_range_values(metric, value):
    with pytest.raises(ValidationError):
        metrics.record_metric(
            team=TeamFactory(),
            metric=metric,
            day=date(2026, 11, 17),
            value=Decimal(value),
            source="manual",
        )
    assert not MetricValue.objects.exists()


@pytest.mark.django_db
def test_membership_cannot_end_before_it_began():
    from django.db import IntegrityError, transaction

    from tests.factories import MembershipFactory

    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(joined_on=date(2026, 5, 1), left_on=date(2026, 4, 1))


@pytest.mark.django_db
def test_admin_adds_a_team_with_a_manager_and_a_member(client_for, make_user):
    from teamhealth.models import Membership, Team

    admin = make_user(is_staff=True, is_superuser=True)
    manager = make_user("Manager")
    engineer = make_user("Engineer")
    response = client_for(admin).post(
        "/admin/teamhealth/team/add/",
        {
            "name": "Backend Payments",
            "slug": "backend-payments",
            "managers": [manager.pk],
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
            "memberships-0-user": engineer.pk,
            "memberships-0-joined_on": "2026-01-05",
            "memberships-0-left_on": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    team = Team.objects.get()
    assert list(team.managers.all()) == [manager]
    assert Membership.objects.get().user == engineer


@pytest.mark.django_db
def test_a_member_who_leaves_on_the_last_day_of_the_turnover_window_counts():
    today = date(2026, 11, 25)  # the window is the 182 days ending today, today included
    team = TeamFactory()
    for _ in range(9):
        MembershipFactory(team=team, joined_on=date(2025, 1, 1))
    MembershipFactory(team=team, joined_on=date(2025, 1, 1), left_on=today)

    value = metrics.compute_turnover(team=team, today=today)

    # 1 leaver over an average headcount of (13 x 10 + 9) / 14 samples = 10.07 %.
    assert value.value == Decimal("10.07")
