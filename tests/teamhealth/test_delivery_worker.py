"""A real (in-process) Celery worker sends an outbox row: refused once, retried with backoff."""

import threading

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_retry, task_success
from django.conf import settings

from config.celery_app import app
from teamhealth.models import Delivery
from teamhealth.services import notify
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


def test_worker_retries_a_refused_email_with_backoff_and_sends_it_once(
    smtp_server,  # noqa: F811 - the fixture
    monkeypatch,
    tmp_path,
):
    monkeypatch.setattr(notify, "backoff_seconds", lambda attempts, retry_after=None: 1)
    sent, retries = threading.Event(), []

    def on_success(sender=None, result=None, **kwargs):
        if sender.name == "teamhealth.tasks.send_delivery" and result == "sent":
            sent.set()

    def on_retry(sender=None, reason=None, **kwargs):
        retries.append(str(reason))

    task_success.connect(on_success, weak=False)
    task_retry.connect(on_retry, weak=False)
    old = (app.conf.broker_url, app.conf.broker_transport_options, app.conf.task_always_eager)
    broker_url, options = _broker(tmp_path)
    _reset_connections()
    app.conf.update(
        broker_url=broker_url, broker_transport_options=options, task_always_eager=False
    )
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            fire_alert()  # commits: the delivery row, then send_delivery.delay(id)
            assert sent.wait(30), "the worker never sent the delivery"
    finally:
        task_success.disconnect(on_success)
        task_retry.disconnect(on_retry)
        app.conf.update(
            broker_url=old[0], broker_transport_options=old[1], task_always_eager=old[2]
        )
        _reset_connections()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("sent", 2)
    assert len(retries) == 1
    assert len(smtp_server.received) == 1
