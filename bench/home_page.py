"""Benchmark: the home page per role at two sizes; report seconds, queries and ratios.

    .venv/bin/python bench/home_page.py [--small 100] [--large 1000]

Builds ``teams`` teams, each with a firing alert and a closed survey round, and
10 loops per team (1,000 teams: 10,000 loops, half of them ready for debrief,
10,000 interviews with draft scorecards) in a throw-away test database (SQLite
by default, or DATABASE_URL), then times each role's home page (best of 5).
The page reads counts and the first three items, so its cost should barely
move with the data: the ratio large / small is printed per role.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import cast

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

ROLES = ("Interviewer", "Recruiter", "Engineer", "Manager", "Director")


def build(teams: int, people: dict) -> None:
    from django.utils import timezone

    from hiring.models import Candidate, Interview, InterviewLoop, Scorecard
    from surveys.models import SurveyRound
    from teamhealth.models import Alert, Membership, Team
    from tests.factories import default_profile

    now = timezone.now()
    profile = default_profile()
    Team.objects.bulk_create(
        Team(name=f"Bench {teams} {n:05d}", slug=f"bench-{teams}-{n:05d}") for n in range(teams)
    )
    team_list = list(Team.objects.filter(name__startswith=f"Bench {teams} "))
    people["Manager"].managed_teams.add(*team_list)
    Membership.objects.bulk_create(
        Membership(team=team, user=people["Engineer"], joined_on=now.date()) for team in team_list
    )
    Alert.objects.bulk_create(
        Alert(team=team, subject="oncall_hours", kind="breach", message=f"[{team.name}] High")
        for team in team_list
    )
    SurveyRound.objects.bulk_create(
        SurveyRound(
            team=team,
            period_start=now.date(),
            status="closed",
            opened_at=now - timedelta(days=14),
            closes_at=now - timedelta(days=1),
            closed_at=now - timedelta(days=1),
            minimum_group_size=5,
            minimum_comments=5,
            response_count=6,
            invited_count=8,
            opening_run=uuid.uuid4(),
        )
        for team in team_list
    )
    candidates = Candidate.objects.bulk_create(
        Candidate(name=f"Candidate {n}", email=f"c{n}@example.com", created_by=people["Recruiter"])
        for n in range(teams * 10)
    )
    loops = InterviewLoop.objects.bulk_create(
        InterviewLoop(
            candidate=candidate,
            role_profile=profile,
            method="starl",
            status="debrief" if n % 2 else "interviewing",
        )
        for n, candidate in enumerate(candidates)
    )
    people["Recruiter"].recruited_loops.add(*loops)
    interviews = Interview.objects.bulk_create(
        Interview(
            loop=loop,
            interviewer=people["Interviewer"],
            title="Technical",
            scheduled_at=now - timedelta(hours=n % 200),
            assesses_technical=True,
        )
        for n, loop in enumerate(loops)
    )
    Scorecard.objects.bulk_create(Scorecard(interview=interview) for interview in interviews)


def measure(teams: int) -> dict[str, tuple[float, int]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from tests.factories import UserFactory

    people = {
        role: cast(User, UserFactory(username=f"bench-{role.lower()}-{teams}", roles=[role]))
        for role in ROLES
    }
    build(teams, people)
    results = {}
    for role, user in people.items():
        client = Client()
        client.force_login(user)
        best = float("inf")
        for _ in range(5):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                if client.get("/").status_code != 200:
                    raise SystemExit(f"The {role}'s home page did not answer 200.")
                best = min(best, time.perf_counter() - started)
        results[role] = (best, len(queries))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--large", type=int, default=1000)
    args = parser.parse_args()

    from bench._scratch import scratch_database

    with scratch_database(logging.INFO):
        # One database: the large size's people see only their own teams and loops (each
        # size has its own people), while every table holds both sizes' rows.

        figures = {size: measure(size) for size in (args.small, args.large)}
    print(f"{'role':<12} {'small s':>8} {'large s':>8} {'queries':>8} {'ratio':>6}")
    for role in ROLES:
        (small, small_q), (large, large_q) = figures[args.small][role], figures[args.large][role]
        print(
            f"{role:<12} {small:8.3f} {large:8.3f} {small_q:>4}/{large_q:<3} {large / small:6.2f}"
        )


if __name__ == "__main__":
    main()
