"""Scheduled survey work. Each task is idempotent: state and unique constraints
make a second delivery a no-op. Beat schedules are rows of django-celery-beat
(seeded by migration 0003, editable in admin)."""

from celery import shared_task

from . import services


@shared_task
def open_due_rounds() -> int:
    return len(services.open_due_rounds())


@shared_task
def send_due_reminders() -> int:
    return services.send_due_reminders()


@shared_task
def close_due_rounds() -> int:
    return len(services.close_due_rounds())


@shared_task
def publish_due_results() -> int:
    return len(services.publish_due_results())


@shared_task
def check_overdue_action_plans() -> int:
    return len(services.flag_overdue_action_plans())
