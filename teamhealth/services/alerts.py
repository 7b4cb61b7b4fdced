"""Alerts: storing what the lifecycle decides, acknowledging, snoozing, the action-plan alert.

The rules are ``teamhealth.lifecycle``; these services load an alert, ask it,
save the answer and send what it says.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User

from .. import lifecycle
from ..models import Alert, AlertEvent, AlertSubject, Team
from .notify import notify_alert

_STATE_FIELDS = tuple(field.name for field in fields(lifecycle.AlertState))


def state_of(alert: Alert) -> lifecycle.AlertState:
    """The lifecycle's view of a stored alert."""
    return lifecycle.AlertState(**{name: getattr(alert, name) for name in _STATE_FIELDS})


def _store(alert: Alert, state: lifecycle.AlertState) -> None:
    if state.status == Alert.Status.RESOLVED and alert.status != Alert.Status.RESOLVED:
        alert.resolved_at = timezone.now()
    for name in _STATE_FIELDS:
        setattr(alert, name, getattr(state, name))


def save_decision(alert: Alert, decision: lifecycle.Decision, *, clean: bool = False) -> Alert:
    """Save what the lifecycle decided for ``alert`` and queue what people are told."""
    if decision.alert is None:
        raise ValueError("Only a decision that keeps an alert can be saved.")
    _store(alert, decision.alert)
    if clean:
        alert.full_clean()
    alert.save()
    kind = lifecycle.timeline_event(decision)
    if kind:
        # Written before the messages it caused, so the timeline lists them after it.
        _record_event(
            alert,
            kind,
            at=_event_at(alert, kind),
            value=alert.value if decision.event_value is None else decision.event_value,
            limit=alert.limit if decision.event_limit is None else decision.event_limit,
        )
    if decision.event:
        notify_alert(alert=alert, event=decision.event)
    return alert


def _event_at(alert: Alert, kind: str) -> datetime | None:
    """The time the alert itself keeps for this line (opened, resolved); None: now."""
    if kind == AlertEvent.Kind.OPENED:
        return alert.opened_at
    if kind == AlertEvent.Kind.RESOLVED:
        return alert.resolved_at
    return None


def _record_event(alert: Alert, kind: str, *, at: datetime | None = None, **details) -> AlertEvent:
    """One line of the alert's timeline, in the transaction of the change it records."""
    event = AlertEvent(alert=alert, kind=kind, at=at or timezone.now(), **details)
    event.full_clean()
    event.save()
    return event


def _refused(error: lifecycle.LifecycleError) -> ValidationError:
    return ValidationError({error.field: error.message} if error.field else error.message)


def _open_action_plan_alert(team: Team) -> Alert | None:
    return (
        Alert.objects.select_for_update()
        .filter(team=team, subject=AlertSubject.ACTION_PLAN)
        .exclude(status=Alert.Status.RESOLVED)
        .first()
    )


@transaction.atomic
def raise_action_plan_overdue(*, team: Team, round_label: str, closed_on: date) -> None:
    """Raise (or keep) the team's "survey action plan overdue" alert.

    Called by the surveys app when a round closed on ``closed_on`` still has no
    published action plan past its deadline. Idempotent: calling it again for
    the same round changes nothing, and never re-opens an alert that was resolved.
    """
    alert = _open_action_plan_alert(team)
    already_alerted = Alert.objects.filter(
        team=team, subject=AlertSubject.ACTION_PLAN, key=lifecycle.action_plan_key(round_label)
    ).exists()
    decision = lifecycle.on_action_plan_overdue(
        alert=state_of(alert) if alert else None,
        round_already_alerted=already_alerted,
        team_name=team.name,
        round_label=round_label,
        closed_on=closed_on,
    )
    if decision.changed:
        save_decision(
            alert or Alert(team=team, subject=AlertSubject.ACTION_PLAN), decision, clean=True
        )


@transaction.atomic
def resolve_action_plan_overdue(*, team: Team, round_label: str | None = None) -> None:
    """Resolve the team's open "action plan overdue" alert: that round's plan is published.

    With ``round_label``, only when the open alert is about that round: the plan
    of another round leaves a later overdue round's alert open.
    """
    alert = _open_action_plan_alert(team)
    decision = lifecycle.on_action_plan_published(
        alert=state_of(alert) if alert else None, round_label=round_label
    )
    if alert is not None and decision.changed:
        save_decision(alert, decision)


@transaction.atomic
def acknowledge_alert(*, alert: Alert, user: User, note: str = "") -> Alert:
    """Someone has seen the alert and is on it: no more reminders until it gets worse."""
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    try:
        state = lifecycle.acknowledge(state_of(alert))
    except lifecycle.LifecycleError as error:
        raise _refused(error) from error
    _store(alert, state)
    alert.acknowledged_by = user
    alert.acknowledged_at = timezone.now()
    alert.acknowledge_note = note.strip()
    alert.full_clean()
    alert.save()
    _record_event(
        alert,
        lifecycle.ACKNOWLEDGED_EVENT,
        at=alert.acknowledged_at,
        by=user,
        note=alert.acknowledge_note,
    )
    return alert


@transaction.atomic
def snooze_alert(*, alert: Alert, user: User, until: date, today: date) -> Alert:
    """Mute the alert's reminders until ``until`` (inclusive); escalation still notifies."""
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    try:
        state = lifecycle.snooze(state_of(alert), until=until, today=today)
    except lifecycle.LifecycleError as error:
        raise _refused(error) from error
    _store(alert, state)
    alert.full_clean()
    alert.save()
    _record_event(alert, lifecycle.SNOOZED_EVENT, by=user, snoozed_until=until)
    return alert
