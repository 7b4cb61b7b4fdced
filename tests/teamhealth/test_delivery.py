"""Reliable delivery: a local SMTP server and a local fake Slack, nothing leaves the machine."""

import json
import socket
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from aiosmtpd.controller import Controller
from django.contrib.admin.sites import site

from teamhealth import tasks
from teamhealth.models import Delivery, SlackWebhook, Team
from teamhealth.services import alerts, evaluation, notify
from tests.factories import TeamFactory, UserFactory, metric_series

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 25)


class RefuseThenAccept:
    """An SMTP handler answering 451 to the first ``refusals`` messages, then accepting."""

    def __init__(self, refusals=1):
        self.refusals = refusals
        self.received = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        if self.refusals:
            self.refusals -= 1
            return "451 4.3.0 Try again later"
        self.received.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp_server(settings):
    handler = RefuseThenAccept()
    with socket.socket() as probe:  # aiosmtpd needs a concrete port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    yield handler
    controller.stop()


class FakeSlack(BaseHTTPRequestHandler):
    answers: list[int] = []
    received: list[dict] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        status = self.answers.pop(0) if self.answers else 200
        if status == 200:
            self.received.append(json.loads(body))
        self.send_response(status)
        if status == 429:
            self.send_header("Retry-After", "7")
        self.end_headers()
        self.wfile.write(b"ok" if status == 200 else b"rate_limited")

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_slack():
    FakeSlack.answers = [429, 200]
    FakeSlack.received = []
    server = HTTPServer(("127.0.0.1", 0), FakeSlack)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/services/T000/B000/XXX"
    server.shutdown()


def fire_alert(*, email=True, slack_url=None):
    manager = UserFactory(email="maya@example.com" if email else "", roles=["Manager"])
    team = TeamFactory(name="Backend Payments", managers=[manager])
    if slack_url:
        SlackWebhook.objects.create(url=slack_url)
    metric_series(team, "oncall_hours", [12.5], today=TODAY)
    evaluation.evaluate_team_health(team=team, today=TODAY)
    return team


def test_smtp_refusal_keeps_the_delivery_and_the_retry_sends_it(smtp_server):
    fire_alert()
    delivery = Delivery.objects.get(channel="email")

    status, retry_in = notify.deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert (status, delivery.status, delivery.attempts) == ("pending", "pending", 1)
    assert retry_in == 30
    assert "451" in delivery.last_error
    assert smtp_server.received == []

    status, retry_in = notify.deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert (status, delivery.status, delivery.attempts, retry_in) == ("sent", "sent", 2, None)
    assert len(smtp_server.received) == 1
    assert smtp_server.received[0].rcpt_tos == ["maya@example.com"]
    assert b"High on-call burden: 12.5 hrs/week (max 10.0)" in smtp_server.received[0].content


