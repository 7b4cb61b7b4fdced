"""Team-health tasks queued once the current transaction commits, by their registered names.

By name, so the services that queue them never import ``tasks`` (which imports
the services). ``apps.TeamhealthConfig.ready`` imports ``tasks``, so the names
are registered in every process, web and worker, and tests run them eagerly.
"""

from __future__ import annotations

from functools import partial

from celery import current_app
from django.db import transaction

EVALUATE_TEAM = "teamhealth.tasks.evaluate_team"
EVALUATE_ALL_TEAMS = "teamhealth.tasks.evaluate_all_teams"
SEND_DELIVERY = "teamhealth.tasks.send_delivery"


def queue_after_commit(task_name: str, *args: int) -> None:
    """Queue the task ``task_name`` with ``args`` once the current transaction commits."""
    transaction.on_commit(partial(current_app.tasks[task_name].delay, *args))
