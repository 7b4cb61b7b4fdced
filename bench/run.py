"""Keel's benchmarks: run each job, print its line as it finishes, write the table.

    .venv/bin/python bench/run.py [--jobs rounds,signin] [--timeout 900] [--list]
    make bench [JOBS=rounds,signin]

Each job is a command of this repository that ends with one or more
``RESULT {json}`` lines on stdout (its other output goes to stderr, so
progress shows while it runs). Jobs run one after another, each in its own
process group: one that passes its time limit is killed, marked as timed out,
and the rest still run. After every job the table is rewritten to
``bench/results.md`` (or ``--out``) with the date, the database and the
machine, so an interrupted run keeps what it measured.

Scaling jobs run at two sizes; the table gives the cost per person (or per
team) at the large size over the cost at the small one: 1.00 is linear, lower
means batching pays off, higher means something grows faster than the data.
Compare ratios between machines and commits, not seconds. Everything runs on
throw-away databases (SQLite files under ``var/bench``, or the PostgreSQL
server DATABASE_URL points at), never on your data.

A new benchmark plugs in by adding a ``Job`` to ``JOBS`` with its command.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SMALL, LARGE = 100, 1000


@dataclass(frozen=True)
class Job:
    name: str
    group: str  # what JOBS=... picks: every job of the group runs
    command: list[str]
    timeout: float = 900
    optional: bool = False  # the script may not be in this checkout yet: skipped, not failed


@dataclass
class Outcome:
    job: Job
    status: str  # "ok", "failed", "timed out", "not present"
    seconds: float = 0.0
    results: list[dict] = field(default_factory=list)
    error: str = ""


def _rounds(teams: int) -> list[str]:
    return [PYTHON, "bench/rounds.py", "--teams", str(teams), "--members", "10"]


def _teamhealth(teams: int) -> list[str]:
    return [PYTHON, "bench/teamhealth_eval.py", "--teams", str(teams), "--json"]


JOBS = [
    Job(f"survey rounds, {SMALL} teams x 10", "rounds", _rounds(SMALL)),
    Job(f"survey rounds, {LARGE} teams x 10", "rounds", _rounds(LARGE)),
    Job(f"team-health evaluation, {SMALL} teams x 26 periods", "teamhealth", _teamhealth(SMALL)),
    Job(f"team-health evaluation, {LARGE} teams x 26 periods", "teamhealth", _teamhealth(LARGE)),
    Job(
        "CSV import, 10,000 rows",
        "import",
        [PYTHON, "bench/csv_import.py", "--rows", "10000", "--json"],
    ),
    Job("sign-in CPU (Argon2 vs PBKDF2)", "signin", [PYTHON, "bench/signin.py", "--json"]),
    Job("pages", "pages", [PYTHON, "bench/pages.py", "--json"]),
    Job("load", "load", [PYTHON, "bench/load.py", "--json"]),
]


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def run_job(job: Job, timeout: float) -> Outcome:
    """Run one job; its stderr passes through, its stdout is read for RESULT lines."""
    script = next((part for part in job.command[1:] if part.endswith(".py")), "")
    if job.optional and script and not (ROOT / script).exists():
        return Outcome(job, "not present", error=f"{script} is not in this checkout")
    began = time.monotonic()
    process = subprocess.Popen(  # noqa: S603 - fixed commands of this repository
        job.command,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: a time-out kills all of it
    )
    results: list[dict] = []
    tail: list[str] = []

    def read() -> None:
        for line in process.stdout or ():
            if line.startswith("RESULT "):
                try:
                    results.append(json.loads(line.removeprefix("RESULT ")))
                except json.JSONDecodeError:
                    tail.append(line.rstrip())
            else:
                _say("    " + line.rstrip())
                tail[:] = [*tail[-4:], line.rstrip()]

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        code = process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        reader.join(timeout=5)
        return Outcome(job, "timed out", time.monotonic() - began, results)
    reader.join(timeout=5)
    seconds = time.monotonic() - began
    if code != 0:
        return Outcome(job, "failed", seconds, results, f"exit {code}: " + " / ".join(tail[-2:]))
    if not results:
        return Outcome(job, "failed", seconds, error="no RESULT line")
    return Outcome(job, "ok", seconds, results)


# ------------------------------------------------------------------ the table


def _figure(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 100 else f"{value:.0f}"
    return str(value)


def _figures(outcome: Outcome) -> str:
    """The job's flat figures; nested ones (pages, load scenarios) get tables of their own."""
    if outcome.status != "ok":
        return outcome.error
    text = "; ".join(
        ", ".join(
            f"{key} {_figure(value)}"
            for key, value in result.items()
            if not isinstance(value, dict | list)
        )
        for result in outcome.results
    )
    if any(isinstance(v, dict | list) for result in outcome.results for v in result.values()):
        text = f"{text} (table below)" if text else "table below"
    return text


