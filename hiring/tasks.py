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


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def email_candidate_feedback(feedback_id: int) -> bool:
    """Email recorded feedback to the candidate, once."""
    return emails.email_candidate_feedback(feedback_id)
