"""Smoke test of the production shape on this machine (docs/production.md).

gunicorn (two workers), a Celery worker on ``delivery`` and one on
``compute`` (prefork, each serving its task counters on a port of its own),
exactly one beat, PostgreSQL and RabbitMQ, with the production settings.
It opens a survey round (the compute worker opens it, the delivery worker
emails every link, each link opens the form), delivers an alert (a value
posted through the API, evaluated on the compute worker, emailed by the
delivery worker) to a local SMTP sink, reads ``/healthz`` and the metrics,
and prints what it checked.

Everything it makes is its own: the database ``keel_smoke``, the RabbitMQ
vhost ``keel_smoke``, a temporary folder. It starts RabbitMQ (and
PostgreSQL) when they are not running, gives up after ``SMOKE_SECONDS``
(300 by default, migrations and collectstatic included; about 100 s on an
idle 2-core machine), and stops every process it started, by its own process
group, whatever happens. Run it with ``make smoke``; ``.ci/run`` runs it
after ``make test``.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cryptography.fernet import Fernet  # noqa: E402
from prometheus_client.parser import text_string_to_metric_families  # noqa: E402

from tests.faults.fakes import SMTPFake, free_port  # noqa: E402

NAME = "keel_smoke"
PG = ("-h", "127.0.0.1", "-p", "5432", "-U", "postgres")
DEADLINE = time.monotonic() + int(os.environ.get("SMOKE_SECONDS", "300"))
PYTHON = sys.executable
BIN = Path(PYTHON).parent
T = TypeVar("T")


class SmokeError(Exception):
    pass


def say(text: str) -> None:
    print(f"smoke: {text}", flush=True)


def passed(text: str) -> None:
    print(f"smoke: ok    {text}", flush=True)


def left() -> float:
    return DEADLINE - time.monotonic()


def wait_for(what: str, predicate: Callable[[], T], *, details: Callable[[], str] = str) -> T:
    while True:
        value = predicate()
        if value:
            return value
        if left() <= 0:
            raise SmokeError(f"out of time waiting for {what}\n{details()}")
        time.sleep(0.5)


def run(*command: str, env: dict[str, str] | None = None, check: bool = True) -> str:
    try:
        result = subprocess.run(  # noqa: S603 - fixed programs and arguments
            command,
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=max(5.0, left()),
        )
    except subprocess.TimeoutExpired as timeout:
        raise SmokeError(f"out of time running {' '.join(command)}") from timeout
    if check and result.returncode != 0:
        raise SmokeError(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def succeeds(*command: str) -> bool:
    try:
        return subprocess.run(command, capture_output=True, timeout=15).returncode == 0  # noqa: S603
    except (OSError, subprocess.TimeoutExpired):
        return False


# ------------------------------------------------------------------ servers


def ensure_postgres() -> None:
    if succeeds("pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q"):
        return
    say("starting PostgreSQL")
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    run("pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start")
    wait_for("PostgreSQL", lambda: succeeds("pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q"))


def rabbitmq_listening() -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", 5672), timeout=2):
        return True
    return False


def ensure_rabbitmq() -> None:
    # The port, not the CLI, says whether it runs: a slow CLI on a busy machine
    # must never start a second server.
    if not rabbitmq_listening():
        say("starting RabbitMQ (rabbitmq-server -detached)")
        run("rabbitmq-server", "-detached")
        wait_for("RabbitMQ", rabbitmq_listening)
    run("rabbitmqctl", "-q", "delete_vhost", NAME, check=False)
    run("rabbitmqctl", "-q", "add_vhost", NAME)
    run("rabbitmqctl", "-q", "set_permissions", "-p", NAME, "guest", ".*", ".*", ".*")


def fresh_database() -> None:
    run("psql", *PG, "-q", "-c", f"DROP DATABASE IF EXISTS {NAME} WITH (FORCE)")
    run("psql", *PG, "-q", "-c", f"CREATE DATABASE {NAME}")


def drop_database_and_vhost() -> None:
    run("psql", *PG, "-q", "-c", f"DROP DATABASE IF EXISTS {NAME} WITH (FORCE)", check=False)
    run("rabbitmqctl", "-q", "delete_vhost", NAME, check=False)


def redis_reachable() -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", 6379), timeout=1):
        return True
    return False


# --------------------------------------------------------------- processes


class Processes:
    """Every process started here, each leading its own group, stopped by its own id."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.started: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, command: list[str], env: dict[str, str]) -> None:
        log = (self.folder / f"{name}.log").open("w")
        process = subprocess.Popen(  # noqa: S603 - fixed programs and arguments
            command,
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.started.append((name, process))

    def check_alive(self) -> None:
        for name, process in self.started:
            if process.poll() is not None:
                raise SmokeError(f"{name} exited with {process.returncode}\n{self.tail(name)}")

    def tail(self, name: str, lines: int = 30) -> str:
        path = self.folder / f"{name}.log"
        text = path.read_text(errors="replace") if path.exists() else ""
        return f"--- {name}.log\n" + "\n".join(text.splitlines()[-lines:])

    def tails(self) -> str:
        return "\n".join(self.tail(name) for name, _ in self.started)

    def stop_all(self) -> None:
        for _, process in self.started:
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        for name, process in self.started:
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)
                say(f"{name} did not stop on SIGTERM: killed")


