"""Every write of the teamhealth app goes through here.

Other apps push into team health through these services (``surveys`` records
its feedback score here); ``teamhealth`` never imports them.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import User

from . import notifications, periods, survey_summaries, thresholds
from .models import (
    Alert,
    AlertSubject,
    Delivery,
    Membership,
    Metric,
    MetricValue,
    SlackWebhook,
    Source,
    SurveySummary,
    Team,
    Threshold,
)

logger = logging.getLogger(__name__)


@transaction.atomic
def record_metric(
    *,
    team: Team,
    metric: str,
    day: date,
    value: Decimal,
    source: str,
    entered_by: User | None = None,
    entered_via: str = "",
    evaluate: bool = True,
) -> MetricValue:
    """Record (or replace) a team's value of a metric for the period containing ``day``.

    The team's health is evaluated once the value is committed, unless
    ``evaluate`` is False (bulk imports evaluate once at the end).
    """
    if metric not in Metric.values:
        raise ValidationError({"metric": f"Unknown metric {metric!r}."})
    if source not in Source.values:
        raise ValidationError({"source": f"Unknown source {source!r}."})
    start = periods.period_start(day)
    # A future period would become the team's "latest" value and hide today's.
    if start > periods.period_start(timezone.localdate()):
        raise ValidationError({"day": f"The period starting {start:%d %b %Y} has not begun yet."})
    existing = (
        MetricValue.objects.select_for_update()
        .filter(team=team, metric=metric, period_start=start)
        .first()
    )
    metric_value = existing or MetricValue(team=team, metric=metric, period_start=start)
    metric_value.value = value
    metric_value.source = source
    metric_value.entered_by = entered_by
    metric_value.entered_via = entered_via
    metric_value.full_clean()
    metric_value.save()
    if evaluate:
        _evaluate_after_commit([team.pk])
    return metric_value


def _evaluate_after_commit(team_ids: list[int]) -> None:
    from .tasks import evaluate_team

    for team_id in sorted(set(team_ids)):
        transaction.on_commit(partial(evaluate_team.delay, team_id))


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
    _notify(alert=alert, event=event)


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


@transaction.atomic
def record_survey_summary(
    *,
    team: Team,
    round_label: str,
    closed_on: date,
    feedback_score: Decimal,
    dimension_scores: dict[str, Decimal],
    top_concerns: list[str],
    results_url: str,
    action_plan_status: str,
) -> SurveySummary:
    """Record (or update) what the team page shows of one survey round.

    Called by the surveys app when a round's results become visible (it must
    only call it for a round that met its minimum group size) and when its
    action plan is published. Idempotent per team and round: calling it again
    replaces the summary.
    """
    problem = survey_summaries.validate_scores(dimension_scores)
    if problem:
        raise ValidationError({"dimension_scores": problem})
    summary = (
        SurveySummary.objects.select_for_update().filter(team=team, round_label=round_label).first()
    ) or SurveySummary(team=team, round_label=round_label)
    summary.closed_on = closed_on
    summary.feedback_score = feedback_score
    # JSON keeps the scores as strings so no float rounding creeps in.
    summary.dimension_scores = {name: str(score) for name, score in dimension_scores.items()}
    summary.top_concerns = [str(text) for text in top_concerns]
    summary.results_url = results_url
    summary.action_plan_status = action_plan_status
    summary.full_clean()
    summary.save()
    return summary


# --- CSV import ------------------------------------------------------------------


def import_metrics_csv(
    *, content: bytes, user: User | None, teams: list[Team], source: str = Source.CSV
) -> tuple[int, list]:
    """Import a CSV of metric values into ``teams``: all rows, or none.

    Returns (rows imported, errors); with any error nothing is written.
    """
    from . import csv_import

    by_name = {team.name: team for team in teams}
    rows, errors = csv_import.parse(content, set(by_name), today=timezone.localdate())
    if errors:
        return 0, errors
    with transaction.atomic():
        for row in rows:
            record_metric(
                team=by_name[row.team],
                metric=row.metric,
                day=row.period_start,
                value=row.value,
                source=source,
                entered_by=user,
                entered_via="CSV import",
                evaluate=False,
            )
        _evaluate_after_commit([by_name[row.team].pk for row in rows])
    return len(rows), []


# --- Turnover -----------------------------------------------------------------


def compute_turnover(*, team: Team, today: date) -> MetricValue | None:
    """Record one team's 6-month turnover for today's period (see ``compute_turnovers``)."""
    compute_turnovers(team_ids=[team.pk], today=today)
    return MetricValue.objects.filter(
        team=team, metric=Metric.TURNOVER, period_start=periods.period_start(today)
    ).first()


@transaction.atomic
def compute_turnovers(*, team_ids: list[int], today: date) -> int:
    """Record the 6-month turnover, computed from membership history, of many teams at once.

    A value an admin entered for the period (any source but "computed") wins
    and is left alone. A fixed number of queries whatever the number of teams;
    returns how many values were written. Evaluation is left to the caller.
    """
    start = periods.period_start(today)
    existing = {
        mv.team_id: mv
        for mv in MetricValue.objects.select_for_update().filter(
            team_id__in=team_ids, metric=Metric.TURNOVER, period_start=start
        )
    }
    spans: dict[int, list] = defaultdict(list)
    for team_id, joined_on, left_on in Membership.objects.filter(team_id__in=team_ids).values_list(
        "team_id", "joined_on", "left_on"
    ):
        spans[team_id].append((joined_on, left_on))
    new: list[MetricValue] = []
    changed: list[MetricValue] = []
    for team_id in team_ids:
        current = existing.get(team_id)
        if current is not None and current.source != Source.COMPUTED:
            continue
        percent = thresholds.turnover_percent(spans.get(team_id, []), today)
        if percent is None:
            continue
        value = current or MetricValue(
            team_id=team_id,
            metric=Metric.TURNOVER,
            period_start=start,
            source=Source.COMPUTED,
            entered_via="membership history",
        )
        value.value = percent
        value.recorded_at = timezone.now()  # bulk_update skips auto_now
        value.full_clean(exclude=["team"], validate_unique=False, validate_constraints=False)
        (changed if current else new).append(value)
    # A value someone entered since the read above wins (its unique row is kept).
    MetricValue.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
    MetricValue.objects.bulk_update(changed, ["value", "recorded_at"], batch_size=500)
    return len(new) + len(changed)


# --- Thresholds -----------------------------------------------------------------


def limits_in_force(team_ids: list[int]) -> dict[int, dict[str, tuple[Decimal, str]]]:
    """{team id: {metric: (limit, where it comes from)}} from overrides, globals, then defaults."""
    rows = list(
        Threshold.objects.filter(team_id__isnull=True)
        | Threshold.objects.filter(team_id__in=team_ids)
    )
    global_limits = {
        m: (limit, "built-in default") for m, limit in thresholds.DEFAULT_LIMITS.items()
    }
    overrides: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for row in rows:
        if row.team_id is None:
            global_limits[row.metric] = (row.limit, "global default")
        else:
            overrides[row.team_id][row.metric] = row.limit
    result = {}
    for team_id in team_ids:
        limits = dict(global_limits)
        for metric, limit in overrides.get(team_id, {}).items():
            limits[metric] = (limit, "team override")
        result[team_id] = limits
    return result


@transaction.atomic
def save_threshold(*, threshold: Threshold) -> Threshold:
    """Save a threshold; the teams it applies to are evaluated against it once committed.

    Otherwise a team page would show a value past the new limit with no alert
    (or an alert for a value now within it) until the nightly evaluation.
    """
    threshold.full_clean()
    threshold.save()
    _reevaluate_for(threshold)
    return threshold


@transaction.atomic
def delete_threshold(*, threshold: Threshold) -> None:
    """Delete an override (the global default applies again) or a global threshold."""
    threshold.delete()
    _reevaluate_for(threshold)


def _reevaluate_for(threshold: Threshold) -> None:
    if threshold.team_id is not None:
        _evaluate_after_commit([threshold.team_id])
        return
    from .tasks import evaluate_all_teams

    transaction.on_commit(evaluate_all_teams.delay)


def global_limit(*, metric: str) -> Decimal:
    """The global threshold of ``metric`` (the built-in default when none is set)."""
    row = Threshold.objects.filter(team__isnull=True, metric=metric).first()
    return row.limit if row else thresholds.DEFAULT_LIMITS[metric]


def preview_threshold(*, metric: str, limit: Decimal, team: Team | None, today: date) -> int:
    """How many alerts ``limit`` would have raised over the last 12 periods.

    For a global threshold, every team without its own override counts.
    """
    starts = periods.previous_periods(today, 12)
    values = MetricValue.objects.filter(metric=metric, period_start__gte=starts[0])
    if team is not None:
        values = values.filter(team=team)
    else:
        overridden = Threshold.objects.filter(metric=metric, team__isnull=False).values("team_id")
        values = values.exclude(team_id__in=overridden)
    histories: dict[int, list] = defaultdict(list)
    for team_id, start, value in values.order_by("team_id", "period_start").values_list(
        "team_id", "period_start", "value"
    ):
        histories[team_id].append((start, value))
    return thresholds.count_alerts(
        metric=metric, histories=list(histories.values()), limit=limit, periods=12
    )


def threshold_preview(*, metric: str, limit: Decimal, team: Team | None, today: date) -> dict:
    """What changing a threshold to ``limit`` would have done over the last 12 periods.

    Compared with the threshold in force, in words an admin reads before saving.
    """
    count = preview_threshold(metric=metric, limit=limit, team=team, today=today)
    current_limit = (
        limits_in_force([team.pk])[team.pk][metric][0]
        if team is not None
        else global_limit(metric=metric)
    )
    current_count = preview_threshold(metric=metric, limit=current_limit, team=team, today=today)
    scope = team.name if team is not None else "all teams without an override"
    return {
        "count": count,
        "current_limit": str(current_limit),
        "current_count": current_count,
        "message": (
            f"With {limit} this would have raised {count} alert"
            f"{'' if count == 1 else 's'} over the last 12 periods for {scope} "
            f"(the threshold in force, {current_limit}, raised {current_count})."
        ),
    }


# --- Evaluation and the alert lifecycle ------------------------------------------


def evaluate_team_health(*, team: Team, today: date) -> list[Alert]:
    """Check a team's four metrics against their thresholds and early-warning rules."""
    return evaluate_teams(team_ids=[team.pk], today=today)


