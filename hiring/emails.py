"""Every email the hiring app sends, each exactly once: scorecard reminders,
exercises, 6-month outcome reminders and the candidate's feedback.

When they are due is ``hiring.schedule`` (pure); the ``send_*`` services claim
each send with a unique row or a conditional UPDATE and queue the email in the
outbox in the same transaction, so a periodic task that runs twice, or two
that overlap, queue each email once, and a queued email is delivered (with
retries) even if the mail server is down when it falls due.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from outbox import services as outbox

from .models import (
    CandidateFeedback,
    ExerciseAssignment,
    HiringSettings,
    LoopOutcome,
    Scorecard,
    ScorecardReminder,
)
from .schedule import due_reminder_number
from .selectors.outcomes import outcome_due_q


def send_scorecard_reminders(*, now: datetime | None = None) -> int:
    """Remind interviewers of scorecards still in draft; returns how many were sent."""
    now = now or timezone.now()
    config = HiringSettings.load()
    after = timedelta(hours=config.scorecard_reminder_after_hours)
    every = timedelta(hours=config.scorecard_reminder_every_hours)
    candidates = (
        Scorecard.objects.filter(
            status=Scorecard.Status.DRAFT, interview__scheduled_at__lte=now - after
        )
        # Nobody to write to: no reminder is recorded as sent.
        .exclude(interview__interviewer__email="")
        .select_related("interview__interviewer", "interview__loop__candidate")
        .annotate(last=Max("reminders__number"))
    )
    sent = 0
    for card in candidates:
        number = due_reminder_number(
            interview_at=card.interview.scheduled_at,
            sent=card.last or 0,
            now=now,
            after=after,
            every=every,
            maximum=config.scorecard_reminder_max,
        )
        if number is not None and _send_scorecard_reminder(
            card, number, now, maximum=config.scorecard_reminder_max
        ):
            sent += 1
    return sent


def _send_scorecard_reminder(card: Scorecard, number: int, now: datetime, *, maximum: int) -> bool:
    try:
        with transaction.atomic():
            # Re-check under the row lock: submitted in the meantime means no reminder.
            locked = Scorecard.objects.select_for_update().get(pk=card.pk)
            if locked.is_submitted:
                return False
            ScorecardReminder.objects.create(scorecard=card, number=number, sent_at=now)
            interview = card.interview
            url = settings.SITE_URL + reverse("hiring:scorecard", args=[interview.pk])
            message = (
                f"Hello {interview.interviewer},\n\n"
                f"Your scorecard for {interview.loop.candidate} ({interview.title}, "
                f"{timezone.localtime(interview.scheduled_at):%a %d %b %H:%M}) "
                "is not submitted yet.\n"
                f"Fill it while you remember the interview: {url}\n\n"
                f"Reminder {number} of at most {maximum}."
            )
            outbox.enqueue(
                [
                    outbox.Draft(
                        kind="hiring.scorecard_reminder",
                        about=f"scorecard:{card.pk}",
                        recipient=interview.interviewer.email,
                        dedupe_key=f"hiring.scorecard_reminder-{card.pk}-{number}",
                        subject=f"Reminder: scorecard for {interview.loop.candidate}",
                        body=message,
                    )
                ]
            )
    except IntegrityError:
        return False  # another run sent this reminder already
    return True


def send_due_exercises(*, now: datetime | None = None) -> int:
    """Email each attached exercise to its candidate once, ``lead`` hours before."""
    now = now or timezone.now()
    lead = timedelta(hours=HiringSettings.load().exercise_lead_hours)
    due = ExerciseAssignment.objects.filter(
        sent_at__isnull=True,
        interview__scheduled_at__lte=now + lead,
        interview__scheduled_at__gt=now,
    ).select_related("exercise", "interview__loop__candidate", "interview__loop__role_profile")
    sent = 0
    for assignment in due:
        with transaction.atomic():
            # The conditional UPDATE is the claim: only one run gets 1 row back.
            claimed = ExerciseAssignment.objects.filter(
                pk=assignment.pk, sent_at__isnull=True
            ).update(sent_at=now)
            if not claimed:
                continue
            exercise, interview = assignment.exercise, assignment.interview
            candidate = interview.loop.candidate
            message = (
                f"Dear {candidate.name},\n\n"
                "Before your interview for the "
                f"{interview.loop.role_profile.display_name} role on "
                f"{timezone.localtime(interview.scheduled_at):%A %d %B at %H:%M}, "
                f"here is the exercise we will discuss.\n\n{exercise.title}\n"
                f"Stack: {exercise.stack}\nTarget: {exercise.target}\n\n{exercise.prompt}\n\n"
                "Bring your measurements; we will look at them together.\n\nThe hiring team"
            )
            outbox.enqueue(
                [
                    outbox.Draft(
                        kind="hiring.exercise",
                        about=f"exercise:{assignment.pk}",
                        recipient=candidate.email,
                        dedupe_key=f"hiring.exercise-{assignment.pk}",
                        subject=f"Your interview exercise: {exercise.title}",
                        body=message,
                    )
                ]
            )
            sent += 1
    return sent


def send_outcome_reminders(*, now: datetime | None = None) -> int:
    """Ask the loop's recruiters for the 6-month outcome once it is due (once per loop)."""
    now = now or timezone.now()
    due = outcome_due_q(
        today=timezone.localdate(now), due_days=HiringSettings.load().outcome_due_days
    )
    pending = (
        LoopOutcome.objects.filter(due, outcome_reminder_sent_at__isnull=True)
        .select_related("loop__candidate")
        .prefetch_related("loop__recruiters")
    )
    sent = 0
    for outcome in pending:
        with transaction.atomic():
            claimed = LoopOutcome.objects.filter(
                pk=outcome.pk, outcome_reminder_sent_at__isnull=True
            ).update(outcome_reminder_sent_at=now)
            if not claimed:
                continue
            loop = outcome.loop
            recipients = [u.email for u in loop.recruiters.all() if u.email]
            url = settings.SITE_URL + reverse("hiring:loop_decision", args=[loop.pk])
            message = (
                f"{loop.candidate} started about six months ago. How is it going?\n"
                f"Record the 6-month outcome (performing, bad hire, left): {url}\n\n"
                "It is what tells us whether our interviews predict anything."
            )
            outbox.enqueue(
                [
                    outbox.Draft(
                        kind="hiring.outcome_reminder",
                        about=f"outcome:{outcome.pk}",
                        recipient=address,
                        dedupe_key=f"hiring.outcome_reminder-{outcome.pk}-{address}",
                        subject=f"6-month outcome due: {loop.candidate}",
                        body=message,
                    )
                    for address in recipients
                ]
            )
            sent += 1
    return sent


FEEDBACK = "hiring.feedback"


def queue_candidate_feedback(feedback: CandidateFeedback) -> None:
    """Queue the recorded feedback for the candidate, in the transaction that records it."""
    outbox.enqueue(
        [
            outbox.Draft(
                kind=FEEDBACK,
                about=f"feedback:{feedback.pk}",
                recipient=feedback.sent_to,
                dedupe_key=f"{FEEDBACK}-{feedback.pk}",
                subject=feedback.subject,
                body=feedback.body,
            )
        ]
    )