# -------------------------------------------------------------------- HTTP


def http(
    url: str, *, data: dict | None = None, headers: dict[str, str] | None = None
) -> tuple[int, str]:
    body = json.dumps(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers=headers or {})  # noqa: S310
    if body is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except OSError:
        return 0, ""


def samples(text: str) -> dict[tuple[str, tuple], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def task_runs(port: int, task: str) -> float:
    status, text = http(f"http://127.0.0.1:{port}/metrics")
    if status != 200:
        return 0.0
    return samples(text).get(("keel_celery_task_runs_total", (("task", task),)), 0.0)


# -------------------------------------------------------------------- data

SEED = """
from accounts.models import User
from surveys.models import Cadence
from teamhealth.models import IntegrationToken, Membership, Team
from teamhealth.services.credentials import issue_integration_token
from django.utils import timezone

manager = User.objects.create_user("smoke-manager", "manager@smoke.test", "x" * 20)
team = Team.objects.create(name="Smoke team", slug="smoke-team")
team.managers.add(manager)
for n in range(3):
    engineer = User.objects.create_user(f"smoke-engineer-{n}", f"engineer{n}@smoke.test")
    Membership.objects.create(team=team, user=engineer, joined_on=timezone.localdate())
# Due every day: a one-week cadence open for the whole week.
Cadence.objects.update_or_create(team=team, defaults={"every_weeks": 1, "open_days": 7})
print(issue_integration_token(token=IntegrationToken(name="smoke", all_teams=True)))
"""

# Settings the smoke test chooses itself, whatever the calling environment says.
OWN_SETTINGS = ("KEEL_", "DJANGO_", "PROMETHEUS_", "CACHE_URL", "EMAIL_URL", "CELERY_")

SEND_TASK = "from config.celery_app import app; app.send_task({task!r})"


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="keel-smoke-"))
    processes = Processes(folder)
    smtp = SMTPFake()
    ok = False
    try:
        ok = smoke(folder, processes, smtp)
    except Exception as failure:  # report any failure, then stop everything all the same
        say(f"FAILED: {failure if isinstance(failure, SmokeError) else repr(failure)}")
        say(smtp.summary())
        print(processes.tails(), flush=True)
    finally:
        processes.stop_all()
        smtp.stop()
        say(f"stopped {len(processes.started)} processes")
        if ok:
            drop_database_and_vhost()
            shutil.rmtree(folder, ignore_errors=True)
        else:
            say(f"logs kept in {folder}; database and vhost {NAME} kept")
    return 0 if ok else 1


