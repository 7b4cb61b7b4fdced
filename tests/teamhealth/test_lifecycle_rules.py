"""The alert lifecycle's rules, case by case, without a database (teamhealth/lifecycle.py)."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from teamhealth import lifecycle
from teamhealth.lifecycle import AlertState
from teamhealth.thresholds import BREACH, EARLY_WARNING, Finding

PREVIOUS = date(2026, 11, 2)  # the period before
CURRENT = date(2026, 11, 16)  # the period being evaluated
TODAY = date(2026, 11, 25)


def breach(value: str) -> Finding:
    """On-call burden past its maximum of 10."""
    return Finding(
        kind=BREACH,
        metric="oncall_hours",
        period_start=CURRENT,
        value=D(value),
        limit=D(10),
        message=f"High on-call burden: {value}",
        reason=f"{value} is above 10",
        severity=D(value) - 10,
    )


def warning(value: str) -> Finding:
    return Finding(
        kind=EARLY_WARNING,
        metric="oncall_hours",
        period_start=CURRENT,
        value=D(value),
        limit=D(10),
        message=f"Early warning: {value}",
        reason=f"{value} got worse",
        severity=D(0),
    )


def alert_of(found: Finding, **changes) -> AlertState:
    """An open alert people were told of (this period) for ``found``."""
    state = AlertState(
        status=lifecycle.FIRING,
        kind=found.kind,
        message=found.message,
        reason=found.reason,
        value=found.value,
        limit=found.limit,
        severity=found.severity,
        peak_severity=found.severity,
        period_start=found.period_start,
        last_notified_period=CURRENT,
        version=3,
    )
    return replace(state, **changes)


ON_FINDING = [
    # (case, open alert, finding, event, what the alert is afterwards)
    ("nothing open, nothing found", None, None, None, None),
    ("a breach opens a firing alert", None, breach("12.5"), "fired", {
        "status": "firing", "kind": BREACH, "value": D("12.5"), "peak_severity": D("2.5"),
        "last_notified_period": CURRENT, "version": 1,
    }),
    ("an early warning opens a firing alert", None, warning("9"), "fired", {
        "status": "firing", "kind": EARLY_WARNING, "peak_severity": D(0), "version": 1,
    }),
    ("back within: the open alert resolves", alert_of(breach("12.5")), None, "resolved", {
        "status": "resolved", "version": 4,
        "reason": "12.5 is above 10\nResolved: The value is back within its threshold.",
    }),
    ("back within: an acknowledged alert resolves too",
     alert_of(breach("12.5"), status="acknowledged"), None, "resolved",
     {"status": "resolved"}),
    ("worse than told: escalates", alert_of(breach("12.5")), breach("15"), "escalated", {
        "status": "firing", "value": D("15"), "peak_severity": D("5"), "version": 4,
        "last_notified_period": CURRENT,
    }),
    ("worse than told: an acknowledged alert fires again",
     alert_of(breach("12.5"), status="acknowledged"), breach("15"), "escalated",
     {"status": "firing"}),
    ("worse than told: the snooze ends",
     alert_of(breach("12.5"), snoozed_until=TODAY + timedelta(days=30)), breach("15"),
     "escalated", {"snoozed_until": None}),
    ("an early warning turning into a breach escalates", alert_of(warning("9")), breach("11"),
     "escalated", {"kind": BREACH, "peak_severity": D(1)}),
    ("back and forth: up to the worst already told is no escalation",
     alert_of(breach("12"), peak_severity=D(3)), breach("13"), "",
     {"value": D("13"), "peak_severity": D(3), "version": 3}),
    ("back and forth: past the worst already told escalates",
     alert_of(breach("12"), peak_severity=D(3)), breach("13.5"), "escalated",
     {"peak_severity": D("3.5")}),
    ("a breach eased to a warning, breaching again less far: no escalation",
     alert_of(warning("9"), peak_severity=D(1)), breach("10.5"), "",
     {"kind": BREACH, "peak_severity": D(1)}),
    ("unchanged and told this period: nothing to save", alert_of(breach("12.5")), breach("12.5"),
     None, None),
    ("a new period: reminded once", alert_of(breach("12.5"), last_notified_period=PREVIOUS),
     breach("12.5"), "renotify", {"last_notified_period": CURRENT, "version": 4}),
    ("never told: reminded", alert_of(breach("12.5"), last_notified_period=None), breach("12.5"),
     "renotify", {"last_notified_period": CURRENT}),
    ("acknowledged: no reminder in a new period",
     alert_of(breach("12.5"), status="acknowledged", last_notified_period=PREVIOUS),
     breach("12.5"), None, None),
    ("snoozed until today (inclusive): no reminder",
     alert_of(breach("12.5"), snoozed_until=TODAY, last_notified_period=PREVIOUS),
     breach("12.5"), None, None),
    ("the snooze ended yesterday: reminded",
     alert_of(breach("12.5"), snoozed_until=TODAY - timedelta(days=1),
              last_notified_period=PREVIOUS),
     breach("12.5"), "renotify", {"snoozed_until": TODAY - timedelta(days=1)}),
    ("slightly better, same period: follows the value quietly", alert_of(breach("12.5")),
     breach("11"), "", {"value": D("11"), "severity": D(1), "peak_severity": D("2.5"),
                        "version": 3}),
    ("slightly better, new period: reminded with the new value",
     alert_of(breach("12.5"), last_notified_period=PREVIOUS), breach("11"), "renotify",
     {"value": D("11"), "message": "High on-call burden: 11"}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("alert", "found", "event", "after"),
    [case[1:] for case in ON_FINDING],
    ids=[case[0] for case in ON_FINDING],
)
def test_on_finding(alert, found, event, after):
    decision = lifecycle.on_finding(alert=alert, finding=found, current_period=CURRENT, today=TODAY)
    if event is None:
        assert decision == lifecycle.Decision(alert)
        return
    assert decision.changed
    assert decision.event == event
    assert {name: getattr(decision.alert, name) for name in after} == after


def test_a_new_alerts_message_fits_its_column():
    long = replace(breach("12.5"), message="x" * 400)
    opened = lifecycle.on_finding(alert=None, finding=long, current_period=CURRENT, today=TODAY)
    assert opened.alert.message == "x" * lifecycle.MESSAGE_LENGTH


@pytest.mark.parametrize(
    ("status", "allowed"), [("firing", True), ("acknowledged", False), ("resolved", False)]
)
def test_only_a_firing_alert_can_be_acknowledged(status, allowed):
    alert = alert_of(breach("12.5"), status=status)
    if allowed:
        assert lifecycle.acknowledge(alert).status == "acknowledged"
    else:
        with pytest.raises(lifecycle.LifecycleError, match="Only a firing alert"):
            lifecycle.acknowledge(alert)


@pytest.mark.parametrize(
    ("status", "days", "field", "message"),
    [
        ("firing", 1, None, None),
        ("firing", 90, None, None),
        ("firing", 0, "until", "Snooze until a date after today."),
        ("firing", -1, "until", "Snooze until a date after today."),
        ("firing", 91, "until", "Snooze for at most 90 days."),
        ("acknowledged", 7, None, "Only a firing alert can be snoozed; this one is acknowledged."),
        ("resolved", 7, None, "Only a firing alert can be snoozed; this one is resolved."),
    ],
)
def test_snooze(status, days, field, message):
    alert = alert_of(breach("12.5"), status=status)
    until = TODAY + timedelta(days=days)
    if message is None:
        assert lifecycle.snooze(alert, until=until, today=TODAY).snoozed_until == until
        return
    with pytest.raises(lifecycle.LifecycleError) as refused:
        lifecycle.snooze(alert, until=until, today=TODAY)
    assert (refused.value.field, refused.value.message) == (field, message)


def plan_alert(round_label: str, **changes) -> AlertState:
    return replace(
        AlertState(kind=lifecycle.ACTION_PLAN_OVERDUE, key=f"round:{round_label}", version=2),
        **changes,
    )


OVERDUE = [
    # (case, open alert, this round alerted before, event, what the alert is afterwards)
    ("the first overdue round opens the alert", None, False, "fired", {
        "status": "firing", "key": "round:Payments · 2 Nov 2026", "version": 1,
        "kind": "action_plan_overdue", "period_start": date(2026, 11, 2),
        "message": "[Payments] Survey action plan overdue: round 2 Nov 2026 closed 2026-11-09",
        "reason": "The survey round Payments · 2 Nov 2026 closed on 09 Nov 2026 and no action "
        "plan was published within 7 days.",
    }),
    ("the same round again: nothing", plan_alert("Payments · 2 Nov 2026"), True, None, None),
    ("a round whose alert was resolved: never again", None, True, None, None),
    ("a later round: the open alert speaks of it", plan_alert("Payments · 19 Oct 2026"), False,
     "escalated", {"key": "round:Payments · 2 Nov 2026", "version": 3, "status": "firing"}),
    ("a later round: an acknowledged alert stays acknowledged",
     plan_alert("Payments · 19 Oct 2026", status="acknowledged"), False, "escalated",
     {"status": "acknowledged"}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("alert", "alerted", "event", "after"),
    [case[1:] for case in OVERDUE],
    ids=[case[0] for case in OVERDUE],
)
def test_on_action_plan_overdue(alert, alerted, event, after):
    decision = lifecycle.on_action_plan_overdue(
        alert=alert,
        round_already_alerted=alerted,
        team_name="Payments",
        round_label="Payments · 2 Nov 2026",
        closed_on=date(2026, 11, 9),
    )
    if event is None:
        assert decision == lifecycle.Decision(alert)
        return
    assert decision.event == event
    assert {name: getattr(decision.alert, name) for name in after} == after


@pytest.mark.parametrize(
    ("alert", "published_round", "resolves"),
    [
        (None, "R1", False),
        (plan_alert("R1"), "R1", True),
        (plan_alert("R2"), "R1", False),  # an earlier round's plan leaves R2 overdue
        (plan_alert("R2"), None, True),
    ],
)
def test_on_action_plan_published(alert, published_round, resolves):
    decision = lifecycle.on_action_plan_published(alert=alert, round_label=published_round)
    assert decision.changed is resolves
    if resolves:
        assert decision.event == "resolved"
        assert decision.alert.status == "resolved"
        assert decision.alert.reason.endswith("Resolved: The action plan was published.")


@pytest.mark.parametrize(
    ("status", "snoozed_until", "shown"),
    [
        ("firing", None, "firing"),
        ("firing", TODAY, "snoozed"),  # inclusive of its date
        ("firing", TODAY + timedelta(days=3), "snoozed"),
        ("firing", TODAY - timedelta(days=1), "firing"),  # the snooze ended
        ("acknowledged", TODAY + timedelta(days=3), "acknowledged"),
        ("resolved", TODAY + timedelta(days=3), "resolved"),
    ],
)
def test_shown_status_is_snoozed_only_for_a_firing_alert_while_its_snooze_lasts(
    status, snoozed_until, shown
):
    assert lifecycle.shown_status(status=status, snoozed_until=snoozed_until, today=TODAY) == shown


def test_snooze_presets_are_a_day_a_week_and_to_the_end_of_this_period():
    # TODAY (Wed 25 Nov 2026) is in the period of 16-29 Nov.
    assert lifecycle.snooze_presets(TODAY) == {
        "day": date(2026, 11, 26),
        "week": date(2026, 12, 2),
        "period": date(2026, 11, 29),
    }
    # On a period's last day there is no rest of it to snooze through.
    assert "period" not in lifecycle.snooze_presets(date(2026, 11, 29))
    for until in lifecycle.snooze_presets(date(2026, 11, 28)).values():
        lifecycle.snooze(AlertState(status="firing"), until=until, today=date(2026, 11, 28))