@transaction.atomic
def evaluate_teams(*, team_ids: list[int], today: date) -> list[Alert]:
    """Evaluate many teams at once: a few queries for all of them, writes only on change.

    Returns the alerts that were opened, changed or resolved.
    """
    history_periods = thresholds.TRAILING + 1
    current = periods.period_start(today)
    since = current - timedelta(days=periods.PERIOD_DAYS * (history_periods + 3))
    teams = {
        team.pk: team for team in Team.objects.filter(pk__in=team_ids).prefetch_related("managers")
    }
    histories: dict[tuple[int, str], list] = defaultdict(list)
    for team_id, metric, start, value in (
        MetricValue.objects.filter(
            team_id__in=team_ids, period_start__gte=since, period_start__lte=current
        )
        .order_by("team_id", "metric", "period_start")
        .values_list("team_id", "metric", "period_start", "value")
    ):
        histories[(team_id, metric)].append((start, value))
    limits = limits_in_force(list(teams))
    open_alerts = {
        (alert.team_id, alert.subject): alert
        for alert in Alert.objects.select_for_update()
        .filter(team_id__in=team_ids, subject__in=thresholds.METRICS)
        .exclude(status=Alert.Status.RESOLVED)
    }
    changed = []
    for team_id, team in teams.items():
        for metric in thresholds.METRICS:
            history = histories.get((team_id, metric), [])[-history_periods:]
            finding = thresholds.evaluate(
                team_name=team.name,
                metric=metric,
                history=history,
                limit=limits[team_id][metric][0],
            )
            alert = _apply_finding(
                team=team,
                metric=metric,
                finding=finding,
                alert=open_alerts.get((team_id, metric)),
                current_period=current,
                today=today,
            )
            if alert is not None:
                changed.append(alert)
    return changed


