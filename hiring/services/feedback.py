"""Writes of the feedback sent to a candidate."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User

from .. import emails
from ..models import CandidateFeedback, InterviewLoop

# The same feedback sent again within this window is taken as a double submit.
RESEND_GUARD = timedelta(minutes=10)


@transaction.atomic
def send_candidate_feedback(
    *, loop: InterviewLoop, sent_by: User, subject: str, body: str, now: datetime | None = None
) -> CandidateFeedback:
    """Record the feedback exactly as sent, and queue its email in the same transaction.

    The same text sent again within a few minutes is a double click, not a second
    message: the candidate gets one email and the first record is returned.
    """
    now = now or timezone.now()
    subject, body = subject.strip(), body.strip()
    if "\n" in subject or "\r" in subject:
        raise ValidationError({"subject": "Keep the subject on one line."})
    # One send at a time per loop, so two racing clicks see each other.
    InterviewLoop.objects.select_for_update().filter(pk=loop.pk).first()
    repeated = CandidateFeedback.objects.filter(
        loop=loop, subject=subject, body=body, created_at__gte=now - RESEND_GUARD
    ).first()
    if repeated is not None:
        return repeated
    feedback = CandidateFeedback(
        loop=loop,
        subject=subject,
        body=body,
        sent_to=loop.candidate.email,
        sent_by=sent_by,
        created_at=now,
    )
    feedback.full_clean()
    feedback.save()
    emails.queue_candidate_feedback(feedback)
    return feedback
