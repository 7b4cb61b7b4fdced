"""Importers: Jira (delivery rate) and PagerDuty (on-call burden), run on a schedule.

The arithmetic is pure (``sprint_points``, ``oncall_hours_per_engineer``); the
HTTP is plain urllib with JSON, so tests point them at a local fake server.

- Jira: for each closed sprint of a board, the story points of the issues done
  in it, with the story-point field read from the board's configuration
  (``estimation.field.fieldId``). A period's delivery rate is the mean of the
  sprints that closed in it.
- PagerDuty: on-call time from ``/oncalls`` over a period, merged per person
  (overlapping shifts and escalation levels count once), divided by the number
  of people who were on call and by the two weeks of the period.
"""

from __future__ import annotations

import base64
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from . import periods
from .models import JiraBoard, Metric, PagerDutySchedule, Source
from .services import metrics

logger = logging.getLogger(__name__)


class IntegrationError(Exception):
    """The remote service could not be read; the message says why."""


def _get_json(url: str, headers: dict[str, str]) -> dict:
    if not url.startswith(("https://", "http://")):
        raise IntegrationError(f"Not an http(s) URL: {url}")
    request = urllib.request.Request(url, headers={"Accept": "application/json", **headers})  # noqa: S310
    try:
        # The one network timeout (KEEL_NETWORK_TIMEOUT): reads are retried by the next run.
        timeout = settings.EMAIL_TIMEOUT
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return json.load(response)
    except urllib.error.HTTPError as error:
        raise IntegrationError(f"{url} answered {error.code}") from error
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
        raise IntegrationError(f"{url}: {error}") from error


def _parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


# --- Jira -------------------------------------------------------------------------


def sprint_points(issues: list[dict], field: str) -> Decimal:
    """Story points of the issues done in a sprint (status category 'done')."""
    total = Decimal(0)
    for issue in issues:
        fields = issue.get("fields") or {}
        category = ((fields.get("status") or {}).get("statusCategory") or {}).get("key")
        points = fields.get(field)
        if category == "done" and isinstance(points, int | float):
            total += Decimal(str(points))
    return total


def fetch_jira_sprints(*, base_url: str, board_id: int, email: str, api_token: str, since: date):
    """[(close date, story points)] for the board's sprints closed on or after ``since``."""
    auth = base64.b64encode(f"{email}:{api_token}".encode()).decode()
    headers = {"Authorization": f"Basic {auth}"}
    base = f"{base_url.rstrip('/')}/rest/agile/1.0/board/{board_id}"
    config = _get_json(f"{base}/configuration", headers)
    field = ((config.get("estimation") or {}).get("field") or {}).get("fieldId")
    if not field:
        raise IntegrationError("The board has no story-point estimation field configured.")
    sprints = []
    start = 0
    while True:
        page = _get_json(f"{base}/sprint?state=closed&startAt={start}&maxResults=50", headers)
        sprints += page.get("values", [])
        if page.get("isLast", True) or not page.get("values"):
            break
        start += len(page["values"])
    result = []
    for sprint in sprints:
        closed = sprint.get("completeDate") or sprint.get("endDate")
        if not closed:
            continue
        closed_on = _parse_time(closed).date()
        if closed_on < since:
            continue
        issues = []
        start = 0
        while True:
            query = urllib.parse.urlencode(
                {"fields": f"{field},status", "startAt": start, "maxResults": 100}
            )
            page = _get_json(f"{base}/sprint/{sprint['id']}/issue?{query}", headers)
            issues += page.get("issues", [])
            start += len(page.get("issues", []))
            if not page.get("issues") or start >= page.get("total", 0):
                break
        result.append((closed_on, sprint_points(issues, field)))
    return result


def delivery_rates(sprints: list[tuple[date, Decimal]]) -> dict[date, Decimal]:
    """{period start: mean story points of the sprints closed in it}."""
    by_period: dict[date, list[Decimal]] = defaultdict(list)
    for closed_on, points in sprints:
        by_period[periods.period_start(closed_on)].append(points)
    return {
        start: (sum(values, Decimal(0)) / len(values)).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
        for start, values in by_period.items()
    }


def import_jira_board(board, *, today: date) -> int:
    since = periods.previous_periods(today, 26)[0]
    try:
        sprints = fetch_jira_sprints(
            base_url=board.base_url,
            board_id=board.board_id,
            email=board.email,
            api_token=board.api_token,
            since=since,
        )
    except IntegrationError as error:
        board.last_error = str(error)[:2000]
        board.save(update_fields=["last_error"])
        logger.warning("Jira import for %s failed: %s", board, error)
        return 0
    rates = delivery_rates(sprints)
    refused: list[str] = []
    for start, rate in sorted(rates.items()):
        problem = _record(
            team=board.team,
            metric=Metric.DELIVERY_RATE,
            day=start,
            value=rate,
            source=Source.JIRA,
            entered_via=f"Jira board {board.board_id}",
        )
        if problem:
            refused.append(problem)
    # Once, on the whole history: evaluating after each period would judge (and
    # notify on) a half-imported history, and repeat the work per period.
    if len(rates) > len(refused):
        metrics.evaluate_after_commit([board.team_id])
    board.last_imported_at = timezone.now()
    board.last_error = "; ".join(refused)[:2000]
    board.save(update_fields=["last_imported_at", "last_error"])
    return len(rates) - len(refused)


