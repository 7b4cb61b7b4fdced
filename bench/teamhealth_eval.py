"""Benchmark: evaluate 1,000 teams x 26 periods of metrics; report seconds and queries.

    .venv/bin/python bench/teamhealth_eval.py [--teams 1000] [--periods 26]

Runs against a throw-away test database (SQLite by default, or DATABASE_URL),
never against your data. It measures the nightly evaluation (``evaluate_teams``
in chunks of 200, as the beat task runs it) three times: the first run opens
alerts and writes their outbox rows, the second finds nothing new (steady
state), the third follows a new period of data.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=1000)
    parser.add_argument("--periods", type=int, default=26)
    parser.add_argument("--json", action="store_true", help="End with one JSON line of figures.")
    args = parser.parse_args()

    from bench._scratch import METRIC_CENTRES, metric_values, scratch_database

    with scratch_database(logging.INFO) as connection:
        from django.utils import timezone

        from accounts.models import User
        from outbox.models import Message
        from teamhealth import periods
        from teamhealth.models import Alert, MetricValue, Team
        from teamhealth.services import evaluation

        rng = random.Random(5)  # noqa: S311 - synthetic data, not security
        today = timezone.localdate()
        starts = periods.previous_periods(today, args.periods)
        started = time.perf_counter()
        manager = User.objects.create(username="bench-manager", email="bench@example.com")
        Team.objects.bulk_create(
            Team(name=f"Team {i:04d}", slug=f"team-{i:04d}") for i in range(args.teams)
        )
        teams = list(Team.objects.all())
        Team.managers.through.objects.bulk_create(
            Team.managers.through(team_id=t.pk, user_id=manager.pk) for t in teams
        )
        rows = metric_values(teams, starts, rng, {**METRIC_CENTRES, "oncall_hours": 7})
        MetricValue.objects.bulk_create(rows, batch_size=5000)
        print(
            f"Loaded {len(teams)} teams x {len(starts)} periods x 4 metrics "
            f"= {len(rows):,} values in {time.perf_counter() - started:.1f} s"
        )
        team_ids = [t.pk for t in teams]
        figures: dict[str, float] = {"teams": len(team_ids)}

        def run(label: str, day, key: str) -> None:
            queries = 0

            def count(execute, sql, params, many, context):
                nonlocal queries
                queries += 1
                return execute(sql, params, many, context)

            # Measure the evaluation, not the sending: in production on_commit
            # only wakes a delivery worker.
            queued_before = Message.objects.count()
            with connection.execute_wrapper(count), mock.patch("outbox.wake.now"):
                began = time.perf_counter()
                changed = 0
                for offset in range(0, len(team_ids), 200):
                    chunk = team_ids[offset : offset + 200]
                    changed += len(evaluation.evaluate_teams(team_ids=chunk, today=day))
                seconds = time.perf_counter() - began
            figures[f"{key}_seconds"] = seconds
            figures[f"{key}_queries"] = queries
            print(
                f"{label:<34} {seconds:6.2f} s {queries:6d} queries "
                f"{changed:5d} alerts changed "
                f"{Message.objects.count() - queued_before:5d} messages queued "
                f"({seconds / len(team_ids) * 1000:.2f} ms/team)"
            )

        run("first evaluation (opens alerts)", today, "first")
        run("second evaluation (steady state)", today, "steady")
        next_day = today + timedelta(days=14)
        next_start = periods.period_start(next_day)
        MetricValue.objects.bulk_create(
            [
                MetricValue(
                    team_id=mv.team_id,
                    metric=mv.metric,
                    period_start=next_start,
                    value=mv.value,
                    source="api",
                )
                for mv in MetricValue.objects.filter(period_start=starts[-1])
            ],
            batch_size=5000,
        )
        run("next period (reminders)", next_day, "next")
        print(
            f"Open alerts: {Alert.objects.exclude(status='resolved').count()}, "
            f"outbox rows: {Message.objects.count()}  "
            f"(database: {connection.vendor})"
        )
        if args.json:
            print("RESULT " + json.dumps(figures))


if __name__ == "__main__":
    main()
