"""Evaluation requests: what a change asks of the compute workers, kept in the database.

A request is a row per team written in the change's own transaction; the
wake-up sent after commit may be lost (a broker outage) without losing the
evaluation, because the sweep runs every request it finds.
"""

from __future__ import annotations

from datetime import datetime
from functools import reduce
from operator import or_

from django.db.models import Q
from django.utils import timezone

from outbox import wake

from ..models import EvaluationRequest, Team

RUN_TASK = "teamhealth.tasks.run_evaluation_requests"


def request_evaluation(team_ids: list[int]) -> None:
    """Evaluate these teams soon; one row per team however often it is asked."""
    if not team_ids:
        return
    now = timezone.now()
    EvaluationRequest.objects.bulk_create(
        [EvaluationRequest(team_id=pk, requested_at=now) for pk in sorted(set(team_ids))],
        update_conflicts=True,
        unique_fields=["team"],
        update_fields=["requested_at"],
        batch_size=1000,
    )
    wake.after_commit(RUN_TASK)


def request_evaluation_of_every_team() -> None:
    request_evaluation(list(Team.objects.values_list("pk", flat=True)))


def pending(limit: int) -> list[tuple[int, datetime]]:
    """The oldest requests: (team id, requested at)."""
    return list(
        EvaluationRequest.objects.order_by("requested_at", "team_id").values_list(
            "team_id", "requested_at"
        )[:limit]
    )


def done(requests: list[tuple[int, datetime]]) -> None:
    """Drop the requests an evaluation answered; one asked again since then stays."""
    if requests:
        answered = (Q(team_id=pk, requested_at__lte=at) for pk, at in requests)
        EvaluationRequest.objects.filter(reduce(or_, answered)).delete()
