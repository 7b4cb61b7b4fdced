"""Fault tests: the product on real Redis and Celery worker processes, failing as in the field.

A test gets a private redis-server (``private_redis``), a local mail server
(``smtp_fake``) and Slack webhook (``slack_fake``) whose behaviour it sets, a
real worker process (``worker``) it can kill -9 and restart, and ``beat``, a
thread sending the periodic tasks. The test process itself enqueues to the
private broker, so requests made with the Django test Client reach the worker.

Everything that names the product's background work is right below, once.

Run them with a database and broker of your own (they skip, saying why, without):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/keel_faults \
    CELERY_BROKER_URL=redis://127.0.0.1:6379/13 .venv/bin/pytest -q tests/faults

They mostly wait (retries, timeouts), so ``-n 3`` runs them side by side cheaply;
``-m "not faults"`` leaves them out of a run.
"""

from __future__ import annotations

import shutil
import signal
from pathlib import Path

import pytest

from .fakes import SlackFake, SMTPFake
from .processes import Beat, RedisServer, Worker

# ---- The product's background work, named once -----------------------------------------
# The queues a worker consumes.
QUEUES = "delivery,compute"
# Periodic tasks that pick up what was left behind: retries that are due, sends
# that a dead worker never finished, evaluations asked for.
SWEEP_TASKS = [
    "outbox.tasks.deliver_due",
    "teamhealth.tasks.run_evaluation_requests",
]
# Periodic tasks that decide what is due and send it (beat runs them in production).
PERIODIC = {
    "exercises": "hiring.tasks.send_due_exercises",
    "scorecard_reminders": "hiring.tasks.send_scorecard_reminders",
    "outcome_reminders": "hiring.tasks.send_outcome_reminders",
    "weekly_digest": "teamhealth.tasks.send_weekly_digests",
}
# Seconds between two rounds of the beat stand-in.
BEAT_EVERY = 2.0
# Once everything expected has arrived, how long to keep watching for a second copy
# (a lease running out, then a sweep picking the message up again).
SETTLE_SECONDS = 8
# How long to watch for a retry that must not happen: past the product's first retry (30 s).
RETRY_WATCH_SECONDS = 35
# After a kill and restart, how long everything held up has to arrive.
RECOVERY_SECONDS = 30
# The settings module a live worker runs with, and the environment every test worker gets
# (short leases, so that a message a killed worker held is taken over within a test).
WORKER_SETTINGS = "config.settings.local"
WORKER_ENV = {"KEEL_OUTBOX_LEASE_SECONDS": "5"}
# No fault test runs longer than this, whatever hangs.
TEST_TIME_LIMIT = 150
# ------------------------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Every test here needs PostgreSQL (the worker shares the test database) and redis-server.

    ``postgres`` and ``broker`` make them skip, with the reason, without
    DATABASE_URL / CELERY_BROKER_URL (tests/conftest.py); without a
    redis-server binary they skip too.
    """
    no_redis = pytest.mark.skip(reason="needs the redis-server binary on PATH")
    for item in items:
        if HERE not in Path(str(item.path)).resolve().parents:
            continue
        item.add_marker(pytest.mark.faults)
        item.add_marker(pytest.mark.postgres)
        item.add_marker(pytest.mark.broker)
        if shutil.which("redis-server") is None:
            item.add_marker(no_redis)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"faults_{report.when}", report)


def _failed(request) -> bool:
    return any(
        getattr(getattr(request.node, f"faults_{when}", None), "failed", False)
        for when in ("setup", "call")
    )


class RanOverError(Exception):
    pass


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    """A hard bound on each test's body: SIGALRM after TEST_TIME_LIMIT seconds."""
    if HERE not in Path(str(item.path)).resolve().parents:
        yield
        return

    def ran_over(signum, frame):
        raise RanOverError(f"the test ran over {TEST_TIME_LIMIT} s")

    previous = signal.signal(signal.SIGALRM, ran_over)
    signal.setitimer(signal.ITIMER_REAL, TEST_TIME_LIMIT)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --------------------------------------------------------------------------- fixtures


