"""Celery tasks of the hiring app. Periodic ones are django-celery-beat rows
(data migration 0004), editable in the admin."""

from celery import shared_task

from . import emails


@shared_task
def send_scorecard_reminders() -> int:
    return emails.send_scorecard_reminders()


@shared_task
def send_due_exercises() -> int:
    return emails.send_due_exercises()


@shared_task
def send_outcome_reminders() -> int:
    return emails.send_outcome_reminders()