def _apply_finding(
    *,
    team: Team,
    metric: str,
    finding: thresholds.Finding | None,
    alert: Alert | None,
    current_period: date,
    today: date,
) -> Alert | None:
    """Move one alert through its lifecycle; returns it when something changed."""
    if finding is None:
        if alert is None:
            return None
        return resolve_alert(alert=alert, reason="The value is back within its threshold.")
    if alert is None:
        alert = Alert(team=team, subject=metric, status=Alert.Status.FIRING)
        _copy_finding(alert, finding)
        alert.peak_severity = finding.severity
        alert.last_notified_period = current_period
        alert.full_clean()
        alert.save()
        _notify(alert=alert, event="fired")
        return alert
    # Compared with the worst people were told of, so a value going back and
    # forth (12.5, 13, 12, 13) escalates once, not at every step up.
    peak = max(alert.peak_severity, alert.severity)
    peak_rank = (1 if alert.kind == Alert.Kind.BREACH or peak > 0 else 0, peak)
    if finding.rank > peak_rank:
        # Worse than when people last heard of it: tell them again, even if
        # acknowledged or snoozed, and ask for a fresh acknowledgement. The
        # snooze was chosen for the milder problem, so it ends too.
        _copy_finding(alert, finding)
        alert.peak_severity = finding.severity
        alert.status = Alert.Status.FIRING
        alert.snoozed_until = None
        alert.version += 1
        alert.last_notified_period = current_period
        alert.save()
        _notify(alert=alert, event="escalated")
        return alert
    updated = (alert.value, alert.message, alert.reason) != (
        finding.value,
        finding.message,
        finding.reason,
    )
    if updated:
        _copy_finding(alert, finding)
    snoozed = alert.snoozed_until is not None and alert.snoozed_until >= today
    if (
        alert.status == Alert.Status.FIRING
        and not snoozed
        and (alert.last_notified_period is None or alert.last_notified_period < current_period)
    ):
        alert.last_notified_period = current_period
        alert.version += 1
        alert.save()
        _notify(alert=alert, event="renotify")
        return alert
    if updated:
        alert.save()
        return alert
    return None