@pytest.fixture
def private_redis(tmp_path):
    """A redis-server of this test's own: ``.url``, ``.stop()``, ``.start()`` (same port)."""
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop(kill=True)


@pytest.fixture
def smtp_fake(request):
    """A local mail server; see ``SMTPFake`` for its behaviours. Starts accepting."""
    fake = SMTPFake()
    fake.start()
    yield fake
    if _failed(request):
        print(fake.summary())
    fake.stop()


@pytest.fixture
def slack_fake(request):
    """A local Slack incoming webhook at ``.url``; see ``SlackFake``. Starts answering 200."""
    fake = SlackFake()
    fake.start()
    yield fake
    if _failed(request):
        print(fake.summary())
    fake.stop()


@pytest.fixture
def on_private_broker(settings, monkeypatch, private_redis, smtp_fake):
    """The test process enqueues to the private broker (not inline) and mails the SMTP fake."""
    from kombu import pools

    from config.celery_app import app

    def reset_pools():
        # The producer pools are bound to the broker they were made for.
        if app._pool is not None:
            app._pool.force_close_all()
        app._pool = None
        app.amqp._producer_pool = None
        pools.reset()

    old = (app.conf.broker_url, app.conf.broker_transport_options, app.conf.task_always_eager)
    # Celery reads CELERY_BROKER_URL from the environment before its own configuration.
    monkeypatch.setenv("CELERY_BROKER_URL", private_redis.url)
    settings.CELERY_BROKER_URL = private_redis.url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_fake.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    reset_pools()
    app.conf.update(
        broker_url=private_redis.url, broker_transport_options={}, task_always_eager=False
    )
    yield app
    app.conf.update(broker_url=old[0], broker_transport_options=old[1], task_always_eager=old[2])
    reset_pools()  # before monkeypatch puts the environment back: nothing is bound to it


def database_url() -> str:
    """The pytest-django test database in use, as a DATABASE_URL the worker can read."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    assert "postgresql" in db["ENGINE"], "fault tests share the test database with a worker"
    auth = db.get("USER") or "postgres"
    if db.get("PASSWORD"):
        auth += f":{db['PASSWORD']}"
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgres://{auth}@{host}:{port}/{db['NAME']}"


@pytest.fixture
def worker(request, transactional_db, on_private_broker, private_redis, smtp_fake, tmp_path):
    """A real Celery worker on the private broker and the test database; call ``.start()``.

    ``.env`` may be changed before ``start()`` (or pass ``extra_env``). ``kill9()``,
    ``stop()``, ``start()`` again, ``wait_until(predicate, timeout)``, ``tail()``.
    """
    process = Worker(
        cwd=ROOT,
        log=tmp_path / "worker.log",
        queues=QUEUES,
        env={
            "DJANGO_SETTINGS_MODULE": WORKER_SETTINGS,
            "DJANGO_DEBUG": "false",
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": private_redis.url,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_fake.port}",
            "SITE_URL": "http://testserver",
            "KEEL_VAR_DIR": str(tmp_path / "var"),
            "LOG_LEVEL": "INFO",
            "PYTHONUNBUFFERED": "1",
            **WORKER_ENV,
        },
    )
    yield process
    process.kill9()
    if _failed(request):
        print(f"---- worker log (last 80 lines of {process.log}) ----\n{process.tail(80)}")


@pytest.fixture
def beat(on_private_broker):
    """``beat(tasks=SWEEP_TASKS, every=BEAT_EVERY)`` starts sending those tasks; stopped after."""
    started: list[Beat] = []

    def start(tasks=None, every: float = BEAT_EVERY) -> Beat:
        ticking = Beat(on_private_broker, SWEEP_TASKS if tasks is None else tasks, every)
        started.append(ticking.start())
        return ticking

    yield start
    for ticking in started:
        ticking.stop()
