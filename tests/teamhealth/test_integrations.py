"""Jira and PagerDuty importers against local fake servers: nothing leaves the machine."""

import base64
import json
import threading
import urllib.parse
from datetime import UTC, date, datetime
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from teamhealth import integrations, tasks
from teamhealth.models import JiraBoard, MetricValue, PagerDutySchedule
from tests.factories import TeamFactory

TODAY = date(2026, 11, 25)  # period starts 16 Nov; previous ones 2 Nov, 19 Oct


class FakeApi(BaseHTTPRequestHandler):
    routes: dict = {}
    requests: list = []

    def do_GET(self):
        parsed = urllib.parse.urlparse(self.path)
        self.requests.append((parsed.path, urllib.parse.parse_qs(parsed.query), dict(self.headers)))
        answer = self.routes.get(parsed.path)
        if callable(answer):
            answer = answer(urllib.parse.parse_qs(parsed.query))
        if answer is None:
            self.send_response(404)
            self.end_headers()
            return
        body = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_api():
    FakeApi.routes = {}
    FakeApi.requests = []
    server = HTTPServer(("127.0.0.1", 0), FakeApi)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def issue(points, done=True, field="customfield_10016"):
    return {
        "fields": {
            field: points,
            "status": {"statusCategory": {"key": "done" if done else "indeterminate"}},
        }
    }


def test_sprint_points_count_only_done_issues_with_a_number():
    issues = [issue(5), issue(3), issue(8, done=False), issue(None), issue("x")]
    assert integrations.sprint_points(issues, "customfield_10016") == Decimal(8)


def test_delivery_rate_is_the_mean_of_the_sprints_closed_in_a_period():
    rates = integrations.delivery_rates(
        [
            (date(2026, 11, 3), Decimal(20)),
            (date(2026, 11, 10), Decimal(31)),
            (date(2026, 11, 20), Decimal(7)),
        ]
    )
    assert rates == {date(2026, 11, 2): Decimal("25.50"), date(2026, 11, 16): Decimal("7.00")}


def evaluation_requests() -> list[int]:
    from teamhealth.models import EvaluationRequest

    return list(EvaluationRequest.objects.values_list("team_id", flat=True))


@pytest.mark.django_db
def test_jira_import_reads_the_story_point_field_from_the_board_configuration(
    fake_api, monkeypatch, django_capture_on_commit_callbacks
):
    FakeApi.routes = {
        "/rest/agile/1.0/board/42/configuration": {
            "estimation": {"type": "field", "field": {"fieldId": "customfield_20001"}}
        },
        "/rest/agile/1.0/board/42/sprint": lambda q: {
            "isLast": q["startAt"] == ["1"],
            "values": (
                [{"id": 7, "state": "closed", "completeDate": "2026-11-04T17:00:00.000Z"}]
                if q["startAt"] == ["0"]
                else [{"id": 8, "state": "closed", "completeDate": "2026-11-18T17:00:00.000Z"}]
            ),
        },
        "/rest/agile/1.0/board/42/sprint/7/issue": {
            "total": 2,
            "issues": [issue(13, field="customfield_20001"), issue(8, field="customfield_20001")],
        },
        "/rest/agile/1.0/board/42/sprint/8/issue": {
            "total": 2,
            "issues": [issue(5, field="customfield_20001"), issue(40, False, "customfield_20001")],
        },
    }
    team = TeamFactory()
    board = JiraBoard.objects.create(
        team=team, base_url=fake_api, board_id=42, email="bot@example.com", api_token="jira-tok"
    )
    with django_capture_on_commit_callbacks(execute=False):
        assert integrations.import_jira_board(board, today=TODAY) == 2
    # The team is evaluated once, on both imported periods, not once per period.
    assert evaluation_requests() == [team.pk]
    values = {
        mv.period_start: (mv.value, mv.source, mv.entered_via)
        for mv in MetricValue.objects.filter(metric="delivery_rate")
    }
    assert values == {
        date(2026, 11, 2): (Decimal("21.00"), "jira", "Jira board 42"),
        date(2026, 11, 16): (Decimal("5.00"), "jira", "Jira board 42"),
    }
    auth = FakeApi.requests[0][2]["Authorization"]
    assert auth == "Basic " + base64.b64encode(b"bot@example.com:jira-tok").decode()
    assert FakeApi.requests[-1][1]["fields"] == ["customfield_20001,status"]
    board.refresh_from_db()
    assert board.last_imported_at is not None
    assert board.last_error == ""