def _copy_finding(alert: Alert, finding: thresholds.Finding) -> None:
    alert.kind = finding.kind
    alert.message = finding.message[:300]
    alert.reason = finding.reason
    alert.value = finding.value
    alert.limit = finding.limit
    alert.severity = finding.severity
    alert.period_start = finding.period_start


def resolve_alert(*, alert: Alert, reason: str = "") -> Alert:
    """Close an open alert and send the resolve notice."""
    alert.status = Alert.Status.RESOLVED
    alert.resolved_at = timezone.now()
    alert.version += 1
    if reason:
        alert.reason = f"{alert.reason}\nResolved: {reason}".strip()
    alert.save()
    _notify(alert=alert, event="resolved")
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


# --- Notifications: the outbox ----------------------------------------------------


def team_url(team: Team) -> str:
    return settings.SITE_URL + reverse("teamhealth:team_detail", args=[team.slug])


def _notify(*, alert: Alert, event: str) -> None:
    """Queue this change for the team's managers and Slack, in the alert's own transaction."""
    team = alert.team
    url = team_url(team)
    subject = notifications.subject_for(event, alert.message)
    body = notifications.email_body(
        event=event, message=alert.message, reason=alert.reason, team_url=url
    )
    payload = notifications.slack_payload(
        event=event, message=alert.message, reason=alert.reason, team_url=url
    )
    rows = [
        (Delivery.Channel.EMAIL, manager.email)
        for manager in team.managers.all()
        if manager.email and manager.is_active
    ]
    rows += [
        (Delivery.Channel.SLACK, hook.url)
        for hook in SlackWebhook.objects.filter(
            Q(team__isnull=True) | Q(team=team), active=True
        ).order_by("pk")
    ]
    created = []
    for channel, recipient in rows:
        key = f"alert{alert.pk}-v{alert.version}-{event}-{channel}-{recipient}"[:300]
        delivery, made = Delivery.objects.get_or_create(
            dedupe_key=key,
            defaults={
                "alert": alert,
                "event": event,
                "channel": channel,
                "recipient": recipient,
                "subject": subject,
                "body": body,
                "payload": payload if channel == Delivery.Channel.SLACK else {},
            },
        )
        if made:
            created.append(delivery.pk)
    _send_after_commit(created)


