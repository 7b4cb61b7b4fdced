"""What people do with an alert (acknowledge, snooze), resolving it, and the action-plan alert."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User

from .. import periods
from ..models import Alert, AlertSubject, Team
from .notify import notify_alert


@transaction.atomic
def raise_action_plan_overdue(*, team: Team, round_label: str, closed_on: date) -> None:
    """Raise (or keep) the team's "survey action plan overdue" alert.

    Called by the surveys app when a round closed on ``closed_on`` still has no
    published action plan 7 days later. Idempotent: calling it again for the
    same round changes nothing, and never re-opens an alert that was resolved.
    """
    key = f"round:{round_label}"
    alert = (
        Alert.objects.select_for_update()
        .filter(team=team, subject=AlertSubject.ACTION_PLAN)
        .exclude(status=Alert.Status.RESOLVED)
        .first()
    )
    if alert is not None and alert.key == key:
        return
    if Alert.objects.filter(team=team, subject=AlertSubject.ACTION_PLAN, key=key).exists():
        return  # this round's alert was raised and resolved already
    # The surveys app's round labels already name the team: say it once.
    shown_label = round_label.removeprefix(f"{team.name} · ")
    message = (
        f"[{team.name}] Survey action plan overdue: round {shown_label} closed {closed_on:%Y-%m-%d}"
    )
    reason = (
        f"The survey round {round_label} closed on {closed_on:%d %b %Y} and no action plan "
        "was published within 7 days."
    )
    if alert is None:
        alert = Alert(team=team, subject=AlertSubject.ACTION_PLAN)
        event = "fired"
    else:
        # A later round is overdue too: the one open alert now speaks of it.
        alert.version += 1
        event = "escalated"
    alert.kind = Alert.Kind.ACTION_PLAN_OVERDUE
    alert.key = key
    alert.message = message[:300]
    alert.reason = reason
    alert.period_start = periods.period_start(closed_on)
    alert.full_clean()
    alert.save()
    notify_alert(alert=alert, event=event)


@transaction.atomic
def resolve_action_plan_overdue(*, team: Team, round_label: str | None = None) -> None:
    """Resolve the team's open "action plan overdue" alert: that round's plan is published.

    With ``round_label``, only when the open alert is about that round: the plan
    of another round leaves a later overdue round's alert open.
    """
    alert = (
        Alert.objects.select_for_update()
        .filter(team=team, subject=AlertSubject.ACTION_PLAN)
        .exclude(status=Alert.Status.RESOLVED)
        .first()
    )
    if alert is None or (round_label is not None and alert.key != f"round:{round_label}"):
        return
    resolve_alert(alert=alert, reason="The action plan was published.")


def resolve_alert(*, alert: Alert, reason: str = "") -> Alert:
    """Close an open alert and send the resolve notice."""
    alert.status = Alert.Status.RESOLVED
    alert.resolved_at = timezone.now()
    alert.version += 1
    if reason:
        alert.reason = f"{alert.reason}\nResolved: {reason}".strip()
    alert.save()
    notify_alert(alert=alert, event="resolved")
    return alert


@transaction.atomic
def acknowledge_alert(*, alert: Alert, user: User, note: str = "") -> Alert:
    """Someone has seen the alert and is on it: no more reminders until it gets worse."""
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.status != Alert.Status.FIRING:
        raise ValidationError("Only a firing alert can be acknowledged.")
    alert.status = Alert.Status.ACKNOWLEDGED
    alert.acknowledged_by = user
    alert.acknowledged_at = timezone.now()
    alert.acknowledge_note = note.strip()
    alert.full_clean()
    alert.save()
    return alert


@transaction.atomic
def snooze_alert(*, alert: Alert, user: User, until: date, today: date) -> Alert:
    """Mute the alert's reminders until ``until`` (inclusive); escalation still notifies."""
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.status != Alert.Status.FIRING:
        # Only a firing alert sends reminders; an acknowledged one has none to mute.
        raise ValidationError(
            f"Only a firing alert can be snoozed; this one is {alert.get_status_display().lower()}."
        )
    if until <= today:
        raise ValidationError({"until": "Snooze until a date after today."})
    if until > today + timedelta(days=90):
        raise ValidationError({"until": "Snooze for at most 90 days."})
    alert.snoozed_until = until
    alert.full_clean()
    alert.save()
    return alert
