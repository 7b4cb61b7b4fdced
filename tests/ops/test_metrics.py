"""/metrics: requests by view, task runs and failures, the outbox and open alerts; never public."""

import os
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from celery import shared_task
from django.test import Client
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from accounts.tasks import ping
from teamhealth.models import Alert, AlertSubject
from tests.factories import team_with_members
from tests.faults.fakes import free_port
from tests.faults.processes import _stop_group, wait_until

from .conftest import make_message

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "scrape-me-0123456789"


def samples(text: str) -> dict[tuple[str, tuple], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def scrape(**headers):
    return Client().get("/metrics", **headers)


@pytest.fixture
def token(settings):
    settings.KEEL_METRICS_TOKEN = TOKEN
    settings.KEEL_METRICS_ALLOWED_ADDRESSES = []
    return {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}


def test_nobody_reads_it_until_configured(settings):
    settings.KEEL_METRICS_TOKEN = ""
    settings.KEEL_METRICS_ALLOWED_ADDRESSES = []

    assert scrape().status_code == 404
    assert scrape(HTTP_AUTHORIZATION="Bearer ").status_code == 404


def test_a_token_opens_it_and_a_wrong_one_does_not(token):
    assert scrape().status_code == 404
    assert scrape(HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    assert scrape(HTTP_AUTHORIZATION=f"Basic {TOKEN}").status_code == 404

    response = scrape(**token)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")


def test_allowed_addresses_behind_the_trusted_proxy(settings):
    settings.KEEL_METRICS_TOKEN = ""
    settings.KEEL_METRICS_ALLOWED_ADDRESSES = ["10.0.5.7", "192.168.10.0/24"]
    settings.KEEL_TRUSTED_PROXY_COUNT = 1

    def from_(address: str, forwarded: str = "") -> int:
        extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
        return Client(REMOTE_ADDR=address).get("/metrics", **extra).status_code

    assert from_("127.0.0.1", "10.0.5.7") == 200
    assert from_("127.0.0.1", "192.168.10.44") == 200
    assert from_("127.0.0.1", "10.0.5.8") == 404
    # A client's own X-Forwarded-For entry, left of the proxy's, is not believed.
    assert from_("127.0.0.1", "10.0.5.7, 203.0.113.9") == 404
    assert from_("127.0.0.1", "not-an-address") == 404


def test_token_and_addresses_together_need_both(settings, token):
    settings.KEEL_METRICS_ALLOWED_ADDRESSES = ["10.0.5.7"]
    settings.KEEL_TRUSTED_PROXY_COUNT = 0

    assert Client(REMOTE_ADDR="10.0.5.7").get("/metrics").status_code == 404
    assert Client(REMOTE_ADDR="10.0.5.8").get("/metrics", **token).status_code == 404
    assert Client(REMOTE_ADDR="10.0.5.7").get("/metrics", **token).status_code == 200


def test_request_latency_by_view(token, beat_ticked):
    Client().get("/healthz")

    values = samples(scrape(**token).content.decode())

    key = (
        "django_http_requests_latency_seconds_by_view_method_count",
        (("method", "GET"), ("view", "healthz")),
    )
    assert values[key] >= 1


def test_outbox_backlog_and_open_alerts_are_read_at_scrape_time(token):
    make_message(created_ago=90)
    make_message(created_ago=5)
    make_message(created_ago=5, retry_in=60)
    make_message(status="failed")
    team = team_with_members(0)
    for subject, status in [
        (AlertSubject.TURNOVER, Alert.Status.FIRING),
        (AlertSubject.ONCALL_HOURS, Alert.Status.FIRING),
        (AlertSubject.DELIVERY_RATE, Alert.Status.ACKNOWLEDGED),
        (AlertSubject.FEEDBACK_SCORE, Alert.Status.RESOLVED),
    ]:
        Alert.objects.create(
            team=team, subject=subject, kind=Alert.Kind.BREACH, status=status, message="x"
        )

    values = samples(scrape(**token).content.decode())

    assert values[("keel_outbox_due_messages", ())] == 2
    assert 90 <= values[("keel_outbox_oldest_due_age_seconds", ())] < 120
    assert values[("keel_outbox_failed_messages", ())] == 1
    assert values[("keel_teamhealth_alerts_open", (("status", "firing"),))] == 2
    assert values[("keel_teamhealth_alerts_open", (("status", "acknowledged"),))] == 1


def test_an_empty_deployment_scrapes_zeros(token):
    values = samples(scrape(**token).content.decode())

    assert values[("keel_outbox_due_messages", ())] == 0
    assert values[("keel_outbox_oldest_due_age_seconds", ())] == 0
    assert values[("keel_teamhealth_alerts_open", (("status", "firing"),))] == 0


@pytest.mark.parametrize("alerts", [1, 30])
def test_a_scrape_costs_the_same_queries_whatever_the_data(
    token, alerts, django_assert_num_queries
):
    for index in range(alerts):
        Alert.objects.create(
            team=team_with_members(0),
            subject=AlertSubject.TURNOVER,
            kind=Alert.Kind.BREACH,
            message="x",
        )
        make_message(created_ago=index)

    with django_assert_num_queries(2):  # the outbox backlog, the open alerts
        assert scrape(**token).status_code == 200


@shared_task(name="tests.ops.boom")
def boom() -> None:
    raise RuntimeError("boom")


def _value(name: str, task: str) -> float:
    return REGISTRY.get_sample_value(name, {"task": task}) or 0.0


def test_task_runs_and_failures_are_counted_by_task():
    runs = _value("keel_celery_task_runs_total", "accounts.tasks.ping")
    boom_runs = _value("keel_celery_task_runs_total", "tests.ops.boom")
    failures = _value("keel_celery_task_failures_total", "tests.ops.boom")

    ping.apply(args=["x"])
    ping.apply(args=["y"])
    boom.apply(throw=False)

    assert _value("keel_celery_task_runs_total", "accounts.tasks.ping") == runs + 2
    assert _value("keel_celery_task_failures_total", "accounts.tasks.ping") == 0
    assert _value("keel_celery_task_runs_total", "tests.ops.boom") == boom_runs + 1
    assert _value("keel_celery_task_failures_total", "tests.ops.boom") == failures + 1


def test_a_worker_serves_its_counters_only_when_given_a_port(settings, monkeypatch):
    from ops import metrics

    started = []
    monkeypatch.setattr(metrics, "start_http_server", lambda *a, **kw: started.append((a, kw)))
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)

    settings.KEEL_WORKER_METRICS_PORT = 0
    metrics._start_worker_exporter()
    assert started == []

    settings.KEEL_WORKER_METRICS_PORT = 9101
    settings.KEEL_WORKER_METRICS_ADDRESS = "10.0.5.21"
    metrics._start_worker_exporter()
    assert started == [((9101,), {"addr": "10.0.5.21", "registry": REGISTRY})]


def _scrape_port(port: int) -> str | None:
    """The exporter's text (empty before any count), None while nothing listens."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2) as answer:
            return answer.read().decode()
    except OSError:
        return None


def test_a_prefork_worker_serves_every_child_s_counts_on_its_port(tmp_path):
    """A real worker, two pool processes, the filesystem broker in a folder of its own."""
    (tmp_path / "metrics").mkdir()
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL")},
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "KEEL_VAR_DIR": str(tmp_path),
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
        "KEEL_WORKER_METRICS_PORT": str(port),
    }
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", "compute",
         "--pool=prefork", "--concurrency=2", "--loglevel=INFO"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        wait_until(
            lambda: _scrape_port(port) is not None,
            60,
            what="the worker's metrics port",
            details=lambda: (tmp_path / "worker.log").read_text()[-2000:],
        )
        sender = subprocess.run(
            [sys.executable, "-c",
             "import django; django.setup(); from config.celery_app import app;"
             "[app.send_task('accounts.tasks.ping', args=['x'], queue='compute')"
             " for _ in range(6)]"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert sender.returncode == 0, sender.stderr
        key = ("keel_celery_task_runs_total", (("task", "accounts.tasks.ping"),))
        wait_until(
            lambda: samples(_scrape_port(port) or "").get(key) == 6,
            60,
            what="six runs counted",
            details=lambda: str(_scrape_port(port)) + (tmp_path / "worker.log").read_text()[-2000:],
        )
        # The children counted into their own files; the exporter added them up.
        assert len(list((tmp_path / "metrics").glob("counter_*.db"))) >= 1
    finally:
        _stop_group(worker, signal.SIGTERM, 20)
        log.close()
