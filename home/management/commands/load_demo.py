from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD, LOGIN_USERS, load_people
from accounts.models import User
from hiring.demo import load_amendment, load_exercise_and_reminders, load_history, load_loops
from surveys.demo import load_survey_teams, load_surveys
from teamhealth import thresholds
from teamhealth.demo import evaluate_demo_teams, load_health, load_teams
from teamhealth.models import Alert, AlertEvent, AlertSubject, Team
from teamhealth.services import alerts as alert_services

# Team health: past alerts with their whole story, so the all-alerts page and the
# MTTA/MTTR medians read like an organisation's. Per alert: team, metric, kind (a breach),
# days ago it opened, (value, limit) at opening, hours to acknowledge (None: never),
# the acknowledgement note, days of snooze before (None: none), hours to resolve,
# the value that cleared it.
DEMO_TEAM_MANAGERS = {"Data Platform": "raj", "Mobile Apps": "manager", "Site Reliability": "raj"}
DEMO_ALERT_HISTORY = [
    (
        "Backend Payments",
        "oncall_hours",
        "breach",
        120,
        (11.5, 10),
        3,
        "Swapping the weekend rota",
        None,
        30,
        9,
    ),
    (
        "Backend Payments",
        "delivery_rate",
        "breach",
        75,
        (23, 25),
        20,
        "Sprint lost to the audit",
        3,
        300,
        27,
    ),
    ("Frontend Platform", "turnover", "breach", 98, (24, 20), None, "", None, 400, 18),
    (
        "Frontend Platform",
        "oncall_hours",
        "early_warning",
        40,
        (9, 10),
        1,
        "Watching it",
        None,
        50,
        6,
    ),
    (
        "Data Platform",
        "oncall_hours",
        "breach",
        60,
        (14, 10),
        2,
        "Paging noise from the ETL alerts",
        2,
        110,
        8,
    ),
    (
        "Data Platform",
        "feedback_score",
        "breach",
        33,
        (52, 60),
        26,
        "1:1s booked with everyone",
        None,
        500,
        63,
    ),
    (
        "Mobile Apps",
        "delivery_rate",
        "early_warning",
        50,
        (26, 25),
        6,
        "Release freeze",
        None,
        90,
        31,
    ),
    ("Mobile Apps", "turnover", "breach", 21, (22, 20), None, "", 7, 260, 15),
    (
        "Site Reliability",
        "oncall_hours",
        "breach",
        16,
        (16, 10),
        0.5,
        "Second on-call added",
        None,
        70,
        9.5,
    ),
    ("Site Reliability", "oncall_hours", "breach", 90, (12, 10), 5, "Runbook rewrite", 1, 150, 8),
]


class Command(BaseCommand):
    help = "Load demo people, teams, hiring loops and survey rounds. Safe to run again."

    def handle(self, *args, **options):
        # Each step after loading the people is given them.
        steps: list[tuple[str, Callable[[dict[str, User]], object]]] = [
            ("teams", load_teams),
            ("hiring loops", load_loops),
            ("hiring history with 6-month outcomes", load_history),
            ("interview exercises", load_exercise_and_reminders),
            ("an amended scorecard", load_amendment),
            ("team health metrics and alerts", load_health),
            ("survey teams", load_survey_teams),
            ("survey rounds, half a year of them, with action plans", load_surveys),
            ("team health evaluation", evaluate_demo_teams),
            ("team health alert history", load_alert_history),
            ("team health open alerts acknowledged and snoozed", act_on_open_alerts),
        ]
        total = len(steps) + 1
        # The demo's history (published rounds, sent feedback) is not news to anyone:
        # its emails are kept in memory instead of reaching the console or SMTP.
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
            transaction.atomic(),
        ):
            self.stdout.write(f"[1/{total}] people…")
            people = load_people()
            for index, (label, step) in enumerate(steps, start=2):
                self.stdout.write(f"[{index}/{total}] {label}…")
                step(people)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(f"Demo logins (password '{DEMO_PASSWORD}'): {', '.join(LOGIN_USERS)}")


