"""Team-health background work. Every task takes ids and is safe to run twice."""

from __future__ import annotations

import time

from celery import shared_task
from django.utils import timezone

from . import integrations
from .models import Team
from .services import evaluation, metrics, notify, requests

# An evaluation run stops taking requests after this long; the rest wait for the next one.
REQUEST_BUDGET_SECONDS = 600


@shared_task
def run_evaluation_requests() -> int:
    """Evaluate every team with a request: woken after each change, and by the sweep.

    Returns how many alerts changed.
    """
    today = timezone.localdate()
    deadline = time.monotonic() + REQUEST_BUDGET_SECONDS
    changed = 0
    while time.monotonic() < deadline:
        batch = requests.pending(200)
        if not batch:
            break
        changed += len(evaluation.evaluate_teams(team_ids=[t for t, _ in batch], today=today))
        requests.done(batch)
    return changed


@shared_task
def evaluate_all_teams() -> int:
    """Nightly: compute turnover from memberships, then evaluate every team."""
    today = timezone.localdate()
    team_ids = list(Team.objects.order_by("pk").values_list("pk", flat=True))
    changed = 0
    for offset in range(0, len(team_ids), 200):
        chunk = team_ids[offset : offset + 200]
        metrics.compute_turnovers(team_ids=chunk, today=today)
        changed += len(evaluation.evaluate_teams(team_ids=chunk, today=today))
    return changed


@shared_task
def send_weekly_digests() -> int:
    return notify.queue_weekly_digests(today=timezone.localdate())


@shared_task
def import_jira_boards() -> int:
    return integrations.import_all_jira(today=timezone.localdate())


@shared_task
def import_pagerduty_schedules() -> int:
    return integrations.import_all_pagerduty(today=timezone.localdate())
