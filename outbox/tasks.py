"""Delivery work. Runs on the ``delivery`` queue, so a slow mail server never delays computation."""

from __future__ import annotations

from celery import shared_task

from . import services, wake

# Longer than one run's budget; the broker's visibility timeout is longer still.
BUDGET_SECONDS = 240


@shared_task(
    ignore_result=True, soft_time_limit=BUDGET_SECONDS + 30, time_limit=BUDGET_SECONDS + 60
)
def deliver_due() -> None:
    """Woken after each commit that queues messages, and every 15 s by the sweep.

    Returns nothing: the worker logs return values, and how many survey
    reminders went out would count an open round's non-respondents.
    """
    run = services.deliver_due(budget_seconds=BUDGET_SECONDS)
    if run.out_of_time:
        wake.now(services.DELIVER_TASK)  # the rest, without waiting for the sweep