def _result(outcomes: list[Outcome], name: str) -> dict | None:
    for outcome in outcomes:
        if outcome.job.name == name and outcome.status == "ok":
            return outcome.results[-1]
    return None


def scaling_rows(outcomes: list[Outcome]) -> list[tuple[str, str, str, str]]:
    """(what, per unit at SMALL, per unit at LARGE, ratio) for the jobs run at both sizes."""
    rows = []
    pairs = [
        (
            "survey rounds, {} teams x 10",
            "people",
            [("open", "open rounds and invitations"), ("send", "send the links")],
        ),
        (
            "team-health evaluation, {} teams x 26 periods",
            "teams",
            [
                ("first", "evaluate, first run"),
                ("steady", "evaluate, steady state"),
                ("next", "evaluate, next period"),
            ],
        ),
    ]
    for pattern, unit, keys in pairs:
        small = _result(outcomes, pattern.format(SMALL))
        large = _result(outcomes, pattern.format(LARGE))
        if not small or not large:
            continue
        for key, label in keys:
            if not all(k in r for r in (small, large) for k in (unit, f"{key}_seconds")):
                continue
            per_small = small[f"{key}_seconds"] / small[unit] * 1000
            per_large = large[f"{key}_seconds"] / large[unit] * 1000
            ratio = per_large / per_small if per_small else float("nan")
            singular = {"people": "person", "teams": "team"}[unit]
            rows.append(
                (
                    f"{label} (ms per {singular})",
                    f"{per_small:.3f}",
                    f"{per_large:.3f}",
                    f"{ratio:.2f}",
                )
            )
    return rows


def pages_rows(outcomes: list[Outcome]) -> list[tuple[str, ...]]:
    """Each page's p50 and p95 at both sizes, their ratios and query counts (bench/pages.py)."""
    result = _result(outcomes, "pages")
    if not result or not isinstance(result.get("pages"), dict):
        return []
    rows: list[tuple[str, ...]] = []
    for page, row in result["pages"].items():
        rows.append(
            (
                page,
                f"{row['p50_small_ms']:.1f}",
                f"{row['p50_large_ms']:.1f}",
                f"{row['p50_ratio']:.2f}",
                f"{row['p95_small_ms']:.1f}",
                f"{row['p95_large_ms']:.1f}",
                f"{row['p95_ratio']:.2f}",
                f"{row['queries_small']} / {row['queries_large']}",
            )
        )
    return rows


def load_rows(outcomes: list[Outcome]) -> list[tuple[str, ...]]:
    """Each scenario's throughput and CPU against the trivial view (bench/load.py)."""
    result = _result(outcomes, "load")
    if not result:
        return []
    return [
        (
            name,
            f"{row['req_per_s']:.1f}",
            f"{row['ratio']:.3f}",
            f"{row['server_cpu_ms']:.2f}",
            f"{row['cpu_ratio']:.3f}",
            str(row["errors"]),
        )
        for name, row in result.items()
        if isinstance(row, dict) and "req_per_s" in row
    ]


def _machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    cpu = f"{os.cpu_count()} CPUs" + (f" ({model})" if model else "")
    system = f"{platform.system()} {platform.machine()}"
    return f"{system}, {cpu}{memory}, Python {platform.python_version()}"


