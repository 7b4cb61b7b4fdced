"""The alert lifecycle: firing → acknowledged → resolved, snooze, reminders, escalation."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from outbox.models import Message
from teamhealth import periods, selectors
from teamhealth.models import Alert, MetricValue, SlackWebhook, Threshold
from teamhealth.services import alerts, evaluation, metrics
from tests.factories import TeamFactory, UserFactory, metric_series

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 25)  # period starting 16 Nov
NEXT_PERIOD = date(2026, 12, 2)


@pytest.fixture
def manager():
    return UserFactory(username="maya", email="maya@example.com", roles=["Manager"])


@pytest.fixture
def team(manager):
    return TeamFactory(name="Backend Payments", managers=[manager])


def evaluate(team, today=TODAY):
    return evaluation.evaluate_team_health(team=team, today=today)


def set_value(team, metric, value, day=TODAY):
    MetricValue.objects.update_or_create(
        team=team,
        metric=metric,
        period_start=periods.period_start(day),
        defaults={"value": Decimal(str(value)), "source": "manual"},
    )


def events(alert):
    kinds = Message.objects.filter(about=f"alert:{alert.pk}").order_by("pk")
    return [kind.removeprefix("teamhealth.alert.") for kind in kinds.values_list("kind", flat=True)]


def test_a_breach_fires_one_alert_with_the_product_message_and_emails_the_manager(
    team, django_capture_on_commit_callbacks
):
    metric_series(team, "oncall_hours", [12.5], today=TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        evaluate(team)
    alert = Alert.objects.get()
    assert alert.status == Alert.Status.FIRING
    assert alert.message == "[Backend Payments] High on-call burden: 12.5 hrs/week (max 10.0)"
    assert [m.subject for m in mail.outbox] == [alert.message]
    assert mail.outbox[0].to == ["maya@example.com"]
    assert "/team-health/teams/backend-payments/" in mail.outbox[0].body


def test_evaluating_again_in_the_same_period_does_not_notify_again(team):
    metric_series(team, "oncall_hours", [12.5], today=TODAY)
    evaluate(team)
    evaluate(team)
    assert Alert.objects.count() == 1
    assert events(Alert.objects.get()) == ["fired"]


def test_the_database_allows_one_open_alert_per_team_and_metric(team):
    Alert.objects.create(team=team, subject="oncall_hours", kind="breach", message="a")
    with pytest.raises(IntegrityError):
        Alert.objects.create(team=team, subject="oncall_hours", kind="breach", message="b")


def test_a_resolved_alert_does_not_block_a_new_one(team):
    Alert.objects.create(
        team=team, subject="oncall_hours", kind="breach", message="a", status="resolved"
    )
    Alert.objects.create(team=team, subject="oncall_hours", kind="breach", message="b")
    assert Alert.objects.count() == 2


def test_unacknowledged_alert_is_renotified_once_per_new_period(team):
    metric_series(team, "oncall_hours", [12.5], today=TODAY)
    evaluate(team)
    set_value(team, "oncall_hours", "12.5", day=NEXT_PERIOD)
    evaluate(team, NEXT_PERIOD)
    evaluate(team, NEXT_PERIOD + timedelta(days=1))
    assert events(Alert.objects.get()) == ["fired", "renotify"]


def test_an_acknowledged_alert_is_not_renotified(team, manager):
    metric_series(team, "oncall_hours", [12.5], today=TODAY)
    evaluate(team)
    alert = alerts.acknowledge_alert(alert=Alert.objects.get(), user=manager, note="On it")
    assert (alert.status, alert.acknowledged_by, alert.acknowledge_note) == (
        "acknowledged",
        manager,
        "On it",
    )
    set_value(team, "oncall_hours", "12.5", day=NEXT_PERIOD)
    evaluate(team, NEXT_PERIOD)
    assert events(alert) == ["fired"]


def test_only_a_firing_alert_can_be_acknowledged(team, manager):
    alert = Alert.objects.create(
        team=team, subject="turnover", kind="breach", message="x", status="resolved"
    )
    with pytest.raises(ValidationError):
        alerts.acknowledge_alert(alert=alert, user=manager)


def test_a_snoozed_alert_is_not_renotified_until_its_date(team, manager):
    metric_series(team, "oncall_hours", [12.5], today=TODAY)
    evaluate(team)
    alert = alerts.snooze_alert(
        alert=Alert.objects.get(), user=manager, until=NEXT_PERIOD + timedelta(days=2), today=TODAY
    )
    set_value(team, "oncall_hours", "12.5", day=NEXT_PERIOD)
    evaluate(team, NEXT_PERIOD)
    assert events(alert) == ["fired"]
    # The period after the snooze ended: reminded again.
    later = NEXT_PERIOD + timedelta(days=14)
    set_value(team, "oncall_hours", "12.5", day=later)
    evaluate(team, later)
    assert events(alert) == ["fired", "renotify"]


@pytest.mark.parametrize("until_offset", [0, -1, 91])
def test_snooze_needs_a_date_after_today_within_90_days(team, manager, until_offset):
    alert = Alert.objects.create(team=team, subject="turnover", kind="breach", message="x")
    with pytest.raises(ValidationError):
        alerts.snooze_alert(
            alert=alert, user=manager, until=TODAY + timedelta(days=until_offset), today=TODAY
        )


def test_getting_worse_escalates_even_an_acknowledged_alert(team, manager):
    metric_series(team, "oncall_hours", [12.5], today=TODAY)
    evaluate(team)
    alerts.acknowledge_alert(alert=Alert.objects.get(), user=manager)
    set_value(team, "oncall_hours", "15")
    evaluate(team)
    alert = Alert.objects.get()
    assert alert.status == Alert.Status.FIRING
    assert alert.message == "[Backend Payments] High on-call burden: 15.0 hrs/week (max 10.0)"
    assert events(alert) == ["fired", "escalated"]


def test_an_early_warning_turning_into_a_breach_escalates(team):
    metric_series(team, "oncall_hours", [5, 6, 7, 8], today=TODAY)
    evaluate(team)
    assert Alert.objects.get().kind == Alert.Kind.EARLY_WARNING
    set_value(team, "oncall_hours", "11")
    evaluate(team)
    alert = Alert.objects.get()
    assert alert.kind == Alert.Kind.BREACH
    assert events(alert) == ["fired", "escalated"]


def test_getting_slightly_better_updates_without_notifying(team):
    metric_series(team, "oncall_hours", [12.5], today=TODAY)
    evaluate(team)
    set_value(team, "oncall_hours", "11")
    evaluate(team)
    alert = Alert.objects.get()
    assert alert.value == Decimal("11")
    assert events(alert) == ["fired"]


def test_back_within_threshold_resolves_with_a_notice(team, django_capture_on_commit_callbacks):
    metric_series(team, "oncall_hours", [12.5], today=TODAY)
    evaluate(team)
    set_value(team, "oncall_hours", "10.0")  # equal: within
    with django_capture_on_commit_callbacks(execute=True):
        evaluate(team)
    alert = Alert.objects.get()
    assert alert.status == Alert.Status.RESOLVED
    assert alert.resolved_at is not None
    assert events(alert) == ["fired", "resolved"]
    assert mail.outbox[-1].subject.startswith("Resolved: [Backend Payments]")


def test_the_resolve_notice_quotes_the_value_that_cleared_the_alert(
    team, django_capture_on_commit_callbacks
):
    SlackWebhook.objects.create(team=team, url="http://127.0.0.1:9/team")
    metric_series(team, "oncall_hours", [12.5], today=TODAY)
    evaluate(team)
    set_value(team, "oncall_hours", "8")
    with django_capture_on_commit_callbacks(execute=True):
        evaluate(team)
    alert = Alert.objects.get()
    cleared = "back to 8.0 hrs/week (max 10.0)"
    assert alert.reason.endswith(f"Resolved: The value is {cleared}, within its threshold.")
    assert cleared in mail.outbox[-1].body
    slack = Message.objects.filter(channel="slack", kind="teamhealth.alert.resolved").get()
    assert cleared in slack.payload["blocks"][1]["elements"][0]["text"]


def test_all_four_metrics_are_checked(team):
    for metric, value in [
        ("turnover", 25),
        ("feedback_score", 50),
        ("oncall_hours", 11),
        ("delivery_rate", 10),
    ]:
        metric_series(team, metric, [value], today=TODAY)
    evaluate(team)
    assert sorted(Alert.objects.values_list("subject", flat=True)) == [
        "delivery_rate",
        "feedback_score",
        "oncall_hours",
        "turnover",
    ]


def test_a_team_override_wins_over_the_global_threshold(team):
    Threshold.objects.create(team=team, metric="oncall_hours", limit=Decimal("15"))
    metric_series(team, "oncall_hours", [12.5], today=TODAY)
    evaluate(team)
    assert not Alert.objects.exists()
    limits = selectors.limits_in_force([team.pk])[team.pk]
    assert limits["oncall_hours"] == (Decimal("15"), "team override")
    assert limits["turnover"] == (Decimal("20.00"), "global default")


def test_recording_a_value_evaluates_the_team_when_it_is_committed(
    team, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        metrics.record_metric(
            team=team,
            metric="delivery_rate",
            day=timezone.localdate(),
            value=Decimal("5"),
            source="api",
        )
    assert Alert.objects.get().subject == "delivery_rate"


def test_slack_webhooks_global_and_per_team_get_a_delivery_each(team):
    SlackWebhook.objects.create(url="http://127.0.0.1:9/global")
    SlackWebhook.objects.create(team=team, url="http://127.0.0.1:9/team")
    SlackWebhook.objects.create(team=TeamFactory(), url="http://127.0.0.1:9/other")
    metric_series(team, "oncall_hours", [12.5], today=TODAY)
    evaluate(team)
    slack = Message.objects.filter(channel="slack").order_by("recipient")
    assert [d.recipient for d in slack] == ["http://127.0.0.1:9/global", "http://127.0.0.1:9/team"]
    blocks = slack[0].payload["blocks"]
    assert blocks[-1]["elements"][0]["url"].endswith("/team-health/teams/backend-payments/")


def test_the_delivery_row_is_written_in_the_alerts_transaction(team):
    metric_series(team, "oncall_hours", [12.5], today=TODAY)

    class RolledBackError(Exception):
        pass

    def evaluate_then_fail():
        with transaction.atomic():
            evaluate(team)
            assert Message.objects.count() == 1
            raise RolledBackError

    with pytest.raises(RolledBackError):
        evaluate_then_fail()
    assert not Alert.objects.exists()
    assert not Message.objects.exists()


def test_computed_turnover_does_not_replace_an_admin_value(team):
    from tests.factories import MembershipFactory

    MembershipFactory(team=team, joined_on=date(2025, 1, 1), left_on=TODAY - timedelta(days=5))
    MembershipFactory(team=team, joined_on=date(2025, 1, 1))
    value = metrics.compute_turnover(team=team, today=TODAY)
    assert value.source == "computed"
    assert value.value > 0
    set_value(team, "turnover", "3")
    MetricValue.objects.filter(metric="turnover").update(source="manual")
    assert metrics.compute_turnover(team=team, today=TODAY).value == Decimal("3")


def test_escalation_ends_the_snooze_so_the_worse_alert_is_reminded_again(team, manager):
    metric_series(team, "oncall_hours", [12.5], today=TODAY)
    evaluate(team)
    alert = alerts.snooze_alert(
        alert=Alert.objects.get(), user=manager, until=TODAY + timedelta(days=60), today=TODAY
    )
    set_value(team, "oncall_hours", "15")
    evaluate(team)
    alert.refresh_from_db()
    assert (alert.status, alert.snoozed_until) == ("firing", None)
    # Still 15 in the next period and nobody acknowledged the escalation: a reminder.
    set_value(team, "oncall_hours", "15", day=NEXT_PERIOD)
    evaluate(team, NEXT_PERIOD)
    assert events(alert) == ["fired", "escalated", "renotify"]


def test_a_value_going_back_and_forth_escalates_once_not_at_every_step_up(team):
    metric_series(team, "oncall_hours", [12.5], today=TODAY)
    evaluate(team)
    for value in ("13", "12", "13", "12.8"):
        set_value(team, "oncall_hours", value)
        evaluate(team)
    alert = Alert.objects.get()
    assert events(alert) == ["fired", "escalated"]
    assert alert.value == Decimal("12.8")  # the page still shows the latest value
    set_value(team, "oncall_hours", "13.5")  # past the worst they were told of
    evaluate(team)
    assert events(alert) == ["fired", "escalated", "escalated"]


def test_a_breach_that_eased_to_a_warning_does_not_escalate_when_it_breaches_again(team):
    metric_series(team, "oncall_hours", [5, 6, 7, 8, 11], today=TODAY)
    evaluate(team)
    set_value(team, "oncall_hours", "9")  # still getting worse, within the limit: a warning
    evaluate(team)
    assert Alert.objects.get().kind == Alert.Kind.EARLY_WARNING
    set_value(team, "oncall_hours", "10.5")  # past again, but not as far as 11
    evaluate(team)
    alert = Alert.objects.get()
    assert alert.kind == Alert.Kind.BREACH
    assert events(alert) == ["fired"]
