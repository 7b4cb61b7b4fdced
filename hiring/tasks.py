"""Celery tasks of the hiring app. Periodic ones are django-celery-beat rows
(data migration 0004), editable in the admin."""

from celery import shared_task
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from . import reminders
from .models import CandidateFeedback


@shared_task
def send_scorecard_reminders() -> int:
    return reminders.send_scorecard_reminders()


@shared_task
def send_due_exercises() -> int:
    return reminders.send_due_exercises()


@shared_task
def send_outcome_reminders() -> int:
    return reminders.send_outcome_reminders()


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def email_candidate_feedback(feedback_id: int) -> bool:
    """Email recorded feedback to the candidate, once."""
    with transaction.atomic():
        claimed = CandidateFeedback.objects.filter(pk=feedback_id, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
        if not claimed:
            return False
        feedback = CandidateFeedback.objects.get(pk=feedback_id)
        # Inside the transaction: if sending fails, the claim is rolled back and retried.
        send_mail(feedback.subject, feedback.body, None, [feedback.sent_to])
    return True
