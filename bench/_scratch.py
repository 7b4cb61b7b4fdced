"""The throw-away database every benchmark script runs in."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def scratch_database(quiet_below: int = logging.WARNING) -> Iterator[Any]:
    """Set Django up and yield its connection to a migrated, empty database, dropped after.

    On PostgreSQL the database has its own name (``bench_<name>``), never the
    one a test run may be using at the same time; on SQLite it is in memory.
    """
    import django

    django.setup()
    logging.disable(quiet_below)
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    if connection.vendor != "sqlite":
        connection.settings_dict["TEST"]["NAME"] = f"bench_{connection.settings_dict['NAME']}"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        yield connection
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


# Where each metric's demo-like values sit and how far they wander, per period.
METRIC_CENTRES = {"turnover": 12, "feedback_score": 72, "oncall_hours": 8, "delivery_rate": 30}
METRIC_SPREAD = {"turnover": 6, "feedback_score": 8, "oncall_hours": 3, "delivery_rate": 8}


def metric_values(teams: list[Any], starts: list[Any], rng: Any, centres: dict | None = None):
    """Every metric of every team for each period start: a slow drift plus noise,
    percentages kept within 0 to 100 and nothing below 0 (unsaved ``MetricValue`` rows)."""
    from decimal import Decimal

    from teamhealth.models import MetricValue

    rows = []
    for team in teams:
        for metric, centre in (centres or METRIC_CENTRES).items():
            drift = rng.uniform(-0.3, 0.3)
            for i, start in enumerate(starts):
                value = centre + drift * i + rng.uniform(-1, 1) * METRIC_SPREAD[metric]
                ceiling = 100 if metric in ("turnover", "feedback_score") else value
                rows.append(
                    MetricValue(
                        team=team,
                        metric=metric,
                        period_start=start,
                        value=Decimal(f"{max(0, min(ceiling, value)):.2f}"),
                        source="api",
                    )
                )
    return rows
