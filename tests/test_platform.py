"""The platform the apps stand on: settings, SQLite mode, Celery wiring."""

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_success
from django.conf import settings

from config.celery_app import app

ROOT = Path(__file__).resolve().parents[1]


def _run_python(code: str, **env) -> subprocess.CompletedProcess:
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "CELERY_BROKER_URL", "EMAIL_URL"}
    }
    environment.update(env)
    return subprocess.run(  # noqa: S603 - fixed interpreter and code
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = _run_python(
        "import django; django.setup()",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        ALLOWED_HOSTS="keel.example.com",
        KEEL_VAR_DIR=str(tmp_path),
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


PRODUCTION_SMOKE = r"""
import django
django.setup()
from django.core.management import call_command
from django.test import Client
call_command("migrate", verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)
client = Client(HTTP_HOST="keel.example.com")
page = client.get("/accounts/login/", secure=True)
assert page.status_code == 200, page.status_code
html = page.content.decode()
import re
assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', html)
assert assets, html[:500]
for url in assets:
    assert re.search(r"\.[0-9a-f]{12}\.", url), "not a hashed name: " + url
    response = client.get(url, secure=True)
    assert response.status_code == 200, (url, response.status_code)
print("OK", len(assets))
"""


def test_production_collects_hashed_static_files_and_serves_the_login_page(tmp_path):
    """collectstatic with the manifest storage fails on any missing referenced file
    (a source map, a font); the pages then link hashed names that WhiteNoise serves."""
    result = _run_python(
        PRODUCTION_SMOKE,
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY="x" * 60 + "production-smoke-test-key",
        ALLOWED_HOSTS="keel.example.com",
        KEEL_SECRETS_KEYS="yZ6V0d8s6wz2p3B5sPpJm1n2kQ9vT4uX7cR0aL8eH3o=",
        KEEL_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.startswith("OK")


def test_default_database_is_sqlite_in_wal_mode_with_immediate_transactions(tmp_path):
    result = _run_python(
        "import django; django.setup(); from django.db import connection;"
        "c = connection.cursor(); c.execute('PRAGMA journal_mode');"
        "options = connection.settings_dict['OPTIONS'];"
        "print(connection.vendor, c.fetchone()[0], options['transaction_mode'])",
        DJANGO_SETTINGS_MODULE="config.settings.local",
        KEEL_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["sqlite", "wal", "IMMEDIATE"]
    assert (tmp_path / "keel.sqlite3").exists()


def test_default_broker_needs_no_server(tmp_path):
    result = _run_python(
        "import django; django.setup(); from django.conf import settings;"
        "print(settings.CELERY_BROKER_URL, settings.EMAIL_BACKEND, settings.EMAIL_FILE_PATH)",
        DJANGO_SETTINGS_MODULE="config.settings.local",
        KEEL_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    # Mail goes to files read at /dev/mailbox/: no mail server either.
    assert result.stdout.split() == [
        "filesystem://",
        "django.core.mail.backends.filebased.EmailBackend",
        str(tmp_path / "mail"),
    ]


def _round_trip(broker_url: str, transport_options: dict) -> str:
    """Send accounts.tasks.ping through a real broker to a real (in-process) worker."""
    from accounts.tasks import ping

    done = threading.Event()
    seen = []

    def on_success(sender=None, result=None, **kwargs):
        seen.append(result)
        done.set()

    task_success.connect(on_success, weak=False)
    old = (app.conf.broker_url, app.conf.broker_transport_options, app.conf.task_always_eager)
    _reset_connections()
    app.conf.update(
        broker_url=broker_url, broker_transport_options=transport_options, task_always_eager=False
    )
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            ping.delay("hello-keel")
            assert done.wait(60), "the worker never ran the task"
    finally:
        task_success.disconnect(on_success)
        app.conf.update(
            broker_url=old[0], broker_transport_options=old[1], task_always_eager=old[2]
        )
        _reset_connections()
    return seen[0]


def _reset_connections() -> None:
    # The producer pool is bound to the broker it was first made for.
    from kombu import pools

    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None
    # kombu also keeps producer pools per connection in a global registry; an
    # eager .delay() in an earlier test leaves one there that a worker's
    # shutdown closes ("Acquire on closed pool" in the next round trip).
    pools.reset()


def test_task_round_trip_through_the_filesystem_broker(tmp_path):
    (tmp_path / "queue").mkdir()
    (tmp_path / "processed").mkdir()
    (tmp_path / "control").mkdir()
    options = {
        "control_folder": str(tmp_path / "control"),
        "data_folder_in": str(tmp_path / "queue"),
        "data_folder_out": str(tmp_path / "queue"),
        "processed_folder": str(tmp_path / "processed"),
    }
    assert _round_trip("filesystem://", options) == "hello-keel"


@pytest.mark.broker
def test_task_round_trip_through_the_live_broker():
    assert _round_trip(settings.LIVE_BROKER_URL, {}) == "hello-keel"
