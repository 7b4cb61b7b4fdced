from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from teamhealth import csv_import, thresholds
from teamhealth.models import EvaluationRequest, MetricValue
from teamhealth.services import metrics
from tests.factories import TeamFactory, UserFactory

HEADER = "team,metric,period_start,value\n"


BOUNDS = thresholds.Bounds(max_delivery_rate=Decimal(500), history_start=date(2000, 1, 1))


def parse(text, teams=("Backend Payments",), today=date(2026, 11, 26)):
    content = text.encode() if isinstance(text, str) else text
    return csv_import.parse(content, set(teams), today=today, bounds=BOUNDS)


def test_good_rows_are_parsed_to_their_period_start():
    rows, errors = parse(HEADER + "Backend Payments,oncall_hours,2026-11-25,12.5\n")
    assert errors == []
    assert rows[0].period_start.isoformat() == "2026-11-16"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("Backend Payments,oncall_hours,2026-11-25,12,5", "Expected 4 cells, found 5"),
        ("Backend Payments,oncall_hours,2026-11-25,twelve", "Bad number 'twelve'"),
        ("Backend Payments,oncall_hours,2026-11-25,NaN", "Bad number 'NaN'"),
        ("Backend Payments,oncall_hours,25/11/2026,12", "Bad date '25/11/2026'"),
        ("Nowhere,oncall_hours,2026-11-25,12", "Unknown team 'Nowhere'"),
        ("Backend Payments,happiness,2026-11-25,12", "Unknown metric 'happiness'"),
        ("Backend Payments,turnover,2026-11-25,100.5", "Turnover is between 0 and 100, not 100.5"),
        ("Backend Payments,oncall_hours,2026-11-25,-1", "On-call burden is 0 or more, not -1"),
    ],
)
def test_each_bad_row_is_reported_with_its_line(line, message):
    _rows, errors = parse(HEADER + "Backend Payments,delivery_rate,2026-11-25,30\n" + line + "\n")
    assert [e.line for e in errors] == [3]
    assert message in errors[0].message


def test_a_file_over_the_row_limit_is_refused_up_front_not_after_every_row_problem():
    # 10,001 rows for the same period: before, 9,999 duplicate-period problems came first
    # and the row limit was the last of them.
    body = "Backend Payments,delivery_rate,2026-11-25,30\n" * (csv_import.MAX_ROWS + 1)
    rows, errors = parse(HEADER + body)
    assert rows == []
    assert [(e.line, e.message) for e in errors] == [
        (
            0,
            "Too many rows: 10001 after the header, at most 10000 per file. "
            "Split the file and import each part.",
        )
    ]


def test_a_period_that_has_not_begun_is_refused():
    today = date(2026, 11, 26)  # period of 16 Nov to 29 Nov
    rows, errors = csv_import.parse(
        (
            HEADER
            + "Backend Payments,oncall_hours,2026-11-29,5\n"
            + "Backend Payments,delivery_rate,2026-11-30,30\n"
        ).encode(),
        {"Backend Payments"},
        today=today,
        bounds=BOUNDS,
    )
    assert [r.line for r in rows] == [2]
    assert [(e.line, e.message) for e in errors] == [
        (3, "The period starting 30 Nov 2026 has not begun yet.")
    ]


def test_a_duplicate_period_names_the_first_line():
    _rows, errors = parse(
        HEADER
        + "Backend Payments,oncall_hours,2026-11-16,12\n"
        + "Backend Payments,oncall_hours,2026-11-29,13\n"
    )
    assert errors[0].line == 3
    assert "Duplicate period: line 2" in errors[0].message


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("équipe,metric,period_start,value\n".encode("latin-1"), "not UTF-8"),
        ("team;metric;period_start;value\nA;b;c;d\n", "The columns must be team, metric"),
        ("team,metric,value\n", "The columns must be"),
        ("", "The file is empty"),
        (HEADER, "no rows"),
    ],
)
def test_wrong_encoding_or_columns_is_a_file_error(content, message):
    rows, errors = parse(content)
    assert rows == []
    assert errors[0].line == 0
    assert message in errors[0].message


def test_a_utf8_bom_from_excel_is_accepted():
    rows, errors = parse("\ufeff" + HEADER + "Backend Payments,delivery_rate,2026-11-25,30\n")
    assert errors == []
    assert len(rows) == 1


@pytest.mark.django_db
def test_import_is_all_or_nothing():
    team = TeamFactory(name="Backend Payments")
    content = (
        HEADER
        + "Backend Payments,delivery_rate,2026-11-25,30\n"
        + "Backend Payments,oncall_hours,2026-11-25,lots\n"
    ).encode()
    imported, errors = metrics.import_metrics_csv(content=content, user=None, teams=[team])
    assert imported == 0
    assert len(errors) == 1
    assert not MetricValue.objects.exists()


@pytest.mark.django_db
def test_import_page_records_values_with_source_and_person(client_for):
    manager = UserFactory(roles=["Manager"])
    TeamFactory(name="Backend Payments", managers=[manager])
    TeamFactory(name="Someone Else")
    upload = SimpleUploadedFile(
        "values.csv",
        (HEADER + "Backend Payments,delivery_rate,2026-11-25,30\n").encode(),
        content_type="text/csv",
    )
    response = client_for(manager).post("/team-health/values/import/", {"file": upload})
    assert response.status_code == 302
    value = MetricValue.objects.get()
    assert (value.source, value.entered_by, value.entered_via) == ("csv", manager, "CSV import")


