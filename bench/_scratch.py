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
