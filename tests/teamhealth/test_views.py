"""Pages: who sees what (another team's data is a 404), and constant query counts."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from teamhealth.models import Alert, Threshold
from teamhealth.services import alerts, evaluation, metrics
from tests.factories import TeamFactory, UserFactory, metric_series

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager():
    return UserFactory(username="maya", roles=["Manager"])


@pytest.fixture
def team(manager):
    team = TeamFactory(name="Backend Payments", managers=[manager])
    metric_series(team, "oncall_hours", [6, 7, 8, 12.5])
    metric_series(team, "delivery_rate", [30, 31, 29, 30])
    evaluation.evaluate_team_health(team=team, today=timezone.localdate())
    return team


@pytest.fixture
def other_team():
    team = TeamFactory(name="Other", managers=[UserFactory(roles=["Manager"])])
    metric_series(team, "turnover", [30])
    evaluation.evaluate_team_health(team=team, today=timezone.localdate())
    return team


def test_team_page_shows_value_threshold_source_status_and_alert(client_for, manager, team):
    Threshold.objects.create(team=team, metric="delivery_rate", limit=25)
    html = client_for(manager).get(f"/team-health/teams/{team.slug}/").content.decode()
    assert "[Backend Payments] High on-call burden: 12.5 hrs/week (max 10.0)" in html
    assert "Past threshold" in html
    assert 'max 10.0 hrs/week</strong> <span class="text-body-secondary">(global default)' in html
    assert (
        'min 25.0 points/sprint</strong> <span class="text-body-secondary">(team override)' in html
    )
    assert 'id="teamhealth-charts"' in html
    assert "No survey results have been published" in html


def test_team_page_shows_survey_score_and_overdue_action_plan(client_for, manager, team):
    metric_series(team, "feedback_score", [71], source="survey")
    alerts.raise_action_plan_overdue(
        team=team, round_label="R7", closed_on=timezone.localdate() - timedelta(days=8)
    )
    html = client_for(manager).get(f"/team-health/teams/{team.slug}/").content.decode()
    assert "Latest feedback score from the anonymous survey: <strong>71.0</strong>" in html
    assert "Action plan overdue" in html


@pytest.mark.parametrize(
    ("roles", "staff", "own", "other"),
    [
        (["Manager"], False, 200, 404),
        (["Director"], False, 200, 200),
        (["Admin"], False, 200, 200),
        ([], True, 404, 404),
        (["Engineer"], False, 404, 404),
        (["Recruiter", "Interviewer"], False, 404, 404),
    ],
)
def test_team_page_permissions(client_for, manager, team, other_team, roles, staff, own, other):
    user = manager if roles == ["Manager"] else UserFactory(roles=roles, is_staff=staff)
    client = client_for(user)
    assert client.get(f"/team-health/teams/{team.slug}/").status_code == own
    assert client.get(f"/team-health/teams/{other_team.slug}/").status_code == other
    alert = other_team.alerts.get()
    assert client.get(f"/team-health/alerts/{alert.pk}/").status_code == other


def test_manager_cannot_acknowledge_or_snooze_another_teams_alert(client_for, manager, other_team):
    alert = other_team.alerts.get()
    client = client_for(manager)
    assert client.post(f"/team-health/alerts/{alert.pk}/acknowledge/").status_code == 404
    assert (
        client.post(f"/team-health/alerts/{alert.pk}/snooze/", {"until": "2099-01-01"}).status_code
        == 404
    )
    alert.refresh_from_db()
    assert alert.status == Alert.Status.FIRING


def test_director_reads_but_cannot_acknowledge(client_for, team):
    director = UserFactory(roles=["Director"])
    alert = team.alerts.get(subject="oncall_hours")
    assert (
        client_for(director).post(f"/team-health/alerts/{alert.pk}/acknowledge/").status_code == 404
    )


def test_manager_snoozes_then_acknowledges_with_a_note(client_for, manager, team):
    alert = team.alerts.get(subject="oncall_hours")
    client = client_for(manager)
    until = timezone.localdate() + timedelta(days=5)
    client.post(f"/team-health/alerts/{alert.pk}/snooze/", {"until": until.isoformat()})
    response = client.post(f"/team-health/alerts/{alert.pk}/acknowledge/", {"note": "Rota fixed"})
    assert response.status_code == 302
    alert.refresh_from_db()
    assert (alert.status, alert.acknowledged_by, alert.acknowledge_note) == (
        "acknowledged",
        manager,
        "Rota fixed",
    )
    assert alert.snoozed_until == until


@pytest.mark.parametrize(
    ("roles", "staff", "my_teams", "org"),
    [
        (["Manager"], False, 200, 404),
        (["Director"], False, 404, 200),
        (["Admin"], False, 200, 200),
        ([], True, 404, 404),
        (["Engineer"], False, 404, 404),
    ],
)
def test_overview_permissions(client_for, roles, staff, my_teams, org):
    client = client_for(UserFactory(roles=roles, is_staff=staff))
    assert client.get("/team-health/").status_code == my_teams
    assert client.get("/team-health/org/").status_code == org


def test_manager_overview_lists_only_their_teams(client_for, manager, team, other_team):
    html = client_for(manager).get("/team-health/").content.decode()
    assert "Backend Payments" in html
    assert "Other" not in html


def test_nav_shows_team_health_to_managers_and_org_overview_to_directors(client_for, manager):
    assert "Team health" in client_for(manager).get("/").content.decode()
    director_home = client_for(UserFactory(roles=["Director"])).get("/").content.decode()
    assert "Org overview" in director_home
    assert "Team health</a>" not in director_home


def test_metric_form_records_a_manual_value_for_own_team_only(
    client_for, manager, team, other_team
):
    client = client_for(manager)
    day = timezone.localdate().isoformat()
    response = client.post(
        "/team-health/values/new/",
        {"team": other_team.pk, "metric": "delivery_rate", "day": day, "value": "3"},
    )
    assert response.status_code == 200  # not a choice for this manager
    assert not other_team.metric_values.filter(metric="delivery_rate").exists()
    response = client.post(
        "/team-health/values/new/",
        {"team": team.pk, "metric": "turnover", "day": day, "value": "120"},
    )
    assert "between 0 and 100" in response.content.decode()
    response = client.post(
        "/team-health/values/new/",
        {"team": team.pk, "metric": "turnover", "day": day, "value": "12"},
    )
    assert response.status_code == 302
    value = team.metric_values.get(metric="turnover")
    assert (value.source, value.entered_by) == ("manual", manager)


def test_metric_form_refuses_a_period_that_has_not_begun(client_for, manager, team):
    # A future value became the team's latest one and hid the current period's.
    next_period = timezone.localdate() + timedelta(days=14)
    response = client_for(manager).post(
        "/team-health/values/new/",
        {"team": team.pk, "metric": "oncall_hours", "day": next_period.isoformat(), "value": "5"},
    )
    assert response.status_code == 200
    assert "has not begun yet." in response.content.decode()
    assert not team.metric_values.filter(period_start__gt=timezone.localdate()).exists()


def test_team_page_says_by_only_for_a_person(client_for, manager, team):
    # A pushed survey score read "Survey by survey round Backend Payments · 2 Nov 2026".
    metrics.record_metric(
        team=team,
        metric="feedback_score",
        day=timezone.localdate(),
        value=Decimal("60.4"),
        source="survey",
        entered_via="survey round Backend Payments · 2 Nov 2026",
    )
    metrics.record_metric(
        team=team,
        metric="delivery_rate",
        day=timezone.localdate(),
        value=Decimal(30),
        source="manual",
        entered_by=manager,
        entered_via="form",
    )
    text = client_for(manager).get(f"/team-health/teams/{team.slug}/").content.decode()
    assert "Survey · survey round Backend Payments · 2 Nov 2026" in text
    assert "by survey round" not in text
    assert f"Manual entry by {manager}" in text


def make_teams(count, manager):
    for i in range(count):
        team = TeamFactory(name=f"Load {i:03d}", managers=[manager])
        for metric, values in [
            ("oncall_hours", [6, 7, 8, 12]),
            ("turnover", [10, 11, 12, 25]),
            ("delivery_rate", [30, 30, 30, 30]),
            ("feedback_score", [70, 70, 70, 50]),
        ]:
            metric_series(team, metric, values * 4)
        Threshold.objects.create(team=team, metric="oncall_hours", limit=11)
    evaluation.evaluate_teams(
        team_ids=list(manager.managed_teams.values_list("pk", flat=True)),
        today=timezone.localdate(),
    )


# session, user, groups (roles, read once), team, values, thresholds, alerts,
# latest survey summary, managers, alert response times
TEAM_PAGE_QUERIES = 10
# session, user, groups, teams, values, thresholds, alerts
OVERVIEW_QUERIES = 7


@pytest.mark.parametrize("extra_alerts", [0, 3])
def test_team_page_query_count_is_constant(
    client_for, manager, team, django_assert_num_queries, extra_alerts
):
    metric_series(team, "turnover", [10] * 13)
    metric_series(team, "feedback_score", [60] * 13, source="survey")
    if extra_alerts:
        team.managers.add(*UserFactory.create_batch(3, roles=["Manager"]))
        team.metric_values.filter(metric__in=["oncall_hours", "delivery_rate"]).delete()
        metric_series(team, "oncall_hours", [6, 7, 8] * 4 + [12.5])
        metric_series(team, "delivery_rate", [30, 31, 29] * 4 + [30])
        evaluation.evaluate_team_health(team=team, today=timezone.localdate())
        alerts.raise_action_plan_overdue(team=team, round_label="R", closed_on=timezone.localdate())
        for alert in team.alerts.all()[:1]:
            alerts.acknowledge_alert(alert=alert, user=manager, note="x")
        for weeks in (2, 4, 6):
            metrics.record_survey_summary(
                team=team,
                round_label=f"R{weeks}",
                closed_on=timezone.localdate() - timedelta(weeks=weeks),
                feedback_score=Decimal(60),
                dimension_scores={"Role clarity": Decimal(60), "Team dynamics": Decimal(55)},
                top_concerns=["a", "b", "c"],
                results_url="/surveys/rounds/1/",
                action_plan_status="published",
            )
    client = client_for(manager)
    with django_assert_num_queries(TEAM_PAGE_QUERIES):
        assert client.get(f"/team-health/teams/{team.slug}/").status_code == 200


@pytest.mark.parametrize("teams", [2, 20])
def test_org_overview_query_count_is_constant(client_for, django_assert_num_queries, teams):
    owner = UserFactory(roles=["Manager"])
    make_teams(teams, owner)
    client = client_for(UserFactory(roles=["Director"]))
    with django_assert_num_queries(OVERVIEW_QUERIES):
        response = client.get("/team-health/org/")
    assert response.content.decode().count("/team-health/teams/load-") == teams


@pytest.mark.parametrize("teams", [1, 10])
def test_my_teams_query_count_is_constant(client_for, django_assert_num_queries, teams):
    owner = UserFactory(roles=["Manager"])
    make_teams(teams, owner)
    client = client_for(owner)
    with django_assert_num_queries(OVERVIEW_QUERIES):
        response = client.get("/team-health/")
    assert response.content.decode().count("/team-health/teams/load-") == teams


def test_manager_acknowledges_from_the_team_page_and_returns_to_it(client_for, manager, team):
    alert = team.alerts.get(subject="oncall_hours")
    page = f"/team-health/teams/{team.slug}/"
    html = client_for(manager).get(page).content.decode()
    assert f'action="/team-health/alerts/{alert.pk}/acknowledge/"' in html
    response = client_for(manager).post(
        f"/team-health/alerts/{alert.pk}/acknowledge/", HTTP_REFERER=f"http://testserver{page}"
    )
    assert response["Location"] == page
    alert.refresh_from_db()
    assert alert.status == Alert.Status.ACKNOWLEDGED


def test_directors_get_no_acknowledge_buttons(client_for, team):
    html = client_for(UserFactory(roles=["Director"])).get(f"/team-health/teams/{team.slug}/")
    assert "Acknowledge" not in html.content.decode()


def test_admins_see_failed_and_unconfirmed_messages_on_the_org_overview(
    client_for, admin_user, team
):
    from outbox.models import Message

    emails = Message.objects.filter(channel="email")
    assert emails.count() == 1
    emails.update(status="failed")
    html = client_for(admin_user).get("/team-health/org/").content.decode()
    assert "1 message could not be delivered" in html
    assert "/admin/outbox/message/?status__exact=failed" in html
    assert "did not answer in time" not in html
    Message.objects.create(
        channel="slack",
        kind="teamhealth.alert.fired",
        recipient="http://127.0.0.1:9/hook",
        dedupe_key="unconfirmed",
        message_id="<u@keel.invalid>",
        status="sent",
        sent_at=timezone.now(),
        uncertain_attempts=1,
    )
    html = client_for(admin_user).get("/team-health/org/").content.decode()
    assert "1 Slack post went out but Slack did not answer in time" in html
    # A director reads the overview too, without the admin's delivery report.
    director = client_for(UserFactory(roles=["Director"])).get("/team-health/org/").content
    assert b"could not be delivered" not in director


def test_overview_labels_each_cell_for_the_phone_layout(client_for, team):
    html = client_for(UserFactory(roles=["Director"])).get("/team-health/org/").content.decode()
    for label in ("6-month turnover", "Feedback score", "On-call burden", "Delivery rate"):
        assert f'<td data-label="{label}">' in html
    assert '<td class="text-end" data-label="Open alerts">' in html


def test_alert_page_gives_value_and_threshold_with_their_unit(client_for, manager, team):
    alert = team.alerts.get(subject="oncall_hours")
    html = client_for(manager).get(f"/team-health/alerts/{alert.pk}/").content.decode()
    assert '<dd class="col-7">12.5 hrs/week</dd>' in html
    assert '<dd class="col-7">10.0 hrs/week</dd>' in html


def test_an_acknowledged_alert_offers_no_snooze_and_refuses_one(client_for, manager, team):
    alert = team.alerts.get(subject="oncall_hours")
    client = client_for(manager)
    page = f"/team-health/teams/{team.slug}/"
    assert f'action="/team-health/alerts/{alert.pk}/snooze/"' in client.get(page).content.decode()
    alerts.acknowledge_alert(alert=alert, user=manager)
    assert (
        f'action="/team-health/alerts/{alert.pk}/snooze/"' not in client.get(page).content.decode()
    )
    detail = client.get(f"/team-health/alerts/{alert.pk}/").content.decode()
    assert "Snooze until" not in detail
    response = client.post(
        f"/team-health/alerts/{alert.pk}/snooze/",
        {"until": (timezone.localdate() + timedelta(days=3)).isoformat()},
        follow=True,
    )
    assert "Only a firing alert can be snoozed; this one is acknowledged." in (
        response.content.decode()
    )
    alert.refresh_from_db()
    assert alert.snoozed_until is None


def test_a_snooze_that_ended_is_no_longer_shown(client_for, manager, team):
    alert = team.alerts.get(subject="oncall_hours")
    alerts.snooze_alert(
        alert=alert,
        user=manager,
        until=timezone.localdate() + timedelta(days=2),
        today=timezone.localdate(),
    )
    client = client_for(manager)
    assert "Snoozed until" in client.get(f"/team-health/teams/{team.slug}/").content.decode()
    Alert.objects.filter(pk=alert.pk).update(snoozed_until=timezone.localdate() - timedelta(days=1))
    assert "Snoozed until" not in client.get(f"/team-health/teams/{team.slug}/").content.decode()
    assert "Snoozed until" not in client.get(f"/team-health/alerts/{alert.pk}/").content.decode()


def test_a_snoozed_alert_shows_as_snoozed_until_its_date_not_as_firing(client_for, manager, team):
    alert = team.alerts.get(subject="oncall_hours")
    until = timezone.localdate() + timedelta(days=3)
    alerts.snooze_alert(alert=alert, user=manager, until=until, today=timezone.localdate())
    label = f"Snoozed until {until:%-d %b %Y}"
    client = client_for(manager)
    for page in (f"/team-health/teams/{team.slug}/", f"/team-health/alerts/{alert.pk}/"):
        html = client.get(page).content.decode()
        assert f'alert-status-snoozed"><i class="bi bi-bell-slash"></i> {label}</span>' in html
        assert "alert-status-firing" not in html
    # Once the date has passed it fires again, and shows so.
    Alert.objects.filter(pk=alert.pk).update(snoozed_until=timezone.localdate() - timedelta(days=1))
    html = client.get(f"/team-health/alerts/{alert.pk}/").content.decode()
    assert '<span class="badge alert-status-firing">Firing</span>' in html


def test_org_overview_counts_snoozed_alerts_apart_from_firing_ones(client_for, manager, team):
    director = UserFactory(roles=["Director"])
    assert team.alerts.count() == 1
    alerts.snooze_alert(
        alert=team.alerts.get(),
        user=manager,
        until=timezone.localdate() + timedelta(days=3),
        today=timezone.localdate(),
    )
    html = client_for(director).get("/team-health/org/").content.decode()
    cell = html.split('data-label="Open alerts">', 1)[1].split("</td>", 1)[0]
    assert "text-bg-danger" not in cell
    assert "1 snoozed" in cell


@pytest.mark.parametrize(
    ("preset", "days"),
    [("day", 1), ("week", 7), ("period", None)],
)
def test_snooze_presets_snooze_to_their_date(client_for, manager, team, preset, days):
    from teamhealth import periods

    today = timezone.localdate()
    if preset == "period" and periods.period_end(periods.period_start(today)) == today:
        pytest.skip("no 'until the next period' on a period's last day")
    alert = team.alerts.get(subject="oncall_hours")
    page = client_for(manager).get(f"/team-health/alerts/{alert.pk}/").content.decode()
    assert f'name="preset" value="{preset}"' in page
    response = client_for(manager).post(
        f"/team-health/alerts/{alert.pk}/snooze/", {"preset": preset}
    )
    assert response.status_code == 302
    alert.refresh_from_db()
    expected = (
        today + timedelta(days=days) if days else periods.period_end(periods.period_start(today))
    )
    assert alert.snoozed_until == expected


def test_snooze_to_a_date_of_ones_own_and_its_messages_next_to_the_field(client_for, manager, team):
    alert = team.alerts.get(subject="oncall_hours")
    client = client_for(manager)
    url = f"/team-health/alerts/{alert.pk}/snooze/"
    missing = client.post(url, {"preset": "date", "until": ""})
    assert missing.status_code == 400
    assert "Pick the date to snooze until, or one of the presets." in missing.content.decode()
    too_far = client.post(
        url, {"preset": "date", "until": (timezone.localdate() + timedelta(days=91)).isoformat()}
    )
    assert too_far.status_code == 400
    assert 'id="error_1_id_until"' in too_far.content.decode()
    assert "Snooze for at most 90 days." in too_far.content.decode()
    alert.refresh_from_db()
    assert alert.snoozed_until is None
    until = timezone.localdate() + timedelta(days=10)
    client.post(url, {"preset": "date", "until": until.isoformat()})
    alert.refresh_from_db()
    assert alert.snoozed_until == until
