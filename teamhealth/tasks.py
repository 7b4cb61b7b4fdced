"""Team-health background work. Every task takes ids and is safe to run twice."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from . import integrations
from .models import Delivery, Team
from .services import evaluation, metrics, notify


@shared_task
def evaluate_team(team_id: int) -> int:
    """Evaluate one team after new data arrived; returns how many alerts changed."""
    return len(evaluation.evaluate_teams(team_ids=[team_id], today=timezone.localdate()))


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


@shared_task(bind=True, max_retries=notify.MAX_ATTEMPTS)
def send_delivery(self, delivery_id: int) -> str:
    """Send one outbox row; transient failures retry with backoff."""
    status, retry_in = notify.deliver(delivery_id=delivery_id)
    if retry_in is not None and not self.request.is_eager:
        raise self.retry(countdown=retry_in)
    return status


@shared_task
def send_pending_deliveries() -> int:
    """Every few minutes: send pending rows whose retry is due, or whose task was lost."""
    now = timezone.now()
    stale = now - timedelta(minutes=2)
    due = Delivery.objects.filter(status=Delivery.Status.PENDING).filter(
        next_attempt_at__lte=now
    ) | Delivery.objects.filter(
        status=Delivery.Status.PENDING, next_attempt_at__isnull=True, created_at__lte=stale
    )
    sent = 0
    for delivery_id in due.values_list("pk", flat=True)[:500]:
        status, _ = notify.deliver(delivery_id=delivery_id, only_if_due=True)
        sent += status == Delivery.Status.SENT
    return sent


@shared_task
def send_weekly_digests() -> int:
    return notify.queue_weekly_digests(today=timezone.localdate())


@shared_task
def import_jira_boards() -> int:
    return integrations.import_all_jira(today=timezone.localdate())


@shared_task
def import_pagerduty_schedules() -> int:
    return integrations.import_all_pagerduty(today=timezone.localdate())
