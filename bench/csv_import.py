"""Benchmark: import a CSV of metric values, then evaluate the teams it touched.

    .venv/bin/python bench/csv_import.py [--rows 10000] [--teams 25]

What the import page does with a file of ``--rows`` rows (teams x 4 metrics x
periods): parse and check every row, write them all in one transaction, ask
for one evaluation per team; then the evaluation the worker runs for those
requests. Run twice: into an empty store, then over the same values (every
row replaces one). Reports seconds and queries. Runs on a throw-away test
database (SQLite, or PostgreSQL with DATABASE_URL).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--teams", type=int, default=25)
    parser.add_argument("--json", action="store_true", help="End with one JSON line of figures.")
    args = parser.parse_args()

    from bench._scratch import scratch_database

    with scratch_database(logging.WARNING) as connection:
        from django.test.utils import CaptureQueriesContext
        from django.utils import timezone

        from teamhealth import periods
        from teamhealth.models import MetricValue, Team
        from teamhealth.services import metrics
        from teamhealth.tasks import run_evaluation_requests

        figures: dict[str, float] = {}
        teams = Team.objects.bulk_create(
            Team(name=f"Import {i:03d}", slug=f"import-{i:03d}") for i in range(args.teams)
        )
        names = ("oncall_hours", "delivery_rate", "turnover", "feedback_score")
        per_team = -(-args.rows // args.teams)
        span = -(-per_team // len(names))
        starts = periods.previous_periods(timezone.localdate(), span)
        lines = [
            f"{team.name},{metric},{start},{(i * 7 + j) % 50}"
            for team in teams
            for j, metric in enumerate(names)
            for i, start in enumerate(starts)
        ][: args.rows]
        content = ("team,metric,period_start,value\n" + "\n".join(lines) + "\n").encode()

        for key in ("new", "replace"):
            with CaptureQueriesContext(connection) as queries, mock.patch("outbox.wake.now"):
                began = time.perf_counter()
                imported, errors = metrics.import_metrics_csv(
                    content=content, user=None, teams=teams
                )
                seconds = time.perf_counter() - began
            if errors:
                raise SystemExit(f"the import refused the file: {errors[:3]}")
            figures[f"{key}_rows"] = imported
            figures[f"{key}_seconds"] = seconds
            figures[f"{key}_queries"] = len(queries)
            with CaptureQueriesContext(connection) as queries, mock.patch("outbox.wake.now"):
                began = time.perf_counter()
                run_evaluation_requests()
                evaluated = time.perf_counter() - began
            figures[f"{key}_evaluate_seconds"] = evaluated
            print(
                f"import ({key:<7}) {imported:6d} rows in {seconds:6.2f} s, "
                f"{figures[f'{key}_queries']:.0f} queries; evaluating the {len(teams)} teams "
                f"{evaluated:5.2f} s, {len(queries)} queries ({connection.vendor})",
                flush=True,
            )
        if MetricValue.objects.count() != len(lines):
            raise SystemExit("the store does not hold every imported row")
        if args.json:
            print("RESULT " + json.dumps(figures))


if __name__ == "__main__":
    main()
