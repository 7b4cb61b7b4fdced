"""Benchmark: open rounds for N teams of M members; report seconds and queries.

Everything runs in a transaction that is rolled back, so the database is left
as it was. Emails go to an in-memory outbox. Not a test: run it by hand,
``python manage.py bench_open_rounds --teams 1000 --members 10``.
"""

import datetime as dt
import json
import sys
import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from outbox import services as outbox
from surveys import selectors, services
from surveys.models import AnswerCount, Cadence, SurveyRound
from teamhealth.models import Membership, Team


class Rollback(Exception):  # noqa: N818 - control flow, not an error
    pass


class Command(BaseCommand):
    help = "Open survey rounds for many teams and report seconds and queries (rolled back)."

    def add_arguments(self, parser):
        parser.add_argument("--teams", type=int, default=1000)
        parser.add_argument("--members", type=int, default=10)
        parser.add_argument(
            "--json", action="store_true", help="End with one JSON line of the figures."
        )

    def handle(self, *args, teams: int, members: int, **options):
        self.figures: dict[str, float] = {}
        try:
            with (
                override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
                transaction.atomic(),
            ):
                self._run(teams, members)
                raise Rollback
        except Rollback:
            self.stdout.write("Rolled back: the database is unchanged.")
        if options["json"]:
            self.stdout.write("RESULT " + json.dumps(self.figures))

    def _run(self, teams: int, members: int) -> None:
        from django.core import mail

        mail.outbox = []
        start = time.perf_counter()
        team_rows = Team.objects.bulk_create(
            [Team(name=f"bench-team-{i}", slug=f"bench-team-{i}") for i in range(teams)]
        )
        users = User.objects.bulk_create(
            [
                User(username=f"bench-{t}-{m}", email=f"bench-{t}-{m}@example.com")
                for t in range(teams)
                for m in range(members)
            ],
            batch_size=2000,
        )
        joined = timezone.localdate() - dt.timedelta(days=100)
        Membership.objects.bulk_create(
            [
                Membership(team=team_rows[i // members], user=user, joined_on=joined)
                for i, user in enumerate(users)
            ],
            batch_size=2000,
        )
        Cadence.objects.bulk_create([Cadence(team=t, open_days=14) for t in team_rows])
        self.stdout.write(
            f"Set-up of {teams} teams x {members}: {time.perf_counter() - start:.1f} s"
        )

        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            # Not executed: the callback would queue the link sender on the broker.
            with TestCase.captureOnCommitCallbacks(execute=False):
                opened = services.open_due_rounds()
            seconds = time.perf_counter() - start
        invited = sum(o.invited for o in opened)
        self.figures.update(people=teams * members, open_seconds=seconds, open_queries=len(queries))
        self.stdout.write(
            f"Opened {len(opened)} rounds with {invited} invitations "
            f"in {seconds:.2f} s with {len(queries)} queries ({connection.vendor})."
        )

        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            sent = 0
            while True:
                # As the worker runs it, in short runs: the count shows on stderr as it goes.
                run = outbox.deliver_due(budget_seconds=2)
                sent += run.sent
                print(f"\r  sent {sent:,} of {invited:,} links", end="", file=sys.stderr)
                if not run.out_of_time:
                    break
            print(file=sys.stderr)
            seconds = time.perf_counter() - start
        self.figures.update(send_seconds=seconds, send_queries=len(queries))
        self.stdout.write(
            f"Sent {sent} links ({len(mail.outbox)} emails) through the outbox in batches of "
            f"{outbox.BATCH}, one connection for the run, in {seconds:.2f} s "
            f"with {len(queries)} queries."
        )

        # The survey overview's heatmap: every round published with answers,
        # read by someone who sees every team, ordered by the lowest dimension.
        now = timezone.now()
        SurveyRound.objects.filter(team__in=team_rows).update(
            status=SurveyRound.Status.PUBLISHED,
            closed_at=now,
            published_at=now,
            invited_count=members,
            response_count=members - 1,
        )
        AnswerCount.objects.filter(round__team__in=team_rows, value__in=(3, 4)).update(
            count=(members - 1) // 2
        )
        reader = User.objects.create(username="bench-reader", is_superuser=True)
        connection.queries_log.clear()  # a full log (9,000 entries) would count nothing
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            heatmap = selectors.heatmap(reader, sort="lowest")
            seconds = time.perf_counter() - start
        self.figures.update(heatmap_seconds=seconds, heatmap_queries=len(queries))
        self.stdout.write(
            f"Heatmap of {heatmap.teams} teams ({heatmap.shown_teams} shown), first page "
            f"ordered by lowest dimension, in {seconds:.2f} s with {len(queries)} queries."
        )
