"""A real (in-process) Celery worker sends an outbox row: refused once, then sent."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db import OperationalError

from config.celery_app import app
from outbox import wake
from outbox.models import Message
from tests.teamhealth.test_delivery import fire_alert, smtp_server  # noqa: F401 - fixture
from tests.test_platform import _reset_connections as _reset_app_pool

pytestmark = pytest.mark.django_db(transaction=True)


def _reset_connections():
    # Also kombu's process-wide producer pools, which outlive the app's pool.
    from kombu import pools

    _reset_app_pool()
    pools.reset()


def _broker(tmp_path):
    if settings.LIVE_BROKER_URL and not settings.LIVE_BROKER_URL.startswith("filesystem"):
        return settings.LIVE_BROKER_URL, {}
    for folder in ("queue", "processed", "control"):
        (tmp_path / folder).mkdir()
    return "filesystem://", {
        "control_folder": str(tmp_path / "control"),
        "data_folder_in": str(tmp_path / "queue"),
        "data_folder_out": str(tmp_path / "queue"),
        "processed_folder": str(tmp_path / "processed"),
    }


def test_a_worker_sends_the_queued_alert_email_and_its_retry_once(
    smtp_server,  # noqa: F811 - the fixture
    tmp_path,
):
    """An in-process worker on the delivery queue: woken after the alert commits, it is
    refused once (451), and sends the email on the next wake-up once the retry is due."""
    old = (app.conf.broker_url, app.conf.broker_transport_options, app.conf.task_always_eager)
    broker_url, options = _broker(tmp_path)
    _reset_connections()
    app.conf.update(
        broker_url=broker_url, broker_transport_options=options, task_always_eager=False
    )
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            fire_alert()  # commits: the message row, then the wake-up
            message = Message.objects.get()
            # The attempt is counted when the batch is claimed, the error once SMTP answered.
            assert _wait(lambda: Message.objects.get().last_error), "never tried"
            message.refresh_from_db()
            assert message.status == "pending"
            assert "451" in message.last_error
            Message.objects.update(next_attempt_at=None)
            wake.now("outbox.tasks.deliver_due")  # what the 15 s sweep does
            assert _wait(lambda: Message.objects.get().status == "sent"), "never sent"
    finally:
        app.conf.update(
            broker_url=old[0], broker_transport_options=old[1], task_always_eager=old[2]
        )
        _reset_connections()
    message = Message.objects.get()
    assert message.attempts == 2
    assert len(smtp_server.received) == 1


def _wait(condition, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except OperationalError:
            pass  # SQLite's shared in-memory test database, busy with the worker's write
        time.sleep(0.1)
    return False
