"""make bench: a job's line as it finishes, a hung job cut off, the table written anyway."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def harness():
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_run"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    yield module
    del sys.modules["bench_run"]


def _job(harness, name: str, code: str, **options):
    return harness.Job(name, name, [sys.executable, "-c", code], **options)


def test_a_hung_job_is_cut_off_and_the_others_still_make_the_table(
    harness, monkeypatch, tmp_path, capsys
):
    jobs = [
        _job(harness, "quick", 'print("working"); print(\'RESULT {"seconds": 0.5}\')'),
        _job(harness, "hangs", "import time; time.sleep(60)", timeout=1),
        _job(harness, "broken", "raise SystemExit(3)"),
        harness.Job("later", "later", [sys.executable, "bench/not_written_yet.py"], optional=True),
    ]
    monkeypatch.setattr(harness, "JOBS", jobs)
    monkeypatch.setattr(harness, "_database", lambda: "SQLite (test)")
    out = tmp_path / "results.md"

    assert harness.main(["--out", str(out)]) == 1

    printed = capsys.readouterr()
    lines = [
        line for line in printed.out.splitlines() if line.split(" ")[0] in {j.name for j in jobs}
    ]
    assert [line.split()[:2] for line in lines] == [
        ["quick", "ok"],
        ["hangs", "timed"],
        ["broken", "failed"],
        ["later", "not"],
    ]
    assert "working" in printed.err  # a job's own output shows as it runs
    table = out.read_text()
    assert "- database: SQLite (test)" in table
    assert "| quick | ok |" in table
    assert "seconds 0.5" in table
    assert "| hangs | timed out after 1 s |" in table
    assert "| broken | failed |" in table
    assert "exit 3" in table
    assert "| later | not present |" in table


def test_jobs_are_picked_by_group_and_an_unknown_one_is_refused(harness, capsys):
    assert harness.main(["--jobs", "signin,rounds", "--list"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert {line.split()[0] for line in listed} == {"signin", "rounds"}
    assert any("bench/rounds.py --teams 1000" in line for line in listed)
    with pytest.raises(SystemExit):
        harness.main(["--jobs", "nonsense"])


def test_the_scaling_table_gives_the_cost_per_person_at_both_sizes(harness):
    def outcome(teams, people, seconds):
        job = harness.Job(f"survey rounds, {teams} teams x 10", "rounds", [])
        figures = {"people": people, "open_seconds": seconds, "send_seconds": seconds * 2}
        return harness.Outcome(job, "ok", 1.0, [figures])

    rows = harness.scaling_rows([outcome(100, 1000, 1.0), outcome(1000, 10000, 20.0)])
    assert rows == [
        ("open rounds and invitations (ms per person)", "1.000", "2.000", "2.00"),
        ("send the links (ms per person)", "2.000", "4.000", "2.00"),
    ]


def test_pages_and_load_get_tables_of_their_own(harness, tmp_path):
    page = {
        "p50_small_ms": 10.0,
        "p50_large_ms": 12.5,
        "p50_ratio": 1.25,
        "p95_small_ms": 20.0,
        "p95_large_ms": 24.0,
        "p95_ratio": 1.2,
        "queries_small": 7,
        "queries_large": 7,
    }
    scenario = {"req_per_s": 120.0, "ratio": 0.1, "server_cpu_ms": 9.5, "cpu_ratio": 0.11}
    outcomes = [
        harness.Outcome(
            harness.Job("pages", "pages", []),
            "ok",
            60.0,
            [{"small": 10, "large": 1000, "pages": {"org overview": page}}],
        ),
        harness.Outcome(
            harness.Job("load", "load", []),
            "ok",
            90.0,
            [{"survey answer POST": {**scenario, "errors": 0}, "sign_in_server_cpu_ms": 400.0}],
        ),
    ]
    out = tmp_path / "results.md"
    harness.write_table(
        out,
        outcomes,
        harness.datetime.now(harness.UTC),
        {"database": "PostgreSQL", "machine": "test"},
    )
    table = out.read_text()
    assert "| pages | ok | 60.0 | small 10, large 1000 (table below) |" in table
    assert "| load | ok | 90.0 | sign_in_server_cpu_ms 400 (table below) |" in table
    assert "| org overview | 10.0 | 12.5 | 1.25 | 20.0 | 24.0 | 1.20 | 7 / 7 |" in table
    assert "| survey answer POST | 120.0 | 0.100 | 9.50 | 0.110 | 0 |" in table