def _database() -> str:
    """The engine and version the jobs run on, asked of the database itself."""
    probe = (
        "import django; django.setup();"
        "from django.db import connection as c;"
        "print(c.vendor, '.'.join(map(str, c.Database.sqlite_version_info))"
        " if c.vendor == 'sqlite' else c.cursor().connection.info.server_version)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    try:
        out = subprocess.run(  # noqa: S603
            [PYTHON, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
        ).stdout.split()
    except subprocess.TimeoutExpired:
        return "unknown (the database did not answer)"
    if not out:
        return "unknown"
    if out[0] == "postgresql" and len(out) > 1 and out[1].isdigit():
        number = int(out[1])
        return f"PostgreSQL {number // 10000}.{number % 10000} (DATABASE_URL)"
    if out[0] == "sqlite":
        return f"SQLite {out[1] if len(out) > 1 else ''} (throw-away files)"
    return " ".join(out)


def write_table(path: Path, outcomes: list[Outcome], started: datetime, header: dict) -> None:
    lines = [
        "# Keel benchmarks",
        "",
        f"- date: {started:%Y-%m-%d %H:%M} UTC",
        f"- database: {header['database']}",
        f"- machine: {header['machine']}",
        "",
        "| job | status | seconds | figures |",
        "|---|---|---:|---|",
    ]
    for outcome in outcomes:
        status = outcome.status
        if status == "timed out":
            status = f"timed out after {outcome.seconds:.0f} s"
        lines.append(
            f"| {outcome.job.name} | {status} | {outcome.seconds:.1f} | {_figures(outcome)} |"
        )
    rows = scaling_rows(outcomes)
    if rows:
        lines += [
            "",
            f"Cost per unit at {LARGE} teams over the cost at {SMALL} teams "
            "(1.00 is linear, lower is better):",
            "",
            f"| job | at {SMALL} | at {LARGE} | ratio |",
            "|---|---:|---:|---:|",
            *(f"| {what} | {a} | {b} | {ratio} |" for what, a, b, ratio in rows),
        ]
    pages = _result(outcomes, "pages") or {}
    if page_rows := pages_rows(outcomes):
        lines += [
            "",
            f"Pages at {pages.get('small')} and {pages.get('large')} teams "
            "(ms per request; ratios are large over small, the goal is 1.5 at most):",
            "",
            "| page | p50 small | p50 large | p50 ratio | p95 small | p95 large | p95 ratio "
            "| queries small / large |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
            *("| " + " | ".join(row) + " |" for row in page_rows),
        ]
    if scenario_rows := load_rows(outcomes):
        lines += [
            "",
            "Under closed-loop load, against the trivial view (ratio: throughput over the "
            "trivial view's; CPU ratio: the trivial view's server CPU per request over the "
            "scenario's):",
            "",
            "| scenario | req/s | ratio | server CPU ms | CPU ratio | errors |",
            "|---|---:|---:|---:|---:|---:|",
            *("| " + " | ".join(row) + " |" for row in scenario_rows),
        ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", default="", help="Comma-separated groups (default: all).")
    parser.add_argument("--timeout", type=float, help="Seconds each job may take.")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.md")
    parser.add_argument("--list", action="store_true", help="List the jobs and their commands.")
    args = parser.parse_args(argv)

    groups = {job.group for job in JOBS}
    wanted = {g.strip() for g in args.jobs.split(",") if g.strip()} or groups
    unknown = wanted - groups
    if unknown:
        parser.error(
            f"unknown job {', '.join(sorted(unknown))}; known: {', '.join(sorted(groups))}"
        )
    jobs = [job for job in JOBS if job.group in wanted]
    if args.list:
        for job in jobs:
            print(f"{job.group:<11} {job.name:<50} {' '.join(job.command[1:])}")
        return 0

    started = datetime.now(UTC)
    header = {"database": _database(), "machine": _machine()}
    print(f"Database: {header['database']}; machine: {header['machine']}", flush=True)
    outcomes: list[Outcome] = []
    for index, job in enumerate(jobs, 1):
        timeout = args.timeout or job.timeout
        _say(f"[{index}/{len(jobs)}] {job.name} (at most {timeout:.0f} s)…")
        outcome = run_job(job, timeout)
        outcomes.append(outcome)
        status = outcome.status if outcome.status != "ok" else "ok"
        print(
            f"{job.name:<50} {status:<11} {outcome.seconds:7.1f} s  {_figures(outcome)}",
            flush=True,
        )
        write_table(args.out, outcomes, started, header)
    rows = scaling_rows(outcomes)
    if rows:
        print(f"\nCost per unit, {LARGE} teams over {SMALL} (1.00 is linear, lower is better):")
        for what, small, large, ratio in rows:
            print(f"  {what:<50} {small:>9} {large:>9} {ratio:>6}")
    shown = args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out
    print(f"\nTable written to {shown}")
    return 0 if all(o.status in ("ok", "not present") for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