def test_smtp_server_down_is_a_transient_failure(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    fire_alert()
    delivery = Delivery.objects.get()
    assert notify.deliver(delivery_id=delivery.pk)[0] == "pending"
    delivery.refresh_from_db()
    assert delivery.last_error.startswith("SMTP:")


def test_slack_429_is_retried_after_its_retry_after_and_then_sent(fake_slack):
    fire_alert(email=False, slack_url=fake_slack)
    delivery = Delivery.objects.get(channel="slack")

    status, retry_in = notify.deliver(delivery_id=delivery.pk)
    assert status == "pending"
    assert retry_in == 30  # backoff 30 s is longer than Retry-After: 7
    assert FakeSlack.received == []

    assert notify.deliver(delivery_id=delivery.pk)[0] == "sent"
    [message] = FakeSlack.received
    assert message["text"] == "[Backend Payments] High on-call burden: 12.5 hrs/week (max 10.0)"
    assert message["blocks"][2]["elements"][0]["text"]["text"] == "Open team page"


def test_slack_5xx_is_transient_and_4xx_fails_for_good(fake_slack):
    FakeSlack.answers = [503, 404]
    fire_alert(email=False, slack_url=fake_slack)
    delivery = Delivery.objects.get()
    assert notify.deliver(delivery_id=delivery.pk)[0] == "pending"
    assert notify.deliver(delivery_id=delivery.pk)[0] == "failed"
    delivery.refresh_from_db()
    assert "404" in delivery.last_error


def test_after_max_attempts_a_delivery_fails_and_admins_see_it(settings, client_for, admin_user):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9
    fire_alert()
    delivery = Delivery.objects.get()
    for _ in range(notify.MAX_ATTEMPTS):
        notify.deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", notify.MAX_ATTEMPTS)
    assert Delivery in site._registry
    page = client_for(admin_user).get("/admin/teamhealth/delivery/?status__exact=failed")
    assert page.status_code == 200
    assert "maya@example.com" in page.content.decode()


def test_a_task_delivered_twice_sends_once(smtp_server):
    smtp_server.refusals = 0
    fire_alert()
    delivery = Delivery.objects.get()
    assert tasks.send_delivery.apply(args=[delivery.pk]).get() == "sent"
    assert tasks.send_delivery.apply(args=[delivery.pk]).get() == "sent"
    assert len(smtp_server.received) == 1
    delivery.refresh_from_db()
    assert delivery.attempts == 1


def test_the_same_change_is_never_queued_twice():
    team = fire_alert()
    evaluation.evaluate_team_health(team=team, today=TODAY)
    alert = team.alerts.get()
    notify.notify_alert(alert=alert, event="fired")  # e.g. a retried transaction
    assert Delivery.objects.count() == 1


def test_the_sweeper_sends_pending_deliveries_whose_task_was_lost(smtp_server):
    from datetime import timedelta

    from django.utils import timezone

    smtp_server.refusals = 0
    fire_alert()
    Delivery.objects.update(created_at=timezone.now() - timedelta(minutes=10))
    assert tasks.send_pending_deliveries() == 1
    assert tasks.send_pending_deliveries() == 0
    assert len(smtp_server.received) == 1


def test_weekly_digest_is_one_email_per_manager_per_week(mailoutbox):
    fire_alert()
    assert notify.queue_weekly_digests(today=TODAY) == 1
    assert notify.queue_weekly_digests(today=TODAY) == 0
    digest = Delivery.objects.get(event="digest")
    assert digest.subject == "Team health this week: 1 open alert(s)"
    assert "High on-call burden" in digest.body


class SlowSlack(BaseHTTPRequestHandler):
    posts = 0

    def do_POST(self):
        import time

        SlowSlack.posts += 1
        self.rfile.read(int(self.headers["Content-Length"]))
        time.sleep(0.5)  # the first sender still holds the row when the second arrives
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_handed_the_same_delivery_at_once_send_it_once():
    from django.db import connection

    SlowSlack.posts = 0
    server = HTTPServer(("127.0.0.1", 0), SlowSlack)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        fire_alert(email=False, slack_url=f"http://127.0.0.1:{server.server_port}/hook")
        delivery = Delivery.objects.get()
        results = []

        def worker():
            try:
                results.append(notify.deliver(delivery_id=delivery.pk)[0])
            finally:
                connection.close()

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
    finally:
        server.shutdown()
    assert sorted(results) == ["sent", "sent"]
    assert SlowSlack.posts == 1
    delivery.refresh_from_db()
    assert delivery.attempts == 1


def test_the_sweeper_leaves_a_retry_that_is_not_due_yet(settings, smtp_server):
    from datetime import timedelta

    from django.utils import timezone

    fire_alert()
    delivery = Delivery.objects.get()
    assert notify.deliver(delivery_id=delivery.pk) == ("pending", 30)  # 451, retry in 30 s
    # The sweeper picked the row while it was due, but its task retried first and
    # failed again: the row's next try is ahead, so the sweeper must not try now.
    Delivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() + timedelta(seconds=60)
    )
    assert notify.deliver(delivery_id=delivery.pk, only_if_due=True) == ("pending", None)
    delivery.refresh_from_db()
    assert delivery.attempts == 1
    assert smtp_server.received == []
    # Once due, the sweeper sends it.
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    assert tasks.send_pending_deliveries() == 1
    assert len(smtp_server.received) == 1


