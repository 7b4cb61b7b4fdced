from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from teamhealth import selectors, tasks
from teamhealth.admin import ThresholdForm
from teamhealth.models import Alert, MetricValue, SlackWebhook, Threshold
from teamhealth.services import evaluation, metrics
from tests.factories import MembershipFactory, TeamFactory, metric_series

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("metric", "limit", "message"),
    [
        ("turnover", "101", "This is a percentage: it must be between 0 and 100."),
        ("feedback_score", "-5", "It cannot be negative: a threshold is 0 or more."),
        ("oncall_hours", "-1", "Hours cannot be negative: a threshold is 0 or more."),
        ("delivery_rate", "-1", "Points cannot be negative: a threshold is 0 or more."),
    ],
)
def test_threshold_form_rejects_out_of_range_limits_with_a_clear_message(metric, limit, message):
    team = TeamFactory()
    form = ThresholdForm(data={"team": team.pk, "metric": metric, "limit": limit})
    assert not form.is_valid()
    assert message in form.errors["limit"]


def test_a_team_overrides_each_metric_once():
    team = TeamFactory()
    Threshold.objects.create(team=team, metric="turnover", limit=10)
    form = ThresholdForm(data={"team": team.pk, "metric": "turnover", "limit": "12"})
    assert not form.is_valid()
    assert "This team already overrides this metric." in str(form.errors)


def test_the_global_defaults_are_seeded():
    limits = dict(Threshold.objects.filter(team=None).values_list("metric", "limit"))
    assert limits == {
        "turnover": Decimal("20.00"),
        "feedback_score": Decimal("65.00"),
        "oncall_hours": Decimal("10.00"),
        "delivery_rate": Decimal("20.00"),
    }


def test_preview_counts_alerts_over_the_last_12_periods_skipping_overridden_teams(
    client_for, admin_user
):
    busy, calm, own = TeamFactory(), TeamFactory(), TeamFactory()
    metric_series(busy, "oncall_hours", [12, 12, 5, 12] + [5] * 9)  # last 12: 12, 5, 12, 5…
    metric_series(calm, "oncall_hours", [5] * 13)
    metric_series(own, "oncall_hours", [30] * 13)
    Threshold.objects.create(team=own, metric="oncall_hours", limit=40)
    response = client_for(admin_user).get(
        "/admin/teamhealth/threshold/preview/", {"metric": "oncall_hours", "limit": "11"}
    )
    data = response.json()
    assert (data["count"], data["current_count"]) == (2, 2)  # two episodes, not three periods
    response = client_for(admin_user).get(
        "/admin/teamhealth/threshold/preview/", {"metric": "oncall_hours", "limit": "4"}
    )
    assert response.json()["count"] == 2  # one long episode for each of busy and calm
    response = client_for(admin_user).get(
        "/admin/teamhealth/threshold/preview/",
        {"metric": "oncall_hours", "limit": "20", "team": own.pk},
    )
    assert response.json()["count"] == 1
    assert "for " + own.name in response.json()["message"]


def test_preview_is_for_admins_only(client_for, make_user):
    response = client_for(make_user("Manager")).get(
        "/admin/teamhealth/threshold/preview/", {"metric": "oncall_hours", "limit": "4"}
    )
    assert response.status_code == 302  # to the admin login


def test_preview_explains_a_bad_limit(client_for, admin_user):
    response = client_for(admin_user).get(
        "/admin/teamhealth/threshold/preview/", {"metric": "turnover", "limit": "120"}
    )
    assert response.status_code == 400
    assert response.json()["error"] == "This is a percentage: it must be between 0 and 100."


def test_nightly_task_computes_turnover_and_evaluates_every_team():
    team = TeamFactory(name="Backend Payments")
    today = timezone.localdate()
    for _ in range(3):
        MembershipFactory(team=team, joined_on=date(2024, 1, 1))
    MembershipFactory(team=team, joined_on=date(2024, 1, 1), left_on=today - timedelta(days=3))
    metric_series(TeamFactory(), "delivery_rate", [3])
    assert tasks.evaluate_all_teams() == 2
    turnover = team.metric_values.get(metric="turnover")
    assert turnover.source == "computed"
    assert turnover.value > 20
    assert sorted(Alert.objects.values_list("subject", flat=True)) == ["delivery_rate", "turnover"]
    assert selectors.limits_in_force([team.pk])[team.pk]["turnover"][1] == "global default"


def test_a_threshold_is_not_saved_before_its_preview_was_shown(client_for, admin_user):
    busy = TeamFactory()
    metric_series(busy, "oncall_hours", [12] * 13)
    threshold = Threshold.objects.get(team=None, metric="oncall_hours")
    url = f"/admin/teamhealth/threshold/{threshold.pk}/change/"
    client = client_for(admin_user)
    form = {"team": "", "metric": "oncall_hours", "limit": "15"}

    # Without JavaScript nobody saw the preview: the first save shows it instead.
    response = client.post(url, form)
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "Check what this would do, then save again to confirm: With 15 this would have "
        "raised 0 alerts over the last 12 periods for all teams without an override "
        "(the threshold in force, 10.00, raised 1)." in html
    )
    assert 'name="previewed_limit" value="15"' in html
    threshold.refresh_from_db()
    assert threshold.limit == Decimal("10.00")

    # Saving again, with the preview shown for 15, saves it.
    response = client.post(url, {**form, "previewed_limit": "15"})
    assert response.status_code == 302
    threshold.refresh_from_db()
    assert threshold.limit == Decimal("15.00")


