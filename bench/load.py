"""Keel under closed-loop load: each hot path's throughput as a ratio of a trivial view.

    .venv/bin/python bench/load.py [--seconds 5] [--rounds 3] [--connections 8] [--json]

Sets up a throw-away PostgreSQL database (``--database-url``, dropped and
created afresh) with the demo data, starts gunicorn with 2 sync workers on the
production settings plus one trivial view (``config.settings.bench``), and
drives each scenario closed-loop: ``--connections`` client processes, each
sending its next request as soon as the last one is answered, for
``--seconds`` per scenario, ``--rounds`` times, the scenarios taken in a
different order each round. For each scenario it prints requests per second,
the ratio to the trivial view (the same process, the same middleware, no query
and no template), the server's CPU milliseconds per request (the gunicorn
workers' user + system time from ``/proc/<pid>/stat``, robust to other load on
the machine) and the CPU ratio (the trivial view's CPU per request over the
scenario's: the throughput ratio an idle machine would show), the client's CPU
milliseconds per request (a lean Python client: one ``http.client`` connection
per request, as gunicorn's sync workers close every connection), errors, and
for the POST scenarios whether the rows stored equal the successful posts.
``--json`` ends with ``RESULT {json}``, as ``bench/scaling.py`` reads it.
Ctrl-C stops gunicorn and the clients.

Survey answers are posted each with a fresh link, minted beforehand with the
product's own token code (``surveys.tokens``) for bench-only people invited to
the demo's open round. Nothing here runs against your data.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
sys.path.insert(0, str(ROOT))
BENCH_TEAM = "Backend Payments"
BENCH_TOKEN_NAME = "bench-load"  # noqa: S105 - a name, not a secret
DEMO_PASSWORD = "keel-demo"  # noqa: S105 - the demo's published password
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

# name, method, who signs in (None: nobody), expected status
SCENARIOS: list[tuple[str, str, str | None, int]] = [
    ("trivial view", "GET", None, 200),
    ("survey answer page", "GET", None, 200),
    ("survey answer POST", "POST", None, 302),
    ("metric API POST", "POST", None, 201),
    ("scorecard", "GET", "interviewer", 200),
    ("loop summary", "GET", "recruiter", 200),
    ("team page", "GET", "manager", 200),
    ("candidate list", "GET", "recruiter", 200),
    ("survey results", "GET", "manager", 200),
    ("org overview", "GET", "director", 200),
    ("analytics", "GET", "recruiter", 200),
    ("home", "GET", "manager", 200),
]


# ---------------------------------------------------------------- fixtures (inside Django)


def make_fixtures(links: int) -> dict[str, Any]:
    """Bench people invited to the open round, their links, an API token, the pages' URLs."""
    import django

    django.setup()
    from django.db import transaction
    from django.urls import reverse

    from accounts.models import User
    from hiring.models import Interview, InterviewLoop
    from surveys import selectors, tokens
    from surveys.models import Invitation, InvitationLink, Question, SurveyRound
    from teamhealth.models import IntegrationToken, Metric, Team
    from teamhealth.services.credentials import issue_integration_token

    team = Team.objects.get(name=BENCH_TEAM)
    survey_round = SurveyRound.objects.get(team=team, status=SurveyRound.Status.OPEN)
    with transaction.atomic():
        people = User.objects.bulk_create(
            User(username=f"bench-{i}", email="", password="!")  # noqa: S106 - unusable
            for i in range(links)
        )
        invitations = Invitation.objects.bulk_create(
            Invitation(round=survey_round, user=person) for person in people
        )
        signed = []
        rows = []
        for invitation in invitations:
            _token, token_hash = tokens.new_token()
            rows.append(
                InvitationLink(
                    invitation=invitation,
                    token_hash=token_hash,
                    kind=InvitationLink.Kind.INVITATION,
                )
            )
            signed.append(
                reverse(
                    "surveys:answer_from_link", kwargs={"signed": tokens.signed_hash(token_hash)}
                )
            )
        InvitationLink.objects.bulk_create(rows)
        api_token = IntegrationToken(name=BENCH_TOKEN_NAME, all_teams=True)
        secret = issue_integration_token(token=api_token)
    questions = selectors.round_questions(survey_round)
    answer = {f"q{q.pk}": "4" if q.kind == Question.Kind.LIKERT else "8" for q in questions}
    if survey_round.include_comment:
        answer["comment"] = "Reviews are quicker this sprint."
    interviewer = User.objects.get(username="interviewer")
    interview = Interview.objects.filter(interviewer=interviewer).order_by("-scheduled_at").first()
    loop = InterviewLoop.objects.order_by("pk").first()
    closed = (
        SurveyRound.objects.filter(team=team)
        .exclude(status=SurveyRound.Status.OPEN)
        .order_by("-period_start")
        .first()
    )
    if interview is None or loop is None or closed is None:
        raise RuntimeError("the demo data is missing")
    return {
        "answer_urls": signed,
        "answer_body": answer,
        "round_id": survey_round.pk,
        "api_token": secret,
        "api_teams": list(Team.objects.values_list("slug", flat=True)),
        "api_metrics": [Metric.TURNOVER, Metric.ONCALL_HOURS, Metric.DELIVERY_RATE],
        "pages": {
            "scorecard": reverse("hiring:scorecard", args=[interview.pk]),
            "loop summary": reverse("hiring:loop_detail", args=[loop.pk]),
            "team page": reverse("teamhealth:team_detail", args=[team.slug]),
            "candidate list": reverse("hiring:loop_list"),
            "survey results": reverse("surveys:round_results", args=[closed.pk]),
            "org overview": reverse("teamhealth:org_overview"),
            "analytics": reverse("hiring:analytics"),
            "home": reverse("home"),
        },
    }


