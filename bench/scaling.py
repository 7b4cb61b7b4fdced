"""How Keel's heavy jobs scale: each benchmark at two sizes, reported as ratios.

    .venv/bin/python bench/scaling.py [--small 100] [--large 1000]

For each job it prints seconds and queries at both sizes and two ratios of the
cost *per team* (large / small): 1.00 means the job grows linearly with the
number of teams, below 1 means it gets cheaper per team (batching), above 1
means something grows faster than the data. Ratios, not absolute seconds, are
what to compare between machines and commits. Runs against throw-away
databases (SQLite by default, or DATABASE_URL), never against your data.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def _run(command: list[str], env: dict[str, str] | None = None) -> dict[str, float]:
    result = subprocess.run(  # noqa: S603 - fixed commands of this repository
        command, cwd=ROOT, capture_output=True, text=True, check=True, env=env
    )
    for line in reversed(result.stdout.splitlines()):
        if line.startswith("RESULT "):
            return json.loads(line.removeprefix("RESULT "))
    raise RuntimeError(f"no RESULT line from {' '.join(command)}:\n{result.stdout}")


def teamhealth(teams: int) -> dict[str, float]:
    return _run([PYTHON, "bench/teamhealth_eval.py", "--teams", str(teams), "--json"])


def surveys(teams: int) -> dict[str, float]:
    # bench_open_rounds works in a rolled-back transaction of a migrated database:
    # give it a throw-away SQLite file unless DATABASE_URL points elsewhere.
    env = dict(os.environ)
    if "DATABASE_URL" not in env:
        scratch = ROOT / "var" / "bench"
        scratch.mkdir(parents=True, exist_ok=True)
        env["KEEL_VAR_DIR"] = str(scratch)
        subprocess.run(  # noqa: S603
            [PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
        )
    return _run(
        [
            PYTHON,
            "manage.py",
            "bench_open_rounds",
            "--teams",
            str(teams),
            "--members",
            "10",
            "--json",
        ],
        env=env,
    )


JOBS = {
    "team-health evaluation, first run (opens alerts)": (teamhealth, "first"),
    "team-health evaluation, steady state": (teamhealth, "steady"),
    "team-health evaluation, next period": (teamhealth, "next"),
    "survey rounds: open (10 members each)": (surveys, "open"),
    "survey rounds: send links in batches": (surveys, "send"),
    "survey overview heatmap (every team published)": (surveys, "heatmap"),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--large", type=int, default=1000)
    args = parser.parse_args()

    cache: dict[tuple[str, int], dict[str, float]] = {}
    sizes = (args.small, args.large)
    total = len({fn for fn, _ in JOBS.values()}) * 2
    done = 0
    for fn, _ in JOBS.values():
        for size in sizes:
            if (fn.__name__, size) not in cache:
                done += 1
                print(f"[{done}/{total}] {fn.__name__} with {size} teams…", flush=True)
                cache[(fn.__name__, size)] = fn(size)

    header = (
        f"{'job':<50} {'s@' + str(args.small):>8} {'s@' + str(args.large):>8} "
        f"{'q@' + str(args.small):>7} {'q@' + str(args.large):>7} "
        f"{'time/team':>10} {'queries/team':>13}"
    )
    print()
    print(header)
    print("-" * len(header))
    scale = args.large / args.small
    for label, (fn, key) in JOBS.items():
        small, large = cache[(fn.__name__, args.small)], cache[(fn.__name__, args.large)]
        s_small, s_large = small[f"{key}_seconds"], large[f"{key}_seconds"]
        q_small, q_large = small[f"{key}_queries"], large[f"{key}_queries"]
        time_ratio = (s_large / scale) / s_small if s_small else float("nan")
        query_ratio = (q_large / scale) / q_small if q_small else float("nan")
        print(
            f"{label:<50} {s_small:8.2f} {s_large:8.2f} {q_small:7.0f} {q_large:7.0f} "
            f"{time_ratio:10.2f} {query_ratio:13.2f}"
        )
    print(
        f"\nRatios are the cost per team at {args.large} teams over the cost per team at "
        f"{args.small}: 1.00 is linear, lower is better."
    )


if __name__ == "__main__":
    main()
