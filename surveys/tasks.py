"""Scheduled survey work. Each task is idempotent: state and unique constraints
make a second delivery a no-op. Beat schedules are rows of django-celery-beat
(seeded by migrations, editable in admin). Emails, links included, go
through the outbox.

The worker logs every task's return value. Reminders go out while a round is
open, and how many people were reminded is how many have not answered yet:
that task returns nothing, so no log line counts an open round's
participation."""

from celery import shared_task

from . import services


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
