"""Celery messages are wake-ups, never the record of work to do.

What a request asks of the workers is a database row written in the request's
transaction (an outbox message, an evaluation request); a periodic sweep finds
every row whatever happens to the broker. So sending the wake-up may fail: the
request still succeeds, and the sweep does the work a little later.
"""

from __future__ import annotations

import logging
from functools import partial
from importlib import import_module

from celery import current_app
from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def now(task_name: str) -> bool:
    """Ask a worker to run ``task_name``; False (and a log line) if the broker is away."""
    # By name: the task's module imports its services, which call this.
    import_module(task_name.rsplit(".", 1)[0])
    try:
        current_app.tasks[task_name].apply_async(retry=False)
    except (OperationalError, OSError) as error:
        logger.warning("Broker unreachable; %s waits for its sweep: %s", task_name, error)
        return False
    return True


def after_commit(task_name: str, *, using: str | None = None) -> None:
    """Wake ``task_name`` once the current transaction commits.

    Once per transaction and savepoint: a loop that queues a message per team
    sends one wake-up, not one per team.
    """
    connection = transaction.get_connection(using)
    here = set(connection.savepoint_ids)
    for savepoints, callback, _ in connection.run_on_commit:
        if (
            savepoints == here
            and getattr(callback, "func", None) is now
            and callback.args == (task_name,)
        ):
            return
    transaction.on_commit(partial(now, task_name), using=using)
