"""Benchmark: open survey rounds for N teams of M members and send every link.

    .venv/bin/python bench/rounds.py [--teams 1000] [--members 10]

Runs ``manage.py bench_open_rounds`` (which works in a rolled-back
transaction) on a throw-away SQLite file under ``var/bench``, or on the
database DATABASE_URL points at. Ends with its ``RESULT {json}`` line.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=1000)
    parser.add_argument("--members", type=int, default=10)
    args = parser.parse_args()
    env = dict(os.environ)
    if "DATABASE_URL" not in env:
        scratch = ROOT / "var" / "bench"
        scratch.mkdir(parents=True, exist_ok=True)
        env["KEEL_VAR_DIR"] = str(scratch)
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)  # noqa: S603
    command = ["bench_open_rounds", "--teams", str(args.teams), "--members", str(args.members)]
    return subprocess.run([*manage, *command, "--json"], cwd=ROOT, env=env).returncode  # noqa: S603


if __name__ == "__main__":
    sys.exit(main())
