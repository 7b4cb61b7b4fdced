"""Alert notifications through the outbox: a local SMTP server and a local fake Slack,
nothing leaves the machine. The outbox's own failure handling is tested in tests/outbox."""

import json
import socket
import threading
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from outbox import services as outbox
from outbox.models import Message
from teamhealth.models import SlackWebhook, Team
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


def make_due():
    Message.objects.filter(status="pending").update(next_attempt_at=None)


def test_smtp_refusal_keeps_the_message_and_the_retry_sends_it(smtp_server):
    fire_alert()
    message = Message.objects.get(channel="email")
    assert outbox.deliver_due().sent == 0
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("pending", 1)
    assert "451" in message.last_error
    assert smtp_server.received == []

    make_due()
    assert outbox.deliver_due().sent == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 2)
    assert smtp_server.received[0].rcpt_tos == ["maya@example.com"]
    assert b"High on-call burden: 12.5 hrs/week (max 10.0)" in smtp_server.received[0].content


def test_slack_429_is_retried_after_the_backoff_and_then_sent(fake_slack):
    fire_alert(email=False, slack_url=fake_slack)
    assert outbox.deliver_due().sent == 0
    message = Message.objects.get(channel="slack")
    # The 30 s backoff is longer than Retry-After: 7.
    assert message.next_attempt_at >= timezone.now() + timedelta(seconds=25)
    assert FakeSlack.received == []
    make_due()
    assert outbox.deliver_due().sent == 1
    [posted] = FakeSlack.received
    assert posted["text"] == "[Backend Payments] High on-call burden: 12.5 hrs/week (max 10.0)"
    assert posted["blocks"][2]["elements"][0]["text"]["text"] == "Open team page"


def test_after_max_attempts_a_message_fails_and_admins_see_it(settings, client_for, admin_user):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    fire_alert()
    for _ in range(outbox.MAX_ATTEMPTS):
        outbox.deliver_due()
        make_due()
    message = Message.objects.get()
    assert (message.status, message.attempts) == ("failed", outbox.MAX_ATTEMPTS)
    page = client_for(admin_user).get("/admin/outbox/message/?status__exact=failed")
    assert page.status_code == 200
    assert "maya@example.com" in page.content.decode()


def test_a_delivery_run_twice_sends_once(smtp_server):
    smtp_server.refusals = 0
    fire_alert()
    outbox.deliver_due()
    outbox.deliver_due()
    assert len(smtp_server.received) == 1
    assert Message.objects.get().attempts == 1


def test_the_same_change_is_never_queued_twice():
    team = fire_alert()
    evaluation.evaluate_team_health(team=team, today=TODAY)
    alert = team.alerts.get()
    notify.notify_alert(alert=alert, event="fired")  # e.g. a retried transaction
    assert Message.objects.count() == 1


def test_weekly_digest_is_one_email_per_manager_per_week():
    fire_alert()
    assert notify.queue_weekly_digests(today=TODAY) == 1
    assert notify.queue_weekly_digests(today=TODAY) == 0
    digest = Message.objects.get(kind="teamhealth.digest")
    assert digest.subject == "Team health this week: 1 open alert(s)"
    assert "High on-call burden" in digest.body


class SlowSlack(BaseHTTPRequestHandler):
    posts = 0

    def do_POST(self):
        import time

        SlowSlack.posts += 1
        self.rfile.read(int(self.headers["Content-Length"]))
        time.sleep(0.5)  # the first sender is still sending when the second looks
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_running_at_once_send_each_message_once():
    from django.db import connection

    SlowSlack.posts = 0
    server = HTTPServer(("127.0.0.1", 0), SlowSlack)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        fire_alert(email=False, slack_url=f"http://127.0.0.1:{server.server_port}/hook")

        def worker():
            try:
                outbox.deliver_due()
            finally:
                connection.close()

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
    finally:
        server.shutdown()
    assert SlowSlack.posts == 1
    message = Message.objects.get()
    assert (message.status, message.attempts) == ("sent", 1)


def test_a_retry_that_is_not_due_yet_waits(smtp_server):
    fire_alert()
    outbox.deliver_due()  # 451: retry in 30 s
    assert outbox.deliver_due().sent == 0
    assert Message.objects.get().attempts == 1
    assert smtp_server.received == []
    make_due()
    assert outbox.deliver_due().sent == 1
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
    by_recipient = {d.recipient: d for d in Message.objects.filter(kind="teamhealth.digest")}
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
    # teams, managers, values, thresholds, alerts, digests already queued, then
    # one insert of every digest (in a savepoint)
    with django_assert_num_queries(9):
        assert notify.queue_weekly_digests(today=TODAY) == teams


def test_weekly_digest_says_early_warning_for_a_metric_with_one():
    manager = UserFactory(email="maya@example.com", roles=["Manager"])
    team = TeamFactory(name="Backend Payments", managers=[manager])
    metric_series(team, "turnover", [14, 16, 17, 18], today=TODAY)
    evaluation.evaluate_team_health(team=team, today=TODAY)
    notify.queue_weekly_digests(today=TODAY)
    body = Message.objects.get(kind="teamhealth.digest").body
    assert "6-month turnover: 18.0% (max 20.0), early warning" in body


def test_weekly_digest_says_which_alerts_are_snoozed():
    manager = UserFactory(email="maya@example.com", roles=["Manager"])
    team = fire_alert_for(manager)
    alert = team.alerts.get()
    alerts.snooze_alert(alert=alert, user=manager, until=date(2026, 12, 3), today=TODAY)
    notify.queue_weekly_digests(today=TODAY)
    body = Message.objects.get(kind="teamhealth.digest").body
    assert "(max 10.0) (firing, snoozed until 3 Dec 2026)" in body


def fire_alert_for(manager):
    team = TeamFactory(name="Backend Payments", managers=[manager])
    metric_series(team, "oncall_hours", [12.5], today=TODAY)
    evaluation.evaluate_team_health(team=team, today=TODAY)
    return team
