"""Recording team metrics: one value, a CSV of them, computed turnover, survey summaries."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User

from .. import csv_import, periods, selectors, survey_summaries, thresholds
from ..models import Membership, Metric, MetricValue, Source, SurveySummary, Team
from . import requests


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
    bounds = selectors.metric_bounds()
    problem = thresholds.validate_value(metric, value, bounds=bounds)
    if problem:
        raise ValidationError({"value": problem})
    problem = thresholds.validate_period(day, bounds=bounds, today=timezone.localdate())
    if problem:
        raise ValidationError({"day": problem})
    start = periods.period_start(day)
    existing = (
        MetricValue.objects.select_for_update()
        .filter(team=team, metric=metric, period_start=start)
        .first()
    )
    problem = thresholds.validate_replacement(
        metric, stored_source=existing.source if existing else None, source=source
    )
    if problem:
        raise ValidationError({"value": problem})
    metric_value = existing or MetricValue(team=team, metric=metric, period_start=start)
    metric_value.value = value
    metric_value.source = source
    metric_value.entered_by = entered_by
    metric_value.entered_via = entered_via
    # The fields' own rules (choices, digits, lengths). Not the queries full_clean
    # would add, each asking again what is settled above: the team and the person
    # are the rows given; the one value per team, metric and period was looked up
    # (locked) above; the check constraints are thresholds.validate_value's rules,
    # asked above. The database enforces all of them again on save.
    metric_value.full_clean(
        exclude=["team", "entered_by"], validate_unique=False, validate_constraints=False
    )
    metric_value.save()
    if evaluate:
        evaluate_after_commit([team.pk])
    return metric_value


def evaluate_after_commit(team_ids: list[int]) -> None:
    """Evaluate these teams once the current transaction commits (once each)."""
    requests.request_evaluation(team_ids)


def import_metrics_csv(
    *, content: bytes, user: User | None, teams: list[Team], source: str = Source.CSV
) -> tuple[int, list[csv_import.RowError]]:
    """Import a CSV of metric values into ``teams``: all rows, or none.

    Returns (rows imported, errors); with any error nothing is written. A fixed
    number of queries whatever the number of rows: one read of the values
    already stored, one upsert, one evaluation request per team.
    """
    by_name = {team.name: team for team in teams}
    rows, errors = csv_import.parse(
        content, set(by_name), today=timezone.localdate(), bounds=selectors.metric_bounds()
    )
    if errors:
        return 0, errors
    with transaction.atomic():
        stored = {
            (team_id, metric, start): stored_source
            for team_id, metric, start, stored_source in MetricValue.objects.select_for_update()
            .filter(
                team_id__in={by_name[row.team].pk for row in rows},
                metric__in={row.metric for row in rows},
                period_start__gte=min(row.period_start for row in rows),
                period_start__lte=max(row.period_start for row in rows),
            )
            .values_list("team_id", "metric", "period_start", "source")
        }
        now = timezone.now()
        values: list[MetricValue] = []
        for row in rows:
            team = by_name[row.team]
            problem = thresholds.validate_replacement(
                row.metric,
                stored_source=stored.get((team.pk, row.metric, row.period_start)),
                source=source,
            )
            if problem:
                errors.append(csv_import.RowError(row.line, problem))
                continue
            values.append(
                MetricValue(
                    team=team,
                    metric=row.metric,
                    period_start=row.period_start,
                    value=row.value,
                    source=source,
                    entered_by=user,
                    entered_via="CSV import",
                    recorded_at=now,  # bulk writes skip auto_now
                )
            )
        if errors:
            return 0, errors
        # Every row was checked by the parser (the same rules as record_metric);
        # the table's constraints hold whatever slips past.
        MetricValue.objects.bulk_create(
            values,
            update_conflicts=True,
            unique_fields=["team", "metric", "period_start"],
            update_fields=["value", "source", "entered_by", "entered_via", "recorded_at"],
            batch_size=500,
        )
        evaluate_after_commit([by_name[row.team].pk for row in rows])
    return len(rows), []


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
