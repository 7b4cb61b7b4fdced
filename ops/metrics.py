"""Prometheus metrics: task runs and failures, and gauges read at scrape time.

Requests (latency by view, responses by status) are counted by
django-prometheus's middleware pair. Tasks are counted here from Celery's
signals, in the process that runs the task. With several processes per
machine (gunicorn workers, Celery's prefork children) each one counts into
its own files under ``PROMETHEUS_MULTIPROC_DIR`` and an exporter adds them
up: the web's ``/metrics`` view, and on each worker machine the HTTP port
each Celery worker opens (``KEEL_WORKER_METRICS_PORT``). The outbox backlog
and the open alerts are read from the database when ``/metrics`` is scraped
(two aggregate queries), never by the workers' exporters.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from typing import Any

from celery import signals
from django.conf import settings
from django.utils import timezone
from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    generate_latest,
    multiprocess,
    start_http_server,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from outbox import selectors as outbox_selectors
from teamhealth import selectors as teamhealth_selectors

logger = logging.getLogger(__name__)

TASK_RUNS = Counter("keel_celery_task_runs", "Celery task runs started, by task.", ["task"])
TASK_FAILURES = Counter(
    "keel_celery_task_failures", "Celery task runs that raised an error, by task.", ["task"]
)


def _task_name(sender: Any) -> str:
    return str(getattr(sender, "name", None) or sender or "unknown")


def _count_run(sender: Any = None, **kwargs: Any) -> None:
    TASK_RUNS.labels(task=_task_name(sender)).inc()


def _count_failure(sender: Any = None, **kwargs: Any) -> None:
    TASK_FAILURES.labels(task=_task_name(sender)).inc()


def _start_worker_exporter(**kwargs: Any) -> None:
    port = settings.KEEL_WORKER_METRICS_PORT
    if port:
        start_worker_exporter(port=port, address=settings.KEEL_WORKER_METRICS_ADDRESS)


def connect_task_signals() -> None:
    signals.task_prerun.connect(_count_run, dispatch_uid="keel.metrics.task_run")
    signals.task_failure.connect(_count_failure, dispatch_uid="keel.metrics.task_failure")
    signals.worker_init.connect(_start_worker_exporter, dispatch_uid="keel.metrics.exporter")


def multiprocess_directory() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def process_registry() -> CollectorRegistry:
    """Every process's counters: added up from the shared directory, or this process's own."""
    if multiprocess_directory():
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    return REGISTRY


def start_worker_exporter(*, port: int, address: str) -> None:
    """Serve this worker's task counters (all its pool processes) on ``address:port``.

    Called in the worker's main process before its pool starts. A prefork
    pool needs ``PROMETHEUS_MULTIPROC_DIR`` (an empty directory of the
    worker's own), or its children's counts never reach the exporter.
    """
    if not multiprocess_directory():
        logger.warning(
            "Worker metrics without PROMETHEUS_MULTIPROC_DIR show only this process's "
            "counts; a prefork pool's tasks run in its children"
        )
    start_http_server(port, addr=address, registry=process_registry())
    logger.info("Worker metrics served on port %s", port)


class ScrapeTimeCollector(Collector):
    """The outbox backlog and the open alerts, read when Prometheus asks."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        now = timezone.now()
        backlog = outbox_selectors.backlog(now=now)
        yield GaugeMetricFamily(
            "keel_outbox_due_messages",
            "Emails and Slack posts due to be sent now (not waiting out a retry).",
            value=backlog.due,
        )
        oldest = 0.0 if backlog.due_since is None else (now - backlog.due_since).total_seconds()
        yield GaugeMetricFamily(
            "keel_outbox_oldest_due_age_seconds",
            "How long the oldest due message has waited.",
            value=max(0.0, oldest),
        )
        yield GaugeMetricFamily(
            "keel_outbox_failed_messages",
            "Messages that failed for good and wait for an admin's Send again.",
            value=backlog.failed,
        )
        alerts = GaugeMetricFamily(
            "keel_teamhealth_alerts_open",
            "Team-health alerts not resolved, by status.",
            labels=["status"],
        )
        for status, count in teamhealth_selectors.open_alert_counts().items():
            alerts.add_metric([status], count)
        yield alerts

    def describe(self) -> Iterable[Any]:
        # No description: a registry must not collect (query) when this is registered.
        return []


def exposition() -> bytes:
    """The text ``/metrics`` answers: every process's counters, then the scrape-time gauges."""
    scrape = CollectorRegistry(auto_describe=False)
    scrape.register(ScrapeTimeCollector())
    return generate_latest(process_registry()) + generate_latest(scrape)
