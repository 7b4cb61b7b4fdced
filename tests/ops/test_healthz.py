"""/healthz: 200 when database, broker, beat and outbox are well; 503 naming what is not."""

import time
from datetime import timedelta
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.utils import timezone

from ops.beat import BEAT, Scheduler
from ops.models import Heartbeat
from tests.faults.fakes import free_port

from .conftest import make_message

pytestmark = pytest.mark.django_db

ALL_CHECKS = {"database", "broker", "beat", "outbox"}


def get_health(client=None):
    response = (client or Client()).get("/healthz")
    assert response["Content-Type"] == "application/json"
    return response, response.json()


def test_healthy_answers_200_without_signing_in(beat_ticked):
    response, body = get_health()

    assert response.status_code == 200
    assert body["status"] == "ok"
    assert body["failing"] == []
    assert set(body["checks"]) == ALL_CHECKS
    assert all(check["ok"] is True for check in body["checks"].values())
    assert 0 <= body["checks"]["beat"]["last_tick_seconds_ago"] <= 10
    assert body["checks"]["outbox"]["oldest_due_seconds"] == 0
    assert "no-cache" in response["Cache-Control"]


def test_it_reveals_no_address_credential_or_count(beat_ticked, settings):
    settings.CELERY_BROKER_URL = f"redis://keel:s3cret@127.0.0.1:{free_port()}/4"
    for _ in range(3):
        make_message(created_ago=1)

    response, body = get_health()
    text = response.content.decode()

    for secret in ("s3cret", "keel:", "127.0.0.1", "redis", "sqlite", "postgres", "example.com"):
        assert secret not in text
    assert "due" not in body["checks"]["outbox"]  # how many messages wait follows team sizes


def test_the_database_down_is_503_and_nothing_else_is_read(beat_ticked):
    with mock.patch.object(
        connection, "ensure_connection", side_effect=OperationalError("no route to db.internal")
    ):
        response, body = get_health()

    assert response.status_code == 503
    assert body["status"] == "failing"
    assert body["failing"] == ["database", "beat", "outbox"]
    assert body["checks"]["database"] == {"ok": False, "detail": "unreachable"}
    assert body["checks"]["beat"]["ok"] is None
    assert body["checks"]["broker"]["ok"] is True
    assert "db.internal" not in response.content.decode()


def test_the_broker_down_is_503_within_the_timeout(beat_ticked, settings):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{free_port()}/0"
    started = time.monotonic()

    response, body = get_health()

    assert time.monotonic() - started < 5
    assert response.status_code == 503
    assert body["failing"] == ["broker"]
    assert body["checks"]["broker"] == {"ok": False, "detail": "unreachable"}


def test_the_broker_answer_is_remembered_for_a_few_seconds(beat_ticked):
    with mock.patch("ops.health._broker_reachable", return_value=True) as probe:
        for _ in range(5):
            assert Client().get("/healthz").status_code == 200
    assert probe.call_count == 1


@pytest.mark.broker
def test_a_live_broker_is_reachable(beat_ticked, settings):
    if not settings.LIVE_BROKER_URL:
        pytest.skip("CELERY_BROKER_URL does not name a live broker")
    settings.CELERY_BROKER_URL = settings.LIVE_BROKER_URL

    response, body = get_health()

    assert response.status_code == 200, body
    assert body["checks"]["broker"]["ok"] is True


def test_beat_stale_is_503(beat_ticked, settings):
    settings.KEEL_BEAT_STALE_SECONDS = 60
    beat_ticked(seconds=61)

    response, body = get_health()

    assert response.status_code == 503
    assert body["failing"] == ["beat"]
    assert body["checks"]["beat"]["last_tick_seconds_ago"] >= 61
    assert "stale" in body["checks"]["beat"]["detail"]


def test_beat_that_never_ticked_is_503(db):
    response, body = get_health()

    assert response.status_code == 503
    assert body["failing"] == ["beat"]
    assert body["checks"]["beat"] == {"ok": False, "detail": "beat has never ticked"}


