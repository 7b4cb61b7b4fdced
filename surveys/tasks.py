"""Scheduled survey work. Each task is idempotent: state and unique constraints
make a second delivery a no-op. Beat schedules are rows of django-celery-beat
(seeded by migrations 0003 and 0005, editable in admin).

The worker logs every task's return value. Reminders and links go out while
a round is open, and how many people were reminded is how many have not
answered yet: those tasks return nothing, so no log line counts an open
round's participation."""

import smtplib

from celery import shared_task

from . import services

# One task sends at most this many batches, then hands over to a fresh task.
LINK_BATCHES_PER_TASK = 25


@shared_task
def open_due_rounds() -> int:
    return len(services.open_due_rounds())


@shared_task
def send_due_reminders() -> None:
    services.send_due_reminders()


@shared_task
def close_due_rounds() -> int:
    return len(services.close_due_rounds())


@shared_task
def publish_due_results() -> int:
    return len(services.publish_due_results())


@shared_task
def check_overdue_action_plans() -> int:
    return len(services.flag_overdue_action_plans())


@shared_task(
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=1800,
    max_retries=8,
)
def send_pending_links() -> None:
    """Email pending survey links in bounded batches. No arguments: no token on the broker.

    Queued after rounds open and after reminders are due; beat also runs it
    every 10 minutes to pick up emails that were refused or interrupted. An
    unreachable mail server retries the task with backoff.
    """
    failed: frozenset[int] = frozenset()
    for _ in range(LINK_BATCHES_PER_TASK):
        batch = services.send_pending_links(skip=failed)
        failed |= batch.failed
        if batch.sent == 0 or batch.sent + len(batch.failed) < services.LINK_BATCH:
            return  # done, or nothing gets through: the next beat run tries again
    send_pending_links.delay()  # more may be waiting: a fresh task, bounded again