def _record(**value) -> str:
    """Store one imported value; a value the team could not have is refused, and said why."""
    try:
        metrics.record_metric(**value, evaluate=False)
    except ValidationError as error:
        return f"{value['day']:%-d %b %Y}: {' '.join(error.messages)}"
    return ""


def import_all_jira(*, today: date) -> int:
    return sum(
        import_jira_board(board, today=today)
        for board in JiraBoard.objects.filter(active=True).select_related("team")
    )


# --- PagerDuty ------------------------------------------------------------------


def oncall_hours_per_engineer(
    oncalls: list[dict], *, start: datetime, end: datetime
) -> Decimal | None:
    """Hours per engineer per week on call within [start, end), or None if nobody was."""
    spans: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
    for entry in oncalls:
        user = (entry.get("user") or {}).get("id")
        if not user:
            continue
        begin = _parse_time(entry["start"]) if entry.get("start") else start
        finish = _parse_time(entry["end"]) if entry.get("end") else end
        begin, finish = max(begin, start), min(finish, end)
        if finish > begin:
            spans[user].append((begin, finish))
    if not spans:
        return None
    seconds = 0.0
    for intervals in spans.values():
        intervals.sort()
        current_start, current_end = intervals[0]
        for begin, finish in intervals[1:]:
            if begin <= current_end:
                current_end = max(current_end, finish)
            else:
                seconds += (current_end - current_start).total_seconds()
                current_start, current_end = begin, finish
        seconds += (current_end - current_start).total_seconds()
    weeks = Decimal(str((end - start).total_seconds() / (7 * 24 * 3600)))
    hours = Decimal(str(seconds / 3600))
    return (hours / len(spans) / weeks).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def fetch_oncalls(
    *, base_url: str, api_token: str, schedule_ids: list[str], since: datetime, until: datetime
):
    headers = {
        "Authorization": f"Token token={api_token}",
        "Accept": "application/vnd.pagerduty+json;version=2",
    }
    entries = []
    offset = 0
    while True:
        query = urllib.parse.urlencode(
            [("schedule_ids[]", s) for s in schedule_ids]
            + [
                ("since", since.isoformat()),
                ("until", until.isoformat()),
                ("limit", 100),
                ("offset", offset),
            ]
        )
        page = _get_json(f"{base_url.rstrip('/')}/oncalls?{query}", headers)
        entries += page.get("oncalls", [])
        if not page.get("more") or not page.get("oncalls"):
            break
        offset += len(page["oncalls"])
    return entries


def import_pagerduty_schedule(schedule, *, today: date) -> int:
    """Import the last two completed periods (re-importing one is harmless)."""
    current = periods.period_start(today)
    starts = [current - timedelta(days=periods.PERIOD_DAYS * n) for n in (2, 1)]
    ids = [s.strip() for s in schedule.schedule_ids.split(",") if s.strip()]
    imported = 0
    refused: list[str] = []
    try:
        for start in starts:
            begin = datetime.combine(start, datetime.min.time(), tzinfo=UTC)
            end = begin + timedelta(days=periods.PERIOD_DAYS)
            entries = fetch_oncalls(
                base_url=schedule.base_url,
                api_token=schedule.api_token,
                schedule_ids=ids,
                since=begin,
                until=end,
            )
            hours = oncall_hours_per_engineer(entries, start=begin, end=end)
            if hours is None:
                continue
            problem = _record(
                team=schedule.team,
                metric=Metric.ONCALL_HOURS,
                day=start,
                value=hours,
                source=Source.PAGERDUTY,
                entered_via=f"PagerDuty {schedule.schedule_ids}"[:120],
            )
            if problem:
                refused.append(problem)
            else:
                imported += 1
    except IntegrationError as error:
        schedule.last_error = str(error)[:2000]
        schedule.save(update_fields=["last_error"])
        logger.warning("PagerDuty import for %s failed: %s", schedule, error)
        return imported
    finally:
        # Once for the periods imported (even when a later one failed), not per period.
        if imported:
            metrics.evaluate_after_commit([schedule.team_id])
    schedule.last_imported_at = timezone.now()
    schedule.last_error = "; ".join(refused)[:2000]
    schedule.save(update_fields=["last_imported_at", "last_error"])
    return imported


def import_all_pagerduty(*, today: date) -> int:
    return sum(
        import_pagerduty_schedule(schedule, today=today)
        for schedule in PagerDutySchedule.objects.filter(active=True).select_related("team")
    )