@pytest.mark.django_db
def test_jira_import_failure_is_recorded_on_the_board(fake_api):
    board = JiraBoard.objects.create(
        team=TeamFactory(), base_url=fake_api, board_id=1, email="a@b.c", api_token="t"
    )
    assert tasks.import_jira_boards() == 0
    board.refresh_from_db()
    assert "answered 404" in board.last_error
    assert not MetricValue.objects.exists()


def test_oncall_hours_merge_overlaps_per_person_and_divide_by_people_and_weeks():
    start = datetime(2026, 11, 2, tzinfo=UTC)
    end = datetime(2026, 11, 16, tzinfo=UTC)
    oncalls = [
        # Ana: a full week, plus an escalation-level duplicate of the same shift
        {"user": {"id": "ANA"}, "start": "2026-11-02T00:00:00Z", "end": "2026-11-09T00:00:00Z"},
        {"user": {"id": "ANA"}, "start": "2026-11-02T00:00:00Z", "end": "2026-11-09T00:00:00Z"},
        # Ben: 2 days, starting before the period (clipped to 1 day inside it)
        {"user": {"id": "BEN"}, "start": "2026-11-01T00:00:00Z", "end": "2026-11-03T00:00:00Z"},
    ]
    # (168 + 24) hours / 2 people / 2 weeks = 48
    hours = integrations.oncall_hours_per_engineer(oncalls, start=start, end=end)
    assert hours == Decimal("48.00")
    assert integrations.oncall_hours_per_engineer([], start=start, end=end) is None


@pytest.mark.django_db
def test_pagerduty_import_pages_through_oncalls_and_records_two_periods(
    fake_api, monkeypatch, django_capture_on_commit_callbacks
):

    def oncalls(query):
        offset = int(query["offset"][0])
        since = query["since"][0]
        base = since[:10]
        entries = [
            {
                "user": {"id": "ANA"},
                "start": f"{base}T00:00:00+00:00",
                "end": f"{base}T12:00:00+00:00",
            },
            {
                "user": {"id": "BEN"},
                "start": f"{base}T12:00:00+00:00",
                "end": f"{base}T18:00:00+00:00",
            },
        ]
        return {"oncalls": [entries[offset]], "more": offset == 0, "offset": offset, "limit": 1}

    FakeApi.routes = {"/oncalls": oncalls}
    team = TeamFactory()
    schedule = PagerDutySchedule.objects.create(
        team=team, base_url=fake_api, api_token="pd-tok", schedule_ids="PABC, PDEF"
    )
    with django_capture_on_commit_callbacks(execute=False):
        assert integrations.import_pagerduty_schedule(schedule, today=TODAY) == 2
    assert evaluation_requests() == [team.pk]
    values = dict(
        MetricValue.objects.filter(metric="oncall_hours").values_list("period_start", "value")
    )
    # (12 + 6) hours / 2 people / 2 weeks = 4.5
    assert values == {date(2026, 10, 19): Decimal("4.50"), date(2026, 11, 2): Decimal("4.50")}
    _path, query, headers = FakeApi.requests[0]
    assert query["schedule_ids[]"] == ["PABC", "PDEF"]
    assert headers["Authorization"] == "Token token=pd-tok"
    assert MetricValue.objects.first().source == "pagerduty"


@pytest.mark.django_db
def test_the_import_schedules_are_seeded_for_beat():
    from django_celery_beat.models import PeriodicTask

    tasks_by_name = dict(PeriodicTask.objects.values_list("name", "task"))
    assert tasks_by_name["Team health: Jira import"] == "teamhealth.tasks.import_jira_boards"
    assert tasks_by_name["Team health: PagerDuty import"] == (
        "teamhealth.tasks.import_pagerduty_schedules"
    )
    assert tasks_by_name["Team health: nightly evaluation"] == "teamhealth.tasks.evaluate_all_teams"


@pytest.mark.django_db
def test_an_imported_value_no_team_could_have_is_refused_and_the_board_says_why(monkeypatch):
    team = TeamFactory()
    board = JiraBoard.objects.create(
        team=team, base_url="http://127.0.0.1:9", board_id=7, email="b@example.com", api_token="t"
    )
    monkeypatch.setattr(integrations, "fetch_jira_sprints", lambda **kwargs: [])
    monkeypatch.setattr(
        integrations,
        "delivery_rates",
        lambda sprints: {date(2026, 11, 2): Decimal("100000"), date(2026, 11, 16): Decimal("30")},
    )
    assert integrations.import_jira_board(board, today=TODAY) == 1
    assert list(MetricValue.objects.values_list("period_start", "value")) == [
        (date(2026, 11, 16), Decimal("30.00"))
    ]
    board.refresh_from_db()
    assert board.last_error.startswith("2 Nov 2026: ")
    assert evaluation_requests() == [team.pk]