def count_stored(round_id: int) -> dict[str, int]:
    """Rows the POST scenarios stored: answered bench invitations, API values."""
    import django

    django.setup()
    from surveys.models import Invitation
    from teamhealth.models import MetricValue

    return {
        "survey answer POST": Invitation.objects.filter(
            round_id=round_id, user__username__startswith="bench-", has_answered=True
        ).count(),
        "metric API POST": MetricValue.objects.filter(
            entered_via=f"API: {BENCH_TOKEN_NAME}"
        ).count(),
    }


# ---------------------------------------------------------------- the client


@dataclass
class Target:
    method: str
    path: str
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


def _request(port: int, target: Target) -> tuple[int, http.client.HTTPResponse]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(target.method, target.path, body=target.body, headers=target.headers)
        response = connection.getresponse()
        response.read()
        return response.status, response
    finally:
        connection.close()


def _client(
    port: int,
    scenario: str,
    shared: dict[str, Any],
    counter: Any,
    deadline: float,
    results: Any,
) -> None:
    """One closed-loop connection: request, read, repeat until the deadline."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    ok = errors = 0
    expected = shared["expected"][scenario]
    while time.monotonic() < deadline:
        with counter.get_lock():
            index = counter.value
            counter.value += 1
        target = build_target(scenario, shared, index)
        if target is None:
            break
        try:
            status, _ = _request(port, target)
        except OSError:
            errors += 1
            continue
        if status == expected:
            ok += 1
        else:
            errors += 1
    results.put((ok, errors, time.process_time()))


def build_target(scenario: str, shared: dict[str, Any], index: int) -> Target | None:
    cookies = shared["cookies"]
    if scenario == "trivial view":
        return Target("GET", "/bench/trivial/")
    if scenario == "survey answer page":
        return Target("GET", shared["answer_page"])
    if scenario == "survey answer POST":
        urls = shared["answer_urls"]
        if index >= len(urls):
            return None
        csrf = cookies["csrf"]
        body = urllib.parse.urlencode({**shared["answer_body"], "csrfmiddlewaretoken": csrf})
        return Target(
            "POST",
            urls[index],
            body.encode(),
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={csrf}",
            },
        )
    if scenario == "metric API POST":
        keys = shared["api_keys"]
        if index >= len(keys):
            return None
        team, metric, period = keys[index]
        body = json.dumps({"team": team, "metric": metric, "period": period, "value": "3.50"})
        return Target(
            "POST",
            "/api/teamhealth/metric-values/",
            body.encode(),
            {
                "Content-Type": "application/json",
                "Authorization": f"Bearer {shared['api_token']}",
            },
        )
    user = shared["users"][scenario]
    return Target("GET", shared["pages"][scenario], headers={"Cookie": cookies[user]})


def _cookie(response: http.client.HTTPResponse, name: str) -> str | None:
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            match = re.match(rf"{name}=([^;]*)", value)
            if match:
                return match.group(1)
    return None


def sign_in(port: int, username: str) -> tuple[str, float]:
    """The session cookie of ``username``, and the wall time of the sign-in POST."""
    _status, page = _request(port, Target("GET", "/accounts/login/"))
    csrf = _cookie(page, "csrftoken")
    if not csrf:
        raise RuntimeError("no CSRF cookie on the sign-in page")
    body = urllib.parse.urlencode(
        {"username": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": csrf}
    ).encode()
    started = time.monotonic()
    status, response = _request(
        port,
        Target(
            "POST",
            "/accounts/login/",
            body,
            {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={csrf}"},
        ),
    )
    took = time.monotonic() - started
    session = _cookie(response, "sessionid")
    if status != 302 or not session:
        raise RuntimeError(f"{username} could not sign in ({status})")
    return f"sessionid={session}; csrftoken={csrf}", took


# ---------------------------------------------------------------- the server


def worker_cpu_seconds(master: int) -> float:
    """User + system CPU of gunicorn's workers (the master's children) so far."""
    total = 0.0
    with suppress(FileNotFoundError):
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        for pid in children:
            with suppress(FileNotFoundError):
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    return total


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(  # noqa: S603 - fixed commands of this repository
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )


def _fresh_database(url: str) -> None:
    import psycopg

    parts = urllib.parse.urlparse(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def _in_django(env: dict[str, str], call: str) -> Any:
    output = subprocess.run(  # noqa: S603
        [PYTHON, __file__, "--inside", call],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def _wait_for(port: int, seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        with suppress(OSError):
            _request(port, Target("GET", "/bench/trivial/"))
            return
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer")


# ---------------------------------------------------------------- the run


@dataclass
class Tally:
    ok: int = 0
    errors: int = 0
    seconds: float = 0.0
    server_cpu: float = 0.0
    client_cpu: float = 0.0
    rates: list[float] = field(default_factory=list)


def run_scenario(
    port: int, master: int, scenario: str, shared: dict[str, Any], counter: Any, args: Any
) -> tuple[int, int, float, float, float]:
    results: Any = mp.Queue()
    cpu_before = worker_cpu_seconds(master)
    started = time.monotonic()
    deadline = started + args.seconds
    clients = [
        mp.Process(target=_client, args=(port, scenario, shared, counter, deadline, results))
        for _ in range(args.connections)
    ]
    for client in clients:
        client.start()
    outcomes = [results.get() for _ in clients]
    for client in clients:
        client.join()
    elapsed = time.monotonic() - started
    server_cpu = worker_cpu_seconds(master) - cpu_before
    ok = sum(o[0] for o in outcomes)
    errors = sum(o[1] for o in outcomes)
    client_cpu = sum(o[2] for o in outcomes)
    return ok, errors, elapsed, server_cpu, client_cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="per scenario and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "KEEL_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/keel_bench_load"
        ),
        help="a PostgreSQL database this script may drop and create",
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("KEEL_BENCH_REDIS_URL", "redis://127.0.0.1:6379/4"),
        help="cache and broker of the benchmarked server (no worker consumes it)",
    )
    parser.add_argument(
        "--only", help="comma-separated scenario names (the trivial view always runs)"
    )
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--inside", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.inside:
        call, _, argument = args.inside.partition(":")
        result = make_fixtures(int(argument)) if call == "fixtures" else count_stored(int(argument))
        print(json.dumps(result))
        return 0

    scenarios = list(SCENARIOS)
    if args.only:
        wanted = {name.strip() for name in args.only.split(",")} | {"trivial view"}
        scenarios = [s for s in SCENARIOS if s[0] in wanted]
    var_dir = tempfile.mkdtemp(prefix="keel-bench-load-")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.bench",
        "DATABASE_URL": args.database_url,
        "DJANGO_SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
        "KEEL_SECRETS_KEYS": "dGhpcy1pcy1hLWJlbmNoLW9ubHkta2V5LTMyLWJ5dGU=",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": f"http://127.0.0.1:{args.port}",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "SECURE_HSTS_SECONDS": "0",
        "KEEL_TRUSTED_PROXY_COUNT": "0",
        "KEEL_RATE_LIMIT_SIGN_IN": "100000/m",
        "KEEL_RATE_LIMIT_SURVEY_LINKS": "1000000/m",
        "KEEL_RATE_LIMIT_API": "1000000/m",
        "CACHE_URL": args.redis_url,
        "CELERY_BROKER_URL": args.redis_url,
        "KEEL_VAR_DIR": var_dir,
        "LOG_LEVEL": "WARNING",
    }
    say = (lambda *a: print(*a, file=sys.stderr, flush=True)) if args.json else print
    say(f"Setting up {args.database_url.rsplit('/', 1)[-1]} (migrate, demo data, links)…")
    _fresh_database(args.database_url)
    _manage(env, "migrate", "--noinput", "-v0")
    _manage(env, "collectstatic", "--noinput", "-v0")
    _manage(env, "load_demo")
    links = int(args.seconds * args.rounds * 600) + 100
    fixtures = _in_django(env, f"fixtures:{links}")

    periods = []
    day = time.mktime((2000, 1, 3, 12, 0, 0, 0, 0, -1))
    for _ in range(520):  # two-week periods from 2000 to 2019, before any demo value
        periods.append(time.strftime("%Y-%m-%d", time.localtime(day)))
        day += 14 * 86400
    api_keys = [
        (team, metric, period)
        for period in periods
        for team in fixtures["api_teams"]
        for metric in fixtures["api_metrics"]
    ]

    server = subprocess.Popen(  # noqa: S603
        [
            PYTHON,
            "-m",
            "gunicorn",
            "-c",
            "config/gunicorn.py",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--worker-class",
            "sync",
            "--access-logfile",
            "/dev/null",
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    report: dict[str, Any] = {}
    try:
        _wait_for(args.port)
        shared: dict[str, Any] = {
            "answer_page": fixtures["answer_urls"][0],
            "answer_urls": fixtures["answer_urls"][1:],
            "answer_body": fixtures["answer_body"],
            "api_token": fixtures["api_token"],
            "api_keys": api_keys,
            "pages": fixtures["pages"],
            "users": {name: user for name, _m, user, _s in SCENARIOS if user},
            "expected": {name: status for name, _m, _u, status in SCENARIOS},
            "cookies": {},
        }
        _status, page = _request(args.port, Target("GET", shared["answer_page"]))
        shared["cookies"]["csrf"] = _cookie(page, "csrftoken")
        cpu_before = worker_cpu_seconds(server.pid)
        sign_in_walls = []
        for user in sorted(set(shared["users"].values())):
            shared["cookies"][user], took = sign_in(args.port, user)
            sign_in_walls.append(took)
        sign_in_cpu = (worker_cpu_seconds(server.pid) - cpu_before) / len(sign_in_walls)
        say(
            f"sign-in (GET form + POST, Argon2): {sign_in_cpu * 1000:.0f} ms of server CPU, "
            f"{min(sign_in_walls) * 1000:.0f} ms wall at best"
        )
        counters = {name: mp.Value("q", 0) for name, *_ in scenarios}
        tallies = {name: Tally() for name, *_ in scenarios}
        # Warm up (imports, compiled templates, connections), unmeasured; the
        # POSTs it makes are stored too, and counted for the stored-rows check.
        warm_ok: dict[str, int] = {}
        warm_up = argparse.Namespace(seconds=1.0, connections=args.connections)
        for name, *_ in scenarios:
            ok, errors, *_unused = run_scenario(
                args.port, server.pid, name, shared, counters[name], warm_up
            )
            warm_ok[name] = ok
            if errors:
                say(f"  warm-up {name}: {errors} errors")
        for round_number in range(args.rounds):
            shift = round_number * 5 % len(scenarios)
            order = scenarios[shift:] + scenarios[:shift]
            if round_number % 2:
                order.reverse()
            for name, *_ in order:
                ok, errors, elapsed, server_cpu, client_cpu = run_scenario(
                    args.port, server.pid, name, shared, counters[name], args
                )
                tally = tallies[name]
                tally.ok += ok
                tally.errors += errors
                tally.seconds += elapsed
                tally.server_cpu += server_cpu
                tally.client_cpu += client_cpu
                tally.rates.append(ok / elapsed)
                say(
                    f"  round {round_number + 1} {name:<20} {ok / elapsed:8.1f} req/s "
                    f"{server_cpu * 1000 / max(ok, 1):6.1f} ms server CPU/req, {errors} errors"
                )
        stored = _in_django(env, f"count:{fixtures['round_id']}")
        trivial = tallies["trivial view"]
        trivial_rate = trivial.ok / trivial.seconds
        trivial_cpu = trivial.server_cpu / max(trivial.ok, 1)
        say("")
        say(
            f"{'scenario':<20} {'req/s':>8} {'ratio':>6} {'server ms':>10} {'cpu ratio':>9} "
            f"{'client ms':>10} "
            f"{'errors':>6}  stored"
        )
        for name, *_ in scenarios:
            tally = tallies[name]
            rate = tally.ok / tally.seconds
            row = {
                "req_per_s": round(rate, 1),
                "ratio": round(rate / trivial_rate, 3),
                "server_cpu_ms": round(tally.server_cpu * 1000 / max(tally.ok, 1), 2),
                # The trivial view's CPU per request over this one's: what the ratio
                # would be on an otherwise idle machine with CPU-bound workers.
                "cpu_ratio": round(trivial_cpu / max(tally.server_cpu / max(tally.ok, 1), 1e-9), 3),
                "client_cpu_ms": round(tally.client_cpu * 1000 / max(tally.ok, 1), 2),
                "errors": tally.errors,
                "ok": tally.ok,
                "rounds_req_per_s": [round(r, 1) for r in tally.rates],
            }
            check = ""
            if name in stored:
                row["stored"] = stored[name]
                posts = tally.ok + warm_ok[name]
                row["stored_equals_posts"] = stored[name] == posts
                same = "=" if stored[name] == posts else "!="
                check = f"{stored[name]} rows {same} {posts} posts"
            report[name] = row
            say(
                f"{name:<20} {rate:8.1f} {row['ratio']:6.3f} {row['server_cpu_ms']:10.2f} "
                f"{row['cpu_ratio']:9.3f} "
                f"{row['client_cpu_ms']:10.2f} {tally.errors:6d}  {check}"
            )
        report["sign_in_server_cpu_ms"] = round(sign_in_cpu * 1000, 1)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        with suppress(Exception):
            import redis

            redis.Redis.from_url(args.redis_url).flushdb()
    if args.json:
        print("RESULT " + json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
