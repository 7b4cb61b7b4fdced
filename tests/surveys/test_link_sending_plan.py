"""The plans PostgreSQL chooses for sending survey links, at 10,000 invitations.

Rows inserted in bulk have no statistics until ANALYZE runs, and a planner
without statistics once chose nested loops over every user and round and
re-read every pending invitation for each batch. Here the rows are fresh (in
the test's transaction, invisible to autovacuum), half the links are already
sent, and every query of one claim-and-render batch is run under EXPLAIN
ANALYZE: each must reach the big tables by index, touching about a batch of
rows, never scanning them whole.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from outbox import services as outbox
from outbox.models import Message
from surveys import links, services
from surveys.models import Cadence
from teamhealth.models import Membership, Team

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

TEAMS, MEMBERS = 1000, 10
BIG = {
    "outbox_message",
    "surveys_invitation",
    "accounts_user",
    "surveys_surveyround",
    "teamhealth_team",
}


def _open_rounds(django_capture_on_commit_callbacks) -> None:
    teams = Team.objects.bulk_create(
        [Team(name=f"plan-{i}", slug=f"plan-{i}") for i in range(TEAMS)]
    )
    users = User.objects.bulk_create(
        [
            User(username=f"plan-{t}-{m}", email=f"plan-{t}-{m}@example.com")
            for t in range(TEAMS)
            for m in range(MEMBERS)
        ],
        batch_size=2000,
    )
    joined = timezone.localdate() - dt.timedelta(days=100)
    Membership.objects.bulk_create(
        [
            Membership(team=teams[i // MEMBERS], user=user, joined_on=joined)
            for i, user in enumerate(users)
        ],
        batch_size=2000,
    )
    Cadence.objects.bulk_create([Cadence(team=t, open_days=14) for t in teams])
    # People and teams exist long before a round opens, their statistics with them.
    # What the opening itself inserts (rounds, invitations, messages) is left to the job.
    with connection.cursor() as cursor:
        for model in (User, Team, Membership):
            cursor.execute(f"ANALYZE {model._meta.db_table}")
    with django_capture_on_commit_callbacks(execute=False):
        opened = services.open_due_rounds()
    assert sum(o.invited for o in opened) == TEAMS * MEMBERS


def _nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def test_one_batch_reads_a_batch_by_index_even_before_analyze(django_capture_on_commit_callbacks):
    _open_rounds(django_capture_on_commit_callbacks)
    links_queued = Message.objects.filter(kind=links.INVITATION)
    assert links_queued.count() == TEAMS * MEMBERS
    # Halfway through a run: the first half went out.
    halfway = links_queued.order_by("pk").values_list("pk", flat=True)[TEAMS * MEMBERS // 2]
    links_queued.filter(pk__lt=halfway).update(status=Message.Status.SENT, sent_at=timezone.now())

    with CaptureQueriesContext(connection) as captured:
        # The first batch of a new run, then the next one of the same run.
        first = outbox._claim("plan-test", outbox.BATCH)
        claimed = outbox._claim("plan-test", outbox.BATCH, after=first[-1].pk)
        rendered = links.render(claimed)
    assert first[0].pk == halfway
    assert len(claimed) == outbox.BATCH
    assert claimed[0].pk > first[-1].pk
    assert all(rendered.values())

    selects = [q["sql"] for q in captured if q["sql"].lstrip().upper().startswith("SELECT")]
    assert len(selects) >= 4
    with connection.cursor() as cursor:
        for sql in selects:
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
            raw = cursor.fetchone()[0]
            plan = (json.loads(raw) if isinstance(raw, str) else raw)[0]["Plan"]
            for node in _nodes(plan):
                table = node.get("Relation Name")
                if table not in BIG:
                    continue
                assert node["Node Type"] != "Seq Scan", (table, sql, plan)
                touched = node["Actual Rows"] * node["Actual Loops"]
                # An index lookup of the batch, not a loop over every row of the table.
                assert touched <= 10 * outbox.BATCH, (table, touched, sql, plan)
                removed = node.get("Rows Removed by Filter", 0) * node["Actual Loops"]
                assert removed <= 10 * outbox.BATCH, (table, removed, sql, plan)
