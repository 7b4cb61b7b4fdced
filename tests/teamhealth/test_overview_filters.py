"""The org overview: latest values computed by the database, filters, pages, counts."""

import random
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from teamhealth import selectors
from teamhealth.models import Alert, Team, Threshold
from teamhealth.services import alerts, evaluation
from tests.factories import TeamFactory, UserFactory, metric_series

pytestmark = pytest.mark.django_db


@pytest.fixture
def director():
    return UserFactory(roles=["Director"])


def _healthy(name):
    team = TeamFactory(name=name)
    metric_series(team, "oncall_hours", [5, 6, 5, 6])
    metric_series(team, "delivery_rate", [30, 31, 30, 31])
    return team


def _past_threshold(name, metric="oncall_hours", values=(5, 6, 7, 14)):
    team = TeamFactory(name=name)
    metric_series(team, metric, list(values))
    return team


def test_overview_shows_teams_needing_attention_by_default_and_all_on_asking(client_for, director):
    _healthy("Calm Crew")
    _past_threshold("Busy Pagers")
    alerting = _healthy("Alerting Team")
    Alert.objects.create(
        team=alerting,
        subject="turnover",
        kind=Alert.Kind.BREACH,
        period_start=timezone.localdate(),
        value=Decimal(30),
        limit=Decimal(15),
        message="[Team] High turnover: 30% (max 15%)",
    )
    client = client_for(director)
    page = client.get("/team-health/org/")
    assert [r["team"].name for r in page.context["rows"]] == ["Alerting Team", "Busy Pagers"]
    assert (page.context["overview"].attention, page.context["overview"].total) == (2, 3)
    assert "<strong>2</strong> of 3 teams need attention" in page.content.decode()
    everyone = client.get("/team-health/org/", {"state": "all"}).context["rows"]
    assert [r["team"].name for r in everyone] == ["Alerting Team", "Busy Pagers", "Calm Crew"]
    on_call = client.get("/team-health/org/", {"metric": "oncall_hours"}).context
    assert [r["team"].name for r in on_call["rows"]] == ["Busy Pagers"]
    assert on_call["overview"].metric_label == "On-call burden"
    named = client.get("/team-health/org/", {"state": "all", "q": " calm "}).context["rows"]
    assert [r["team"].name for r in named] == ["Calm Crew"]
    nonsense = client.get("/team-health/org/", {"state": "x", "metric": "y", "page": "z"})
    assert nonsense.status_code == 200
    assert nonsense.context["overview"].state == "attention"


def test_a_snoozed_alert_alone_does_not_need_attention(client_for, director):
    team = _healthy("Snoozed Team")
    alert = Alert.objects.create(
        team=team,
        subject="turnover",
        kind=Alert.Kind.BREACH,
        period_start=timezone.localdate(),
        value=Decimal(30),
        limit=Decimal(15),
        message="[Team] High turnover: 30% (max 15%)",
    )
    today = timezone.localdate()
    alerts.snooze_alert(
        alert=alert,
        user=UserFactory(roles=["Manager"]),
        until=today + timedelta(days=1),
        today=today,
    )
    Alert.objects.filter(pk=alert.pk).update(snoozed_until=today)  # its last quiet day
    assert client_for(director).get("/team-health/org/").context["rows"] == []
    html = client_for(director).get("/team-health/org/").content.decode()
    assert "No team here needs attention." in html
    Alert.objects.filter(pk=alert.pk).update(snoozed_until=today - timedelta(days=1))
    rows = client_for(director).get("/team-health/org/").context["rows"]
    assert [r["team"].name for r in rows] == ["Snoozed Team"]


def test_a_team_override_changes_what_needs_attention(client_for, director):
    team = _past_threshold("Busy Pagers")  # 14 hrs against the default 10
    Threshold.objects.create(team=team, metric="oncall_hours", limit=20)
    assert client_for(director).get("/team-health/org/").context["rows"] == []
    Threshold.objects.filter(team=None, metric="delivery_rate").update(limit=40)
    _healthy("Slow Team")  # delivery 31 < 40 now
    rows = client_for(director).get("/team-health/org/").context["rows"]
    assert [r["team"].name for r in rows] == ["Slow Team"]


def test_overview_pages_25_teams_at_a_time(client_for, director):
    for index in range(30):
        _past_threshold(f"Team {index:02}")
    client = client_for(director)
    first = client.get("/team-health/org/")
    assert len(first.context["rows"]) == 25
    assert "Page 1 of 2" in first.content.decode()
    second = client.get("/team-health/org/", {"page": 2}).context["rows"]
    assert [r["team"].name for r in second] == [f"Team {i}" for i in range(25, 30)]


def test_the_database_latest_value_and_status_match_the_team_page(director):
    """Every cell of the overview agrees with the team page's own computation
    (values, overrides, alerts) on random data."""
    rng = random.Random(11)
    metrics = ("turnover", "feedback_score", "oncall_hours", "delivery_rate")
    for index in range(12):
        team = TeamFactory(name=f"Random {index:02}")
        for metric in metrics:
            if rng.random() < 0.2:
                continue  # no data at all for this metric
            values = [round(rng.uniform(0, 60), 2) for _ in range(rng.randint(1, 16))]
            metric_series(team, metric, values)
            if rng.random() < 0.3:
                Threshold.objects.create(team=team, metric=metric, limit=rng.randint(5, 50))
    Threshold.objects.filter(team=None, metric="turnover").update(limit=20)
    today = timezone.localdate()
    evaluation.evaluate_teams(team_ids=list(Team.objects.values_list("pk", flat=True)), today=today)
    shown = selectors.overview(Team.objects.all(), today=today, state=selectors.ALL)
    assert len(shown.rows) == 12
    attention = 0
    for row in shown.rows:
        page = selectors.team_health(row["team"], today=today)
        expected = [(r.value, r.limit, r.status) for r in page["rows"]]
        assert [(c["value"], c["limit"], c["status"]) for c in row["cells"]] == expected
        firing = any(
            a.status == Alert.Status.FIRING and not (a.snoozed_until and a.snoozed_until >= today)
            for a in row["team"].alerts.all()
        )
        attention += firing or any(r.status == "breach" for r in page["rows"])
    assert shown.attention == attention


@pytest.mark.parametrize("teams", [3, 30])
def test_all_teams_view_keeps_its_query_count(
    client_for, director, django_assert_num_queries, teams
):
    for index in range(teams):
        _past_threshold(f"Team {index:02}") if index % 2 else _healthy(f"Team {index:02}")
    client = client_for(director)
    # session, user, groups, global thresholds, counts, the page's teams, their alerts
    with django_assert_num_queries(7):
        response = client.get("/team-health/org/", {"state": "all", "q": "team"})
    assert len(response.context["rows"]) == min(teams, 25)


@pytest.mark.parametrize("roles", [["Manager"], ["Engineer"], ["Interviewer"], []])
def test_only_directors_and_admins_read_the_filtered_overview(client_for, roles):
    _past_threshold("Busy Pagers")
    client = client_for(UserFactory(roles=roles))
    assert client.get("/team-health/org/", {"state": "all", "q": "busy"}).status_code == 404