def _send_after_commit(delivery_ids: list[int]) -> None:
    from .tasks import send_delivery

    for delivery_id in delivery_ids:
        transaction.on_commit(partial(send_delivery.delay, delivery_id))


MAX_ATTEMPTS = 8


def backoff_seconds(attempts: int, retry_after: int | None = None) -> int:
    """30 s, 60 s, 2 min … capped at an hour; a server's Retry-After wins when longer."""
    delay = min(30 * 2 ** max(attempts - 1, 0), 3600)
    return max(delay, retry_after or 0)


def deliver(*, delivery_id: int, only_if_due: bool = False) -> tuple[str, int | None]:
    """Send one outbox row. Returns (status, seconds until the next try or None).

    The row stays locked while it is sent, so two workers handed the same
    delivery cannot both send it: the second finds it sent. ``only_if_due``
    (the sweeper) leaves alone a row whose next try is still ahead: its own
    task retried it meanwhile and set a later time, and trying now would
    skip the backoff and use up its attempts.
    """
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().filter(pk=delivery_id).first()
        if delivery is None or delivery.status != Delivery.Status.PENDING:
            return (delivery.status if delivery else "missing", None)
        if only_if_due and delivery.next_attempt_at and delivery.next_attempt_at > timezone.now():
            return delivery.status, None
        delivery.attempts += 1
        retry_in = None
        try:
            if delivery.channel == Delivery.Channel.EMAIL:
                notifications.send_email(
                    to=delivery.recipient, subject=delivery.subject, body=delivery.body
                )
            else:
                notifications.post_to_slack(url=delivery.recipient, payload=delivery.payload)
        except notifications.TransientDeliveryError as error:
            delivery.last_error = str(error)[:2000]
            if delivery.attempts >= MAX_ATTEMPTS:
                delivery.status = Delivery.Status.FAILED
            else:
                retry_in = backoff_seconds(delivery.attempts, error.retry_after)
                delivery.next_attempt_at = timezone.now() + timedelta(seconds=retry_in)
        except notifications.PermanentDeliveryError as error:
            delivery.last_error = str(error)[:2000]
            delivery.status = Delivery.Status.FAILED
        else:
            delivery.status = Delivery.Status.SENT
            delivery.sent_at = timezone.now()
            delivery.last_error = ""
        delivery.save()
        if delivery.status == Delivery.Status.FAILED:
            logger.warning("Delivery %s failed for good: %s", delivery.pk, delivery.last_error)
        return delivery.status, retry_in


@transaction.atomic
def retry_delivery(*, delivery: Delivery) -> None:
    """An admin sends a failed delivery again."""
    Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.FAILED).update(
        status=Delivery.Status.PENDING, attempts=0, next_attempt_at=None
    )
    _send_after_commit([delivery.pk])