def test_weekly_digest_reaches_every_manager_with_each_teams_metrics_even_when_all_is_well():
    busy_manager = UserFactory(email="maya@example.com", roles=["Manager"])
    calm_manager = UserFactory(email="cal@example.com", roles=["Manager"])
    UserFactory(email="", roles=["Manager"])  # no address: nothing to send to
    busy = TeamFactory(name="Backend Payments", managers=[busy_manager])
    calm = TeamFactory(name="Frontend Platform", managers=[busy_manager, calm_manager])
    metric_series(busy, "oncall_hours", [12.5], today=TODAY)
    metric_series(calm, "delivery_rate", [32], today=TODAY)
    evaluation.evaluate_teams(team_ids=[busy.pk, calm.pk], today=TODAY)

    assert notify.queue_weekly_digests(today=TODAY) == 2
    by_recipient = {d.recipient: d for d in Delivery.objects.filter(event="digest")}
    maya, cal = by_recipient["maya@example.com"], by_recipient["cal@example.com"]
    assert maya.subject == "Team health this week: 1 open alert(s)"
    assert "Backend Payments: 1 open alert\n" in maya.body
    assert "On-call burden: 12.5 hrs/week (max 10.0), PAST THRESHOLD" in maya.body
    assert "- [Backend Payments] High on-call burden: 12.5 hrs/week (max 10.0) (firing)" in (
        maya.body
    )
    assert "Frontend Platform: 0 open alerts" in maya.body
    assert cal.subject == "Team health this week: no open alerts"
    assert "Backend Payments" not in cal.body
    assert "Delivery rate: 32.0 points/sprint (min 20.0), within threshold" in cal.body
    assert "6-month turnover: – (max 20.0), no data yet" in cal.body
    assert "No open alerts." in cal.body
    assert "/team-health/teams/frontend-platform/" in cal.body


@pytest.mark.parametrize("teams", [2, 12])
def test_weekly_digest_queries_do_not_grow_with_teams(teams, django_assert_num_queries):
    for index in range(teams):
        manager = UserFactory(email=f"m{index}@example.com", roles=["Manager"])
        team = TeamFactory(managers=[manager])
        metric_series(team, "oncall_hours", [12.5], today=TODAY)
    evaluation.evaluate_teams(team_ids=list(Team.objects.values_list("pk", flat=True)), today=TODAY)
    # teams, managers, values, thresholds, alerts, then per digest a savepoint, an
    # insert and a release: the inserts are the emails themselves.
    with django_assert_num_queries(5 + 3 * teams + 2):
        assert notify.queue_weekly_digests(today=TODAY) == teams


def test_weekly_digest_says_early_warning_for_a_metric_with_one():
    manager = UserFactory(email="maya@example.com", roles=["Manager"])
    team = TeamFactory(name="Backend Payments", managers=[manager])
    metric_series(team, "turnover", [14, 16, 17, 18], today=TODAY)
    evaluation.evaluate_team_health(team=team, today=TODAY)
    notify.queue_weekly_digests(today=TODAY)
    body = Delivery.objects.get(event="digest").body
    assert "6-month turnover: 18.0% (max 20.0), early warning" in body


def test_weekly_digest_says_which_alerts_are_snoozed():
    manager = UserFactory(email="maya@example.com", roles=["Manager"])
    team = fire_alert_for(manager)
    alert = team.alerts.get()
    alerts.snooze_alert(alert=alert, user=manager, until=date(2026, 12, 3), today=TODAY)
    notify.queue_weekly_digests(today=TODAY)
    body = Delivery.objects.get(event="digest").body
    assert "(max 10.0) (firing, snoozed until 3 Dec 2026)" in body


def fire_alert_for(manager):
    team = TeamFactory(name="Backend Payments", managers=[manager])
    metric_series(team, "oncall_hours", [12.5], today=TODAY)
    evaluation.evaluate_team_health(team=team, today=TODAY)
    return team