def test_an_old_due_message_is_503(beat_ticked, settings):
    settings.KEEL_OUTBOX_MAX_WAIT_SECONDS = 300
    make_message(created_ago=30)
    assert get_health()[0].status_code == 200

    make_message(created_ago=301)
    response, body = get_health()

    assert response.status_code == 503
    assert body["failing"] == ["outbox"]
    assert body["checks"]["outbox"]["oldest_due_seconds"] >= 301


def test_messages_waiting_out_a_retry_or_done_are_not_a_backlog(beat_ticked):
    make_message(created_ago=3600, retry_in=600)
    make_message(created_ago=3600, status="sent")
    make_message(created_ago=3600, status="failed")
    make_message(created_ago=3600, status="cancelled")

    response, body = get_health()

    assert response.status_code == 200, body
    assert body["checks"]["outbox"]["oldest_due_seconds"] == 0


@pytest.mark.parametrize("messages", [1, 40])
def test_the_same_few_queries_whatever_the_backlog(
    beat_ticked, messages, django_assert_num_queries
):
    for _ in range(messages):
        make_message(created_ago=10)

    # SELECT 1, beat's heartbeat, the outbox backlog.
    with django_assert_num_queries(3):
        assert Client().get("/healthz").status_code == 200


def test_not_rate_limited(beat_ticked, settings):
    settings.KEEL_RATE_LIMITS = dict.fromkeys(settings.KEEL_RATE_LIMITS, "1/m")

    for _ in range(5):
        assert Client().get("/healthz").status_code == 200


def test_never_writes_a_session(beat_ticked, make_user, client_for):
    from accounts.middleware import LAST_SEEN, SIGNED_IN_AT

    client = client_for(make_user("Engineer"))

    def without_clock():
        session = client.session
        for key in (SIGNED_IN_AT, LAST_SEEN):
            session.pop(key, None)
        session.save()

    # A session without its clock is stamped by the next request it makes...
    without_clock()
    assert "sessionid" in client.get("/").cookies
    # ...never by a probe.
    without_clock()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert "sessionid" not in response.cookies
    assert SIGNED_IN_AT not in client.session


def test_only_reading_methods(beat_ticked):
    assert Client().post("/healthz").status_code == 405


def test_plain_http_probes_and_scrapes_are_not_redirected_in_production(tmp_path):
    from tests.test_security import _production, _run

    probe = (
        "import django; django.setup(); from django.test import Client;"
        "c = Client(HTTP_HOST='keel.example.com');"
        "print(c.get('/healthz').status_code, c.get('/metrics').status_code,"
        " c.get('/').status_code)"
    )
    result = _run(["-c", probe], **_production(tmp_path))

    assert result.returncode == 0, result.stderr
    # No tables in this empty database: unhealthy, but answered over plain HTTP;
    # /metrics answers nobody until its token or addresses are set.
    assert result.stdout.split() == ["503", "404", "301"]


def test_a_check_that_cannot_read_its_table_fails_alone(beat_ticked):
    with mock.patch("ops.health.Heartbeat.objects.filter", side_effect=OperationalError("gone")):
        response, body = get_health()

    assert response.status_code == 503
    assert body["failing"] == ["beat"]
    assert body["checks"]["beat"] == {"ok": False, "detail": "could not be read"}


def test_beat_stamps_its_heartbeat_as_it_ticks_at_most_every_few_seconds(db):
    from config.celery_app import app

    scheduler = Scheduler(app=app, lazy=True)
    scheduler.stamp()
    first = Heartbeat.objects.get(name=BEAT).at
    assert timezone.now() - first < timedelta(seconds=5)

    scheduler.stamp()  # within STAMP_EVERY: no write
    assert Heartbeat.objects.get(name=BEAT).at == first

    scheduler._stamped_at = time.monotonic() - 11
    scheduler.stamp()
    assert Heartbeat.objects.get(name=BEAT).at > first


def test_beat_keeps_ticking_when_it_cannot_stamp(db):
    from config.celery_app import app

    scheduler = Scheduler(app=app, lazy=True)
    with (
        mock.patch("ops.services.stamp_heartbeat", side_effect=OperationalError("away")),
        mock.patch("ops.beat.close_old_connections") as drop_broken_connection,
    ):
        scheduler.stamp()
    assert drop_broken_connection.called
    assert scheduler._stamped_at is None
    scheduler.stamp()
    assert Heartbeat.objects.filter(name=BEAT).exists()