def queue_weekly_digests(*, today: date) -> int:
    """One digest email per manager, once per ISO week: each of their teams' metrics and alerts.

    Every active manager with an email gets one, including an "all clear"
    week, so a quiet inbox means a healthy team rather than a lost email.
    A fixed number of queries whatever the number of teams and managers.
    """
    year, week, _ = today.isocalendar()
    teams = list(
        Team.objects.filter(managers__isnull=False)
        .distinct()
        .prefetch_related("managers")
        .order_by("name")
    )
    ids = [team.pk for team in teams]
    since = periods.previous_periods(today, 13)[0]
    latest: dict[tuple[int, str], Decimal] = {}
    for team_id, metric, value in (
        MetricValue.objects.filter(team_id__in=ids, period_start__gte=since)
        .order_by("period_start")
        .values_list("team_id", "metric", "value")
    ):
        latest[(team_id, metric)] = value
    limits = limits_in_force(ids)
    alerts: dict[int, list[Alert]] = defaultdict(list)
    for alert in (
        Alert.objects.filter(team_id__in=ids)
        .exclude(status=Alert.Status.RESOLVED)
        .order_by("subject")
    ):
        alerts[alert.team_id].append(alert)
    sections: dict[int, notifications.DigestTeam] = {}
    by_manager: dict[int, list[notifications.DigestTeam]] = defaultdict(list)
    managers: dict[int, User] = {}
    for team in teams:
        for manager in team.managers.all():
            if not (manager.email and manager.is_active):
                continue
            if team.pk not in sections:
                sections[team.pk] = _digest_team(
                    team, latest, limits[team.pk], alerts[team.pk], today=today
                )
            managers[manager.pk] = manager
            by_manager[manager.pk].append(sections[team.pk])
    created = []
    with transaction.atomic():
        for manager_id, manager_teams in by_manager.items():
            open_count = sum(len(t.alerts) for t in manager_teams)
            subject = (
                f"Team health this week: {open_count} open alert(s)"
                if open_count
                else "Team health this week: no open alerts"
            )
            try:
                with transaction.atomic():
                    delivery = Delivery.objects.create(
                        event="digest",
                        channel=Delivery.Channel.EMAIL,
                        recipient=managers[manager_id].email,
                        subject=subject,
                        body=notifications.digest_body(teams=manager_teams, week=week),
                        dedupe_key=f"digest-{year}-W{week:02d}-user{manager_id}",
                    )
            except IntegrityError:
                continue  # this week's digest is already queued
            created.append(delivery.pk)
        _send_after_commit(created)
    return len(created)


def _digest_status(alert: Alert, today: date) -> str:
    status = alert.get_status_display().lower()
    if alert.snoozed_until is not None and alert.snoozed_until >= today:
        status += f", snoozed until {alert.snoozed_until:%-d %b %Y}"
    return status


_DIGEST_STATE = {
    "no-data": "no data yet",
    "breach": "PAST THRESHOLD",
    "warning": "early warning",
    "ok": "within threshold",
}


def _digest_team(team: Team, latest: dict, limits: dict, alerts: list[Alert], *, today: date):
    warned = {a.subject for a in alerts if a.kind == Alert.Kind.EARLY_WARNING}
    metrics = []
    for metric in thresholds.METRICS:
        limit = limits[metric][0]
        value = latest.get((team.pk, metric))
        state = _DIGEST_STATE[
            thresholds.metric_status(metric, value, limit, early_warning=metric in warned)
        ]
        metrics.append(
            (
                Metric(metric).label,
                "–" if value is None else thresholds.with_unit(metric, value),
                f"{thresholds.DIRECTION[metric]} {thresholds.one_decimal(limit)}",
                state,
            )
        )
    return notifications.DigestTeam(
        name=team.name,
        url=team_url(team),
        metrics=tuple(metrics),
        alerts=tuple((a.message, _digest_status(a, today)) for a in alerts),
    )