def load_alert_history(people: dict[str, User]) -> int:
    """Resolved alerts of the last months on several teams, each with its whole timeline.

    Keyed by ``Alert.key`` ("demo:<n>"), so loading again adds nothing.
    """
    now = timezone.now()
    for name, username in DEMO_TEAM_MANAGERS.items():
        team, _ = Team.objects.get_or_create(name=name)
        team.managers.add(people[username])
    teams = {team.name: team for team in Team.objects.all()}
    added = 0
    for number, row in enumerate(DEMO_ALERT_HISTORY):
        name, metric, kind, days_ago, (value, limit), to_ack, note, snooze, to_resolve, back = row
        key = f"demo:{number}"
        if Alert.objects.filter(key=key).exists():
            continue
        team = teams[name]
        manager = team.managers.order_by("pk").first()
        opened = now - timedelta(days=days_ago)
        resolved = opened + timedelta(hours=to_resolve)
        at_open, at_limit, cleared = (Decimal(str(v)) for v in (value, limit, back))
        alert = Alert.objects.create(
            team=team,
            subject=metric,
            kind=kind,
            status=Alert.Status.RESOLVED,
            message=thresholds.breach_message(name, metric, at_open, at_limit),
            reason=(
                f"{AlertSubject(metric).label} was {thresholds.with_unit(metric, at_open)}, "
                f"past its threshold ({thresholds.DIRECTION[metric]} "
                f"{thresholds.one_decimal(at_limit)}).\nResolved: The value is "
                f"{thresholds.cleared_message(metric, cleared, at_limit)}, within its threshold."
            ),
            key=key,
            value=at_open,
            limit=at_limit,
            severity=thresholds.severity(metric, at_open, at_limit),
            peak_severity=thresholds.severity(metric, at_open, at_limit),
            resolved_at=resolved,
            acknowledge_note=note,
        )
        events = [
            AlertEvent(alert=alert, kind="opened", at=opened, value=alert.value, limit=alert.limit)
        ]
        if snooze is not None:
            events.append(
                AlertEvent(
                    alert=alert,
                    kind="snoozed",
                    at=opened + timedelta(minutes=20),
                    by=manager,
                    snoozed_until=(opened + timedelta(days=snooze)).date(),
                )
            )
            events.append(
                AlertEvent(
                    alert=alert,
                    kind="reminded",
                    at=opened + timedelta(days=snooze + 1),
                    value=alert.value,
                    limit=alert.limit,
                )
            )
        acknowledged_at = None
        if to_ack is not None:
            acknowledged_at = opened + timedelta(hours=to_ack)
            events.append(
                AlertEvent(
                    alert=alert, kind="acknowledged", at=acknowledged_at, by=manager, note=note
                )
            )
        events.append(
            AlertEvent(
                alert=alert,
                kind="resolved",
                at=resolved,
                value=cleared,
                limit=alert.limit,
            )
        )
        AlertEvent.objects.bulk_create(events)
        # opened_at is set on creation; the demo's history happened earlier.
        Alert.objects.filter(pk=alert.pk).update(
            opened_at=opened,
            acknowledged_by=manager if to_ack is not None else None,
            acknowledged_at=acknowledged_at,
        )
        added += 1
    return added


def act_on_open_alerts(people: dict[str, User]) -> int:
    """The demo manager has acknowledged one open alert of their team and snoozed another,
    through the alert services (so their timelines say so); again, nothing new."""
    today = timezone.localdate()
    open_alerts = list(
        Alert.objects.filter(team__name="Backend Payments", status=Alert.Status.FIRING)
        .exclude(subject=AlertSubject.ACTION_PLAN)
        .order_by("subject")
    )
    if len(open_alerts) < 3 or any(alert.snoozed_until for alert in open_alerts):
        return 0  # already acted on (or too few to show each state)
    manager = people["manager"]
    alert_services.acknowledge_alert(
        alert=open_alerts[0], user=manager, note="Talking to the team at Thursday's retro"
    )
    alert_services.snooze_alert(
        alert=open_alerts[1], user=manager, until=today + timedelta(days=3), today=today
    )
    return 2
