"""How Keel's pages hold up as data grows: each page at two sizes, side by side.

    DATABASE_URL=postgres://… .venv/bin/python bench/pages.py [--small 10] [--large 1000]
        [--requests 200] [--json]

A size of N means N teams with 26 periods of the four metrics (evaluated, so
alerts are open where values are past their thresholds), 10·N decided loops
of three submitted scorecards each (one interviewer sat in every loop), and a
survey round of N answers. Two throw-away databases are built (test_<name>_s<N>),
never your data, and dropped at the end. Then each page is requested by a
signed-in user of the right role with Django's test client (DEBUG off), in
blocks of 20 requests alternating between the two databases so that both
sizes see the same machine load, and one line per page is printed as it
finishes: p50 and p95 at each size, their ratios (large / small: 1.00 means
the page does not slow down as data grows), the queries of one request at
each size and the HTML size at the large one. ``--json`` ends with a line
``RESULT {json}``. Use PostgreSQL: SQLite works but is not what is deployed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

BLOCK = 20  # requests in a row on one database before switching to the other


def build(scale: int, rng: random.Random) -> dict:
    """Fill the current database at ``scale``; return the pages' users and URLs."""
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from accounts.models import User
    from bench._scratch import metric_values
    from hiring.models import (
        Candidate,
        Interview,
        InterviewLoop,
        InterviewMethod,
        LoopOutcome,
        Scorecard,
    )
    from surveys import services as surveys
    from surveys.models import Cadence, Invitation, Question, SurveyRound
    from teamhealth import periods
    from teamhealth.models import Membership, MetricValue, Team
    from teamhealth.services import evaluation
    from tests.factories import default_profile

    now = timezone.now()
    today = timezone.localdate()

    def person(username: str, role: str) -> User:
        user = User.objects.create(
            username=username, email=f"{username}@example.com", first_name=username.title()
        )
        user.groups.add(Group.objects.get_or_create(name=role)[0])
        return user

    person("dana", "Director")
    manager = person("maya", "Manager")
    recruiter = person("rita", "Recruiter")
    interviewer = person("ivy", "Interviewer")
    panel = [person(f"panel-{i}", "Interviewer") for i in range(20)]

    # Teams and 26 periods of every metric.
    Team.objects.bulk_create(Team(name=f"Team {i:04d}", slug=f"team-{i:04d}") for i in range(scale))
    teams = list(Team.objects.order_by("pk"))
    Team.managers.through.objects.create(team_id=teams[0].pk, user_id=manager.pk)
    starts = periods.previous_periods(today, 26)
    values = metric_values(teams, starts, rng)
    MetricValue.objects.bulk_create(values, batch_size=5000)
    ids = [t.pk for t in teams]
    for offset in range(0, len(ids), 200):
        evaluation.evaluate_teams(team_ids=ids[offset : offset + 200], today=today)

    # Decided loops, three submitted scorecards each; ivy sat in every one.
    profile = default_profile()
    loops_count = 10 * scale
    Candidate.objects.bulk_create(
        (
            Candidate(name=f"Candidate {i:05d}", email=f"c{i}@example.com", created_by=recruiter)
            for i in range(loops_count)
        ),
        batch_size=5000,
    )
    candidates = list(Candidate.objects.order_by("pk").values_list("pk", flat=True))
    methods = list(InterviewMethod.values)
    InterviewLoop.objects.bulk_create(
        (
            InterviewLoop(
                candidate_id=pk,
                role_profile=profile,
                method=rng.choice(methods),
                status=InterviewLoop.Status.DECIDED,
            )
            for pk in candidates
        ),
        batch_size=5000,
    )
    loops = list(InterviewLoop.objects.order_by("pk").values_list("pk", flat=True))
    InterviewLoop.recruiters.through.objects.bulk_create(
        (
            InterviewLoop.recruiters.through(interviewloop_id=pk, user_id=recruiter.pk)
            for pk in loops
        ),
        batch_size=5000,
    )
    interviews = []
    for index, loop_id in enumerate(loops):
        day = now - timedelta(days=400) + timedelta(minutes=index * 50)
        for seat, sitter in enumerate((interviewer, *rng.sample(panel, 2))):
            interviews.append(
                Interview(
                    loop_id=loop_id,
                    interviewer=sitter,
                    title=("Technical", "System design", "Behavioural")[seat],
                    scheduled_at=day + timedelta(hours=seat),
                    assesses_technical=True,
                    assesses_leadership=True,
                    assesses_culture=True,
                )
            )
    Interview.objects.bulk_create(interviews, batch_size=5000)
    cards = []
    for interview in Interview.objects.order_by("pk").values("pk", "scheduled_at"):
        cards.append(
            Scorecard(
                interview_id=interview["pk"],
                technical=Decimal(rng.randint(40, 95)),
                leadership=Decimal(rng.randint(40, 95)),
                culture=Decimal(rng.randint(40, 95)),
                recommendation=rng.choice(["strong_no", "no", "yes", "strong_yes"]),
                status=Scorecard.Status.SUBMITTED,
                submitted_at=interview["scheduled_at"] + timedelta(hours=rng.randint(1, 60)),
                saved_at=interview["scheduled_at"] + timedelta(hours=1),
            )
        )
    Scorecard.objects.bulk_create(cards, batch_size=5000)
    outcomes = []
    for index, loop_id in enumerate(loops):
        offer = rng.random() < 0.5
        accepted = offer and rng.random() < 0.8
        decided_at = now - timedelta(days=390) + timedelta(minutes=index * 50)
        outcomes.append(
            LoopOutcome(
                loop_id=loop_id,
                decision="offer" if offer else "no_offer",
                offer_accepted=accepted if offer else None,
                hours=Decimal(rng.randint(3, 12)),
                cost=Decimal(rng.randint(200, 3000)),
                decided_at=decided_at,
                decided_by=recruiter,
                start_date=(decided_at + timedelta(days=20)).date() if accepted else None,
                six_month_outcome=rng.choice(["performing", "performing", "bad_hire", "left"])
                if accepted
                else "",
                outcome_recorded_at=decided_at + timedelta(days=200) if accepted else None,
            )
        )
    LoopOutcome.objects.bulk_create(outcomes, batch_size=5000)
    # A loop in progress: ivy has one interview to score and one coming up.
    active = InterviewLoop.objects.create(
        candidate=Candidate.objects.create(
            name="Active Candidate", email="active@example.com", created_by=recruiter
        ),
        role_profile=profile,
        method=methods[0],
        status=InterviewLoop.Status.INTERVIEWING,
    )
    active.recruiters.add(recruiter)
    for hours in (-3, 30):
        pending = Interview.objects.create(
            loop=active,
            interviewer=interviewer,
            title="Pairing",
            scheduled_at=now + timedelta(hours=hours),
            assesses_technical=True,
        )
        Scorecard.objects.create(interview=pending)

    # A survey round of team 0 answered by ``scale`` engineers.
    engineer = Group.objects.get_or_create(name="Engineer")[0]
    User.objects.bulk_create(
        (
            User(username=f"eng-{i:05d}", email=f"eng{i}@example.com", first_name="Eng")
            for i in range(scale)
        ),
        batch_size=5000,
    )
    members = list(User.objects.filter(username__startswith="eng-").values_list("pk", flat=True))
    User.groups.through.objects.bulk_create(
        (User.groups.through(user_id=pk, group_id=engineer.pk) for pk in members),
        batch_size=5000,
    )
    Membership.objects.bulk_create(
        (
            Membership(team=teams[0], user_id=pk, joined_on=today - timedelta(days=400))
            for pk in members
        ),
        batch_size=5000,
    )
    Cadence.objects.update_or_create(team=teams[0], defaults={"open_days": 14})
    opened = now - timedelta(days=1)
    surveys.open_due_rounds(now=opened)
    survey_round = SurveyRound.objects.get(team=teams[0])
    likert = list(survey_round.questions.filter(kind=Question.Kind.LIKERT))
    others = list(survey_round.questions.exclude(kind=Question.Kind.LIKERT))
    for invitation in Invitation.objects.filter(round=survey_round).select_related("round"):
        answers: dict[int, int | None] = {q.pk: rng.randint(1, 5) for q in likert}
        answers.update({q.pk: rng.randint(0, 10) for q in others})
        comment = rng.choice(["", "", "", "More time for tests, please."])
        surveys.record_survey_answers(
            invitation=invitation, answers=answers, comment=comment, now=opened
        )
    surveys.close_round(survey_round=survey_round, now=now)

    latest_loop = InterviewLoop.objects.filter(status="decided").order_by("-pk").first()
    latest_done = (
        Interview.objects.filter(interviewer=interviewer, scorecard__status="submitted")
        .order_by("-pk")
        .first()
    )
    if latest_loop is None or latest_done is None:
        raise RuntimeError("the data has no decided loop or no submitted scorecard")
    return {
        "My interviews": ("ivy", "/hiring/interviews/"),
        "Org overview": ("dana", "/team-health/org/"),
        "Hiring analytics": ("rita", "/hiring/analytics/"),
        "Candidates, decided tab": ("rita", "/hiring/candidates/?view=decided"),
        "Survey overview": ("dana", "/surveys/overview/"),
        "Team page": ("maya", f"/team-health/teams/{teams[0].slug}/"),
        "Loop summary": ("rita", f"/hiring/loops/{latest_loop.pk}/"),
        "Scorecard": ("ivy", f"/hiring/interviews/{latest_done.pk}/scorecard/"),
        "Survey results": ("maya", f"/surveys/rounds/{survey_round.pk}/"),
        "Home page": ("dana", "/"),
    }


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=10, help="teams at the small size")
    parser.add_argument("--large", type=int, default=1000, help="teams at the large size")
    parser.add_argument("--requests", type=int, default=200, help="requests per page and size")
    parser.add_argument(
        "--pages", default="", help="only pages whose name contains one of these (comma-separated)"
    )
    parser.add_argument("--json", action="store_true", help="End with one JSON line of figures.")
    parser.add_argument(
        "--keep", action="store_true", help="Keep the two databases (to EXPLAIN queries)."
    )
    args = parser.parse_args()

    import django

    django.setup()
    import logging

    logging.disable(logging.WARNING)
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from accounts.models import User

    setup_test_environment()
    if settings.DEBUG:
        raise SystemExit("Measure with DEBUG off.")
    base = dict(connection.settings_dict)
    sizes = {"small": args.small, "large": args.large}
    names: dict[str, str] = {}
    pages: dict[str, dict] = {}
    clients: dict[tuple[str, str], Client] = {}

    def use(label: str) -> None:
        connection.close()
        connection.settings_dict["NAME"] = names[label]
        settings.DATABASES["default"]["NAME"] = names[label]
        cache.clear()

    try:
        for label, scale in sizes.items():
            test = dict(base.get("TEST") or {})
            if connection.vendor == "sqlite":
                scratch = Path(settings.BASE_DIR) / "var" / "bench"
                scratch.mkdir(parents=True, exist_ok=True)
                test["NAME"] = str(scratch / f"pages_s{scale}_{label}.sqlite3")
            else:
                test["NAME"] = f"test_{base['NAME']}_pages_{label}"
            connection.settings_dict["TEST"] = test
            connection.settings_dict["NAME"] = base["NAME"]
            began = time.perf_counter()
            names[label] = connection.creation.create_test_db(
                verbosity=0, autoclobber=True, keepdb=False
            )
            pages[label] = build(scale, random.Random(scale))  # noqa: S311 - synthetic data
            with connection.cursor() as cursor:
                # A database in use has its statistics kept by autovacuum; a freshly
                # bulk-loaded one has none, and its plans would be a fresh load's.
                cursor.execute("ANALYZE")
            print(
                f"Built {label} ({scale} teams, {10 * scale} decided loops, "
                f"a round of {scale} answers) in {time.perf_counter() - began:.0f} s "
                f"on {connection.vendor}",
                flush=True,
            )
            connection.close()
        for label in sizes:
            use(label)
            for username in {user for user, _ in pages[label].values()}:
                client = Client()
                client.force_login(User.objects.get(username=username))
                clients[(label, username)] = client

        results: dict[str, dict] = {}
        print(
            f"\n{'page':<26} {'p50 s':>8} {'p50 L':>8} {'ratio':>6} {'p95 s':>8} {'p95 L':>8} "
            f"{'ratio':>6} {'q s':>4} {'q L':>4} {'HTML L':>9}",
            flush=True,
        )
        for page in pages["small"]:
            wanted = [part.strip().lower() for part in args.pages.split(",") if part.strip()]
            if wanted and not any(part in page.lower() for part in wanted):
                continue
            times: dict[str, list[float]] = {label: [] for label in sizes}
            queries: dict[str, int] = {}
            html: dict[str, int] = {}
            for label in sizes:  # warm up, count queries, check the page answers
                use(label)
                username, url = pages[label][page]
                client = clients[(label, username)]
                client.get(url)
                with CaptureQueriesContext(connection) as captured:
                    response = client.get(url)
                if response.status_code != 200:
                    raise SystemExit(f"{page} at {label}: HTTP {response.status_code} for {url}")
                queries[label] = len(captured.captured_queries)
                html[label] = len(response.content)
            remaining = dict.fromkeys(sizes, args.requests)
            while any(remaining.values()):
                for label in sizes:
                    if not remaining[label]:
                        continue
                    use(label)
                    connection.ensure_connection()
                    username, url = pages[label][page]
                    client = clients[(label, username)]
                    for _ in range(min(BLOCK, remaining[label])):
                        began = time.perf_counter()
                        client.get(url)
                        times[label].append((time.perf_counter() - began) * 1000)
                    remaining[label] -= min(BLOCK, remaining[label])
            row = {f"p50_{label}_ms": round(percentile(times[label], 0.5), 1) for label in sizes}
            row.update(
                {f"p95_{label}_ms": round(percentile(times[label], 0.95), 1) for label in sizes}
            )
            row["p50_ratio"] = round(row["p50_large_ms"] / row["p50_small_ms"], 2)
            row["p95_ratio"] = round(row["p95_large_ms"] / row["p95_small_ms"], 2)
            row.update({f"queries_{label}": queries[label] for label in sizes})
            row.update({f"html_{label}_bytes": html[label] for label in sizes})
            row["mean_large_ms"] = round(statistics.fmean(times["large"]), 1)
            results[page] = row
            print(
                f"{page:<26} {row['p50_small_ms']:8.1f} {row['p50_large_ms']:8.1f} "
                f"{row['p50_ratio']:6.2f} {row['p95_small_ms']:8.1f} {row['p95_large_ms']:8.1f} "
                f"{row['p95_ratio']:6.2f} {queries['small']:4d} {queries['large']:4d} "
                f"{html['large'] / 1024:7.0f} KB",
                flush=True,
            )
        print(
            f"\nms per request, {args.requests} sequential requests per page and size, "
            f"sizes {args.small} and {args.large} teams, {connection.vendor}, DEBUG off. "
            "Ratios are large / small."
        )
        if args.json:
            print(
                "RESULT " + json.dumps({"small": args.small, "large": args.large, "pages": results})
            )
    finally:
        for name in names.values() if not args.keep else ():
            connection.close()
            connection.settings_dict["NAME"] = name
            connection.creation.destroy_test_db(base["NAME"], verbosity=0)


if __name__ == "__main__":
    main()