def smoke(folder: Path, processes: Processes, smtp: SMTPFake) -> bool:
    started = time.monotonic()
    ensure_postgres()
    ensure_rabbitmq()
    fresh_database()
    smtp.start()
    port = free_port()
    site = f"http://127.0.0.1:{port}"
    metrics_token = secrets.token_urlsafe(24)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(OWN_SETTINGS)},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "KEEL_SECRETS_KEYS": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": site,
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "SECURE_HSTS_SECONDS": "0",
        "KEEL_TRUSTED_PROXY_COUNT": "0",
        "KEEL_VAR_DIR": str(folder),
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{NAME}",
        "CELERY_BROKER_URL": f"amqp://guest:guest@127.0.0.1:5672/{NAME}",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
        "DEFAULT_FROM_EMAIL": "Keel <keel@smoke.test>",
        "KEEL_METRICS_TOKEN": metrics_token,
        "PATH": f"{BIN}:{os.environ.get('PATH', '')}",
    }
    if redis_reachable():
        env["CACHE_URL"] = "redis://127.0.0.1:6379/6"
    say(f"cache: {'Redis db 6, shared' if 'CACHE_URL' in env else 'per process (no Redis)'}")

    manage = [PYTHON, "manage.py"]
    run(*manage, "migrate", "--noinput", env=env)
    run(*manage, "collectstatic", "--noinput", env=env)
    api_token = run(*manage, "shell", "-c", SEED, env=env).strip().splitlines()[-1]
    passed(f"database {NAME} migrated, static files collected, a team of 3 and its manager")

    ports = {"delivery": free_port(), "compute": free_port()}

    def own(name: str, **extra: str) -> dict[str, str]:
        directory = folder / f"prometheus-{name}"
        directory.mkdir()
        return {**env, "PROMETHEUS_MULTIPROC_DIR": str(directory), **extra}

    celery = [str(BIN / "celery"), "-A", "config"]
    processes.start(
        "web",
        [str(BIN / "gunicorn"), "-c", "config/gunicorn.py", "config.wsgi",
         "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        own("web"),
    )  # fmt: skip
    for queue in ("delivery", "compute"):
        processes.start(
            queue,
            [*celery, "worker", "-Q", queue, "-n", f"{queue}@%h", "--pool=prefork",
             "--concurrency=2", "--prefetch-multiplier=1", "--loglevel=INFO"],
            own(queue, KEEL_WORKER_METRICS_PORT=str(ports[queue])),
        )  # fmt: skip
    processes.start(
        "beat",
        [*celery, "beat", "--loglevel=INFO", "--pidfile", str(folder / "beat.pid")],
        env,
    )

    def healthy() -> dict | None:
        processes.check_alive()
        status, text = http(f"{site}/healthz")
        return json.loads(text) if status == 200 else None

    health = wait_for("/healthz to answer 200", healthy, details=processes.tails)
    passed(f"/healthz 200 {json.dumps(health['checks'], sort_keys=True)}")

    # A survey round, opened on the compute worker; its links emailed by the delivery worker.
    run(*manage, "shell", "-c", SEND_TASK.format(task="surveys.tasks.open_due_rounds"), env=env)
    engineers = [f"engineer{n}@smoke.test" for n in range(3)]

    def every_link_arrived() -> bool:
        processes.check_alive()
        return all(smtp.to(address) for address in engineers)

    wait_for("3 survey-link emails", every_link_arrived, details=smtp.summary)
    for address in engineers:
        links = re.findall(re.escape(site) + r"/surveys/\S+", smtp.to(address)[0].body)
        if not links:
            raise SmokeError(f"no survey link in the email to {address}")
        status, page = http(links[0])
        if status != 200 or "<form" not in page:
            raise SmokeError(f"the survey link emailed to {address} answered {status}")
    passed("survey round opened: 3 of 3 engineers emailed, each link opens the form")

    # An alert: a value past its threshold, through the API.
    status, text = http(
        f"{site}/api/teamhealth/metric-values/",
        data={
            "team": "smoke-team",
            "metric": "oncall_hours",
            "period": time.strftime("%Y-%m-%d"),
            "value": "40",
        },
        headers={"Authorization": f"Bearer {api_token}"},
    )
    if status != 201:
        raise SmokeError(f"the API answered {status}: {text}")
    passed("on-call hours 40 (threshold 10) posted through the API: 201")

    def alert_mailed() -> bool:
        processes.check_alive()
        return bool(smtp.to("manager@smoke.test"))

    wait_for("the alert email to the manager", alert_mailed, details=smtp.summary)
    passed(f"alert emailed to the manager: {smtp.to('manager@smoke.test')[0].subject!r}")

    # Each queue's worker ran its own tasks, as its own metrics port says.
    compute_tasks = ("surveys.tasks.open_due_rounds", "teamhealth.tasks.run_evaluation_requests")
    for task in compute_tasks:
        wait_for(
            f"{task} counted on the compute worker",
            lambda task=task: task_runs(ports["compute"], task),
        )
        if task_runs(ports["delivery"], task):
            raise SmokeError(f"{task} ran on the delivery worker")
    deliveries = wait_for(
        "deliveries counted on the delivery worker",
        lambda: task_runs(ports["delivery"], "outbox.tasks.deliver_due"),
    )
    if task_runs(ports["compute"], "outbox.tasks.deliver_due"):
        raise SmokeError("outbox.tasks.deliver_due ran on the compute worker")
    passed(
        f"compute worker ran {', '.join(compute_tasks)}; delivery worker ran "
        f"outbox.tasks.deliver_due {deliveries:.0f} times; neither ran the other's"
    )

    status, text = http(f"{site}/metrics")
    if status != 404:
        raise SmokeError(f"/metrics without the token answered {status}")
    status, text = http(f"{site}/metrics", headers={"Authorization": f"Bearer {metrics_token}"})
    values = samples(text) if status == 200 else {}
    firing = values.get(("keel_teamhealth_alerts_open", (("status", "firing"),)))
    requests = sum(
        value
        for (name, _), value in values.items()
        if name == "django_http_requests_latency_seconds_by_view_method_count"
    )
    if firing != 1 or not requests:
        raise SmokeError(f"/metrics answered {status}; firing alerts {firing}, requests {requests}")
    web_processes = len(list((folder / "prometheus-web").glob("histogram_*.db")))
    passed(
        f"/metrics: 404 without the token; with it, 1 firing alert and {requests:.0f} requests "
        f"timed, summed over the {web_processes} gunicorn worker(s) that answered any"
    )

    health = wait_for("/healthz to answer 200", healthy, details=processes.tails)
    passed(f"/healthz still 200: {json.dumps(health['checks'], sort_keys=True)}")
    say(f"all checks passed in {time.monotonic() - started:.0f} s")
    return True


if __name__ == "__main__":
    sys.exit(main())