def test_a_preview_of_another_limit_does_not_confirm_this_one():
    team = TeamFactory()
    form = ThresholdForm(
        data={"team": team.pk, "metric": "turnover", "limit": "12", "previewed_limit": "11"}
    )
    assert not form.is_valid()
    assert "save again to confirm" in form.errors["limit"][0]
    confirmed = ThresholdForm(
        data={"team": team.pk, "metric": "turnover", "limit": "12", "previewed_limit": "12.0"}
    )
    assert confirmed.is_valid(), confirmed.errors


def test_saving_a_threshold_without_changing_its_limit_needs_no_preview():
    threshold = Threshold.objects.get(team=None, metric="turnover")
    form = ThresholdForm(
        instance=threshold, data={"team": "", "metric": "turnover", "limit": "20.00"}
    )
    assert form.is_valid(), form.errors


@pytest.mark.parametrize("teams", [3, 30])
def test_nightly_turnover_takes_the_same_queries_for_any_number_of_teams(
    teams, django_assert_num_queries
):
    today = timezone.localdate()
    created = []
    for _ in range(teams):
        team = TeamFactory()
        for _ in range(3):
            MembershipFactory(team=team, joined_on=date(2024, 1, 1))
        MembershipFactory(team=team, joined_on=date(2024, 1, 1), left_on=today - timedelta(days=3))
        created.append(team)
    manual = created[0]
    metrics.record_metric(
        team=manual, metric="turnover", day=today, value=Decimal(5), source="manual"
    )
    stale = created[1]
    metrics.record_metric(
        team=stale, metric="turnover", day=today, value=Decimal(1), source="computed"
    )
    ids = [t.pk for t in created]
    # savepoint, existing values, memberships, insert, update, release
    with django_assert_num_queries(6):
        assert metrics.compute_turnovers(team_ids=ids, today=today) == teams - 1
    turnover = dict(MetricValue.objects.filter(metric="turnover").values_list("team_id", "value"))
    assert turnover[manual.pk] == Decimal(5)  # an admin's value wins
    # 1 leaver over an average headcount between 4 and 3: about 25-29%
    assert all(Decimal(25) < turnover[t.pk] < Decimal(30) for t in created[1:])


def test_changing_a_threshold_in_admin_re_evaluates_the_teams_it_applies_to(
    client_for, admin_user, django_capture_on_commit_callbacks
):
    team = TeamFactory()
    metric_series(team, "oncall_hours", [12.5])
    evaluation.evaluate_team_health(team=team, today=timezone.localdate())
    alert = Alert.objects.get(team=team, subject="oncall_hours")
    threshold = Threshold.objects.get(team=None, metric="oncall_hours")
    client = client_for(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/teamhealth/threshold/{threshold.pk}/change/",
            {"team": "", "metric": "oncall_hours", "limit": "15", "previewed_limit": "15"},
        )
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.status == Alert.Status.RESOLVED  # 12.5 is within the new maximum of 15

    # A team override of 11 brings it back for that team alone.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/admin/teamhealth/threshold/add/",
            {"team": team.pk, "metric": "oncall_hours", "limit": "11", "previewed_limit": "11"},
        )
    assert Alert.objects.get(team=team, subject="oncall_hours", status="firing").limit == 11
    # Deleting the override: the global 15 applies again and the alert clears.
    override = Threshold.objects.get(team=team)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/teamhealth/threshold/{override.pk}/delete/", {"post": "yes"})
    assert not Alert.objects.filter(team=team).exclude(status="resolved").exists()


def test_slack_webhook_admin_list_query_count_does_not_grow_with_rows(client_for, admin_user):
    client = client_for(admin_user)

    def queries_for_list() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/admin/teamhealth/slackwebhook/").status_code == 200
        return len(captured)

    SlackWebhook.objects.create(team=TeamFactory(), url="https://hooks.example.test/1")
    one = queries_for_list()
    for n in range(2, 6):
        SlackWebhook.objects.create(team=TeamFactory(), url=f"https://hooks.example.test/{n}")
    assert queries_for_list() == one


def test_preview_gives_the_teams_chart_with_the_limit_and_keeps_it_for_a_bad_limit(
    client_for, admin_user
):
    team = TeamFactory(name="Backend Payments")
    metric_series(team, "oncall_hours", [6, 7, 12.5])
    client = client_for(admin_user)
    url = "/admin/teamhealth/threshold/preview/"
    data = client.get(url, {"metric": "oncall_hours", "limit": "8", "team": team.pk}).json()
    assert data["limit"] == 8.0
    assert data["chart"]["values"][-3:] == [6.0, 7.0, 12.5]
    assert len(data["chart"]["labels"]) == 12
    assert data["chart"]["current_limit"] == 10.0
    assert "would have raised" in data["message"]
    bad = client.get(url, {"metric": "oncall_hours", "limit": "-1", "team": team.pk})
    assert bad.status_code == 400
    assert bad.json()["error"] == "Hours cannot be negative: a threshold is 0 or more."
    assert bad.json()["chart"]["values"][-1] == 12.5
    global_limit = client.get(url, {"metric": "oncall_hours", "limit": "8"}).json()
    assert global_limit["chart"] is None