@pytest.mark.django_db
def test_import_page_refuses_another_managers_team_and_lists_the_problem(client_for):
    manager = UserFactory(roles=["Manager"])
    TeamFactory(name="Someone Else")
    upload = SimpleUploadedFile(
        "values.csv", (HEADER + "Someone Else,delivery_rate,2026-11-25,30\n").encode()
    )
    response = client_for(manager).post("/team-health/values/import/", {"file": upload})
    assert response.status_code == 200
    assert "Nothing was imported: 1 problem" in response.content.decode()
    assert "Unknown team" in response.content.decode()
    assert not MetricValue.objects.exists()


@pytest.mark.django_db
def test_admin_import_page_imports(client_for, admin_user):
    TeamFactory(name="Backend Payments")
    upload = SimpleUploadedFile(
        "values.csv", (HEADER + "Backend Payments,delivery_rate,2026-11-25,30\n").encode()
    )
    response = client_for(admin_user).post(
        "/admin/teamhealth/metricvalue/import/", {"file": upload}
    )
    assert response.status_code == 200
    assert MetricValue.objects.get().entered_by == admin_user


@pytest.mark.django_db
def test_import_page_lists_the_first_100_problems_and_counts_the_rest(client_for):
    manager = UserFactory(roles=["Manager"])
    TeamFactory(name="Backend Payments", managers=[manager])
    body = "".join(f"Backend Payments,happiness{n},2026-11-25,30\n" for n in range(250))
    upload = SimpleUploadedFile("values.csv", (HEADER + body).encode())
    response = client_for(manager).post("/team-health/values/import/", {"file": upload})
    text = response.content.decode()
    assert "Nothing was imported: 250 problems" in text
    assert "Unknown metric &#x27;happiness99&#x27;" in text
    assert "happiness100" not in text
    assert "The first 100 problems are shown; 150 more are not." in text


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        # Over the csv module's own limit of 128 KiB per cell.
        (f'"{"x" * (200 * 1024)}",oncall_hours,2026-11-25,12', "cannot be read as CSV"),
        (f"{'x' * 2_000},oncall_hours,2026-11-25,12", "A cell is longer than 1000 characters."),
        ("Backend Payments,oncall_hours,2026-11-25,1\x002", "Bad number"),
        ("Backend Payments,oncall_hours,0001-01-01,12", "0001-01-01 is before the start"),
        ("Backend Payments,oncall_hours,9999-12-31,12", "has not begun yet"),
        ("Backend Payments,turnover_x,2026-11-25,1e999999", "Unknown metric"),
        ("Backend Payments,oncall_hours,2026-11-25,1e999999", "at most 168 hours"),
    ],
)
def test_a_cell_no_file_should_have_is_reported_with_its_line(cells, message):
    rows, errors = parse(HEADER + cells + "\n")
    assert rows == []
    assert errors[0].line == 2
    assert message in errors[0].message


@pytest.mark.django_db
def test_a_10000_row_import_takes_the_same_queries_as_an_8_row_one_but_for_insert_batches():
    def content(teams, periods):
        lines = [
            f"{team.name},{metric},{date(2022, 1, 3) + timedelta(days=14 * p)},{p % 50}"
            for team in teams
            for metric in ("oncall_hours", "delivery_rate", "turnover", "feedback_score")
            for p in range(periods)
        ]
        return (HEADER + "\n".join(lines) + "\n").encode()

    def queries(teams, periods):
        with CaptureQueriesContext(connection) as captured:
            imported, errors = metrics.import_metrics_csv(
                content=content(teams, periods), user=None, teams=teams
            )
        assert errors == []
        inserts = [q for q in captured if 'INSERT INTO "teamhealth_metricvalue"' in q["sql"]]
        return imported, len(captured) - len(inserts), len(inserts)

    small = [TeamFactory(name="Small")]
    teams = [TeamFactory(name=f"Team {i}") for i in range(25)]
    assert queries(small, 2) == (8, 4, 1)
    # As many INSERT … ON CONFLICT UPDATE as the database's batch size asks, nothing per row.
    fields = [f for f in MetricValue._meta.concrete_fields if not f.primary_key]
    batch = min(connection.ops.bulk_batch_size(fields, [None] * 10_000), 500)
    assert queries(teams, 100) == (10_000, 4, -(-10_000 // batch))
    assert MetricValue.objects.count() == 10_008
    assert EvaluationRequest.objects.count() == 26


@pytest.mark.django_db
def test_an_import_replaces_values_already_stored_in_bulk():
    team = TeamFactory(name="Backend Payments")
    line = "Backend Payments,delivery_rate,2026-11-25,{}\n"
    metrics.import_metrics_csv(content=(HEADER + line.format(30)).encode(), user=None, teams=[team])
    user = UserFactory()
    imported, _ = metrics.import_metrics_csv(
        content=(HEADER + line.format(31)).encode(), user=user, teams=[team]
    )
    stored = MetricValue.objects.get()
    assert (imported, stored.value, stored.entered_by, stored.source) == (
        1,
        Decimal(31),
        user,
        "csv",
    )
