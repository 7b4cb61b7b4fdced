"""Anonymity by construction: the proofs docs/anonymity.md points at."""

import datetime as dt
import logging
import re
import time
import uuid
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from surveys import services, tokens
from surveys.models import AnswerCount, Comment, Invitation, Question, SurveyRound
from tests.factories import UserFactory, team_with_members

from .conftest import answered_round, links_from_outbox, open_link, open_round, token_of

pytestmark = pytest.mark.django_db

ANSWER_TABLES = {
    "surveys_answercount": {"id", "round_id", "question_id", "value", "count"},
    "surveys_comment": {"id", "round_id", "text"},
}
# The only things an answer row may share with another table: its round and its
# question, which every invited member of the team shares.
ALLOWED_LINKS = {
    ("round_id", "surveys_surveyround", "id"),
    ("question_id", "surveys_question", "id"),
}


def dump_database() -> dict[str, tuple[list[str], list[tuple]]]:
    """Every table of the database: {table: (column names, rows)}."""
    dump = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 - names from introspection
            columns = [c[0] for c in cursor.description]
            dump[table] = (columns, cursor.fetchall())
    return dump


def _normalise(value):
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, str) and len(value) == 36 and value.count("-") == 4:
        return value.replace("-", "")
    return value


@pytest.fixture
def finished_round(django_capture_on_commit_callbacks):
    """A realistic round: 7 invited, 6 answered with varied answers and comments, published."""
    manager = UserFactory(roles=["Manager"])
    team = team_with_members(7, manager=manager)
    with django_capture_on_commit_callbacks(execute=True):
        survey_round = open_round(team)
    links = links_from_outbox()
    likert = list(survey_round.questions.filter(kind=Question.Kind.LIKERT))
    enps = survey_round.questions.get(kind=Question.Kind.ENPS)
    comments = [f"Private thought number {i}" for i in range(6)]
    expiries = {}  # session key: its expiry as set when signing in
    # Five answer from their emailed links, the sixth signed in (after opening
    # the link too); all of them also signed in before, so each has a session.
    for index, (address, link) in enumerate(sorted(links.items())[:6]):
        client = Client()
        client.force_login(team.memberships.get(user__email=address).user)
        form_url = open_link(client, link)
        key = client.session.session_key
        expiries[key] = Session.objects.get(session_key=key).expire_date
        if index == 5:
            form_url = reverse("surveys:answer", args=[survey_round.pk])
        data = {f"q{q.pk}": 1 + (index + q.pk) % 5 for q in likert}
        data[f"q{enps.pk}"] = index
        data["comment"] = comments[index]
        client.post(form_url, data)
    survey_round = services.close_round(survey_round=survey_round)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_results(survey_round=survey_round, by=manager, note="Thanks")
    return survey_round, links, comments, expiries


def test_the_database_dump_has_no_join_from_answers_to_people(finished_round):
    survey_round, links, comments, expiries = finished_round
    assert survey_round.response_count == 6
    dump = dump_database()

    # 1. Answer tables hold exactly these columns: no person, time, IP, agent or token.
    for table, expected in ANSWER_TABLES.items():
        assert set(dump[table][0]) == expected, table

    # 2. No foreign key anywhere points at an answer table, and the answer tables
    #    point only at the round and the question.
    with connection.cursor() as cursor:
        for table in dump:
            for column, (target_column, target_table) in connection.introspection.get_relations(
                cursor, table
            ).items():
                assert target_table not in ANSWER_TABLES, (table, column)
                if table in ANSWER_TABLES:
                    assert (column, target_table, target_column) in ALLOWED_LINKS

    # 3. Answer rows are named by random UUIDs that no other table holds, so
    #    nothing can join to one answer row other than through round and question.
    elsewhere = {
        _normalise(value)
        for table, (_, rows) in dump.items()
        if table not in ANSWER_TABLES
        for row in rows
        for value in row
    }
    for table in ANSWER_TABLES:
        columns, rows = dump[table]
        ids = {_normalise(row[columns.index("id")]) for row in rows}
        assert all(len(i) == 32 for i in ids)  # UUIDs, not a sequence
        assert not ids & elsewhere, table

    # 4. The round links to all 7 invitations alike: no join narrows it to one person.
    invitations = dump["surveys_invitation"]
    round_index = invitations[0].index("round_id")
    assert sum(1 for r in invitations[1] if r[round_index] == survey_round.pk) == 7

    # 5. Answer content appears nowhere but in the answer tables; tokens nowhere at all.
    text_tables = {t: rows for t, (_, rows) in dump.items() if t not in ANSWER_TABLES}
    flat = "\n".join(repr(row) for rows in text_tables.values() for row in rows)
    for comment in comments:
        assert comment not in flat
    for link in links.values():
        assert token_of(link) not in flat
        assert token_of(link) not in repr(dump["surveys_comment"])

    # 6. No answer row carries a time: the round's own times are the finest there are.
    for table in ANSWER_TABLES:
        for row in dump[table][1]:
            assert not any(isinstance(v, dt.date | dt.datetime) for v in row)

    # 7. Sessions hold the sign-in only: no round, link, token hash or answer,
    #    and no expiry that answering moved (every one is as signing in set it).
    columns, rows = dump["django_session"]
    assert len(rows) == 6
    for row in rows:
        data = SessionStore().decode(row[columns.index("session_data")])
        # The sign-in and its own times (for the idle and absolute sign-out), no more;
        # an unchanged expiry below proves answering did not write the row.
        assert set(data) <= {
            "_auth_user_id",
            "_auth_user_backend",
            "_auth_user_hash",
            "keel_signed_in_at",
            "keel_last_seen",
        }
        expiry = Session.objects.get(session_key=row[columns.index("session_key")]).expire_date
        assert expiry == expiries[row[columns.index("session_key")]]
    for link in links.values():
        assert tokens.hash_token(token_of(link)) not in flat

    # 8. The invitation table says who answered, never when or what.
    assert set(invitations[0]) == {
        "id",
        "round_id",
        "user_id",
        "has_answered",
        "reminded",
    }


def test_closing_rewrites_comments_with_new_random_ids_so_write_order_is_lost():
    team = team_with_members(6)
    survey_round = open_round(team)
    for index, invitation in enumerate(
        Invitation.objects.select_related("round").filter(round=survey_round)
    ):
        services.record_survey_answers(
            invitation=invitation,
            answers={q.pk: 3 for q in survey_round.questions.filter(kind="likert")},
            comment=f"comment {index}",
        )
    before = set(Comment.objects.values_list("id", flat=True))
    services.close_round(survey_round=survey_round)
    after = set(Comment.objects.values_list("id", flat=True))
    assert len(after) == 6
    assert not before & after
    assert {c.text for c in Comment.objects.all()} == {f"comment {i}" for i in range(6)}


def test_comments_are_shown_in_random_order():
    from surveys import selectors

    survey_round = answered_round(
        team_size=8, answers=8, comments=[f"comment {i}" for i in range(8)]
    )
    orders = {tuple(selectors.round_results(survey_round).comments) for _ in range(20)}
    assert len(orders) > 1


@override_settings(DEBUG=True)  # DEBUG turns on SQL logging: it must still not reach a handler
def test_no_log_line_carries_a_token_or_an_answer(caplog, django_capture_on_commit_callbacks):
    caplog.set_level(logging.DEBUG)
    team = team_with_members(5)
    with django_capture_on_commit_callbacks(execute=True):
        survey_round = open_round(team)
    links = links_from_outbox()
    secret = "my manager shouts at me"
    likert = list(survey_round.questions.filter(kind="likert"))
    for index, link in enumerate(sorted(links.values())):
        client = Client()
        form_url = open_link(client, link)
        client.post(form_url, {**{f"q{q.pk}": 2 for q in likert}, "comment": f"{secret} {index}"})
        client.post(form_url, {f"q{q.pk}": 5 for q in likert})
    Client().get(reverse("surveys:answer_link", args=["unknown-token-value"]))
    with django_capture_on_commit_callbacks(execute=True):
        services.send_due_reminders(now=survey_round.opened_at + dt.timedelta(days=2))
        closed = services.close_round(survey_round=survey_round)
        services.publish_results(survey_round=closed)
    assert mail.outbox
    logged = "\n".join(
        f"{r.name} {r.getMessage()} {r.args!r} {getattr(r, 'request', '')}" for r in caplog.records
    )
    assert secret not in logged
    assert "unknown-token-value" not in logged
    for link in links.values():
        assert token_of(link) not in logged
        assert tokens.hash_token(token_of(link)) not in logged
    for question in likert:
        assert f"q{question.pk}" not in logged
    assert "surveys_answercount" not in logged  # no SQL (with its parameters) was logged


def test_admin_shows_no_count_or_score_below_k(client_for):
    admin = UserFactory(is_staff=True, is_superuser=True)
    hidden = answered_round(team_size=6, answers=4, name="Tiny team")
    shown = answered_round(team_size=6, answers=5, name="Fine team")
    client = client_for(admin)
    listing = client.get(reverse("admin:surveys_surveyround_changelist")).content.decode()
    assert "hidden: fewer than 5 answers" in listing
    assert "5 of 6" in listing
    assert "4 of 6" not in listing
    detail = client.get(
        reverse("admin:surveys_surveyround_change", args=[hidden.pk])
    ).content.decode()
    assert "hidden: fewer than 5 answers" in detail
    assert "4 of 6" not in detail
    assert "response_count" not in detail
    assert shown.feedback_score is not None
    # Who answered and what was answered have no admin pages at all.
    for model in ("invitation", "answercount", "comment"):
        assert client.get(f"/admin/surveys/{model}/").status_code == 404


def test_admin_k_form_is_the_same_whether_or_not_anyone_has_answered(client_for):
    admin = UserFactory(is_staff=True, is_superuser=True)
    team = team_with_members(5)
    survey_round = open_round(team)
    client = client_for(admin)
    url = reverse("admin:surveys_surveyround_change", args=[survey_round.pk])
    before = client.get(url).content.decode()
    assert 'name="minimum_group_size"' in before
    refused = client.post(url, {"minimum_group_size": 3, "minimum_comments": 5})
    assert refused.status_code == 200
    assert "never lowered" in refused.content.decode()
    client.post(url, {"minimum_group_size": 6, "minimum_comments": 5})
    survey_round.refresh_from_db()
    assert survey_round.minimum_group_size == 6
    invitation = Invitation.objects.select_related("round").filter(round=survey_round).first()
    services.record_survey_answers(
        invitation=invitation,
        answers={q.pk: 3 for q in survey_round.questions.filter(kind="likert")},
    )
    # An answer changes nothing an admin can see while the round is open.
    after = client.get(url).content.decode()
    assert 'name="minimum_group_size"' in after
    refused = client.post(url, {"minimum_group_size": 3, "minimum_comments": 5})
    assert "never lowered" in refused.content.decode()
    survey_round.refresh_from_db()
    assert survey_round.minimum_group_size == 6
    assert AnswerCount.objects.filter(round=survey_round, count=1).exists()
    services.close_round(survey_round=survey_round)
    assert 'name="minimum_group_size"' not in client.get(url).content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "response_count=2",
        "response_count__lt=5",
        "invited_count=6",
        "feedback_score__isnull=True",
        "reminder_sent_at__isnull=True",
        "minimum_group_size__gt=2",
    ],
)
def test_admin_refuses_filters_that_would_reveal_a_hidden_rounds_count(query, client_for):
    admin = UserFactory(is_staff=True, is_superuser=True)
    answered_round(team_size=6, answers=2, name="Tiny team")
    client = client_for(admin)
    url = reverse("admin:surveys_surveyround_changelist")
    # Django admin answers a refused lookup with a 400 (DisallowedModelAdminLookup).
    response = client.get(f"{url}?{query}")
    assert response.status_code == 400
    assert "Tiny team" not in response.content.decode()
    # The filters admins are offered keep working.
    assert "Tiny team" in client.get(f"{url}?status__exact=closed").content.decode()


def test_admin_delete_pages_list_no_answer_value_or_count(client_for):
    # Deleting a question lists the answer rows that protect it, by their str().
    admin = UserFactory(is_staff=True, is_superuser=True)
    hidden = answered_round(team_size=6, answers=2, value=4, name="Tiny team")
    question = hidden.questions.filter(kind=Question.Kind.LIKERT).first()
    page = (
        client_for(admin)
        .get(reverse("admin:surveys_question_delete", args=[question.pk]))
        .content.decode()
    )
    assert f"Answers to question {question.pk} in round {hidden.pk}" in page
    assert "= 4" not in page
    assert ": 2<" not in page
    for row in AnswerCount.objects.filter(round=hidden):
        assert str(row) == f"Answers to question {row.question_id} in round {hidden.pk}"


def _as_seen(response) -> tuple:
    """Everything a link's holder can observe, except the CSRF token's random value."""
    body = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", response.content)
    headers = sorted(
        # Expires is the clock's time (never_cache): the same for every request.
        (name, "<now>" if name == "Expires" else value)
        for name, value in response.headers.items()
        if name != "Set-Cookie"
    )
    cookies = sorted(
        (name, {k: v for k, v in morsel.items() if v})
        for name, morsel in response.cookies.items()
        if name != settings.CSRF_COOKIE_NAME
    )
    return response.status_code, headers, cookies, body


def test_a_spent_replaced_or_closed_link_looks_exactly_like_an_unknown_one(
    django_capture_on_commit_callbacks,
):
    # Whoever holds a forwarded link (or the answer page it led to) cannot poll
    # it to learn whether, or when, its owner answered.
    team = team_with_members(5)
    with django_capture_on_commit_callbacks(execute=True):
        survey_round = open_round(team, now=timezone.now() - dt.timedelta(days=3))
    first_links = sorted(links_from_outbox().values())
    pages = [open_link(Client(), link) for link in first_links]
    answered_link, answered_page = first_links[0], pages[0]
    likert = survey_round.questions.filter(kind=Question.Kind.LIKERT)
    client = Client()
    client.post(open_link(client, answered_link), {f"q{q.pk}": 3 for q in likert})
    with django_capture_on_commit_callbacks(execute=True):
        services.send_due_reminders()  # replaces every unanswered first link
    replaced_link, replaced_page = first_links[1], pages[1]
    reminder_links = sorted(set(links_from_outbox(kind="reminder").values()))
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 3 * 86400):
        stale_page = reverse(
            "surveys:answer_from_link",
            args=[tokens.signed_hash(tokens.hash_token(token_of(reminder_links[0])))],
        )

    def seen(path, method="get"):
        return _as_seen(getattr(Client(), method)(path.replace("http://testserver", "")))

    unknown = seen(reverse("surveys:answer_link", args=["never-a-real-token"]))
    forged = reverse("surveys:answer_from_link", args=["forged:value:here"])
    assert unknown == seen(forged)
    assert unknown == seen(forged, "post")
    assert unknown[0] == 200
    assert b"This survey link does not work" in unknown[3]
    spent = [answered_link, answered_page, replaced_link, replaced_page, stale_page]
    for path in spent:
        assert seen(path) == unknown, path
    assert seen(answered_page, "post") == unknown
    # Past its closing time (before the close has run), then closed.
    live_link = reminder_links[1]
    live_page = open_link(Client(), live_link)
    SurveyRound.objects.filter(pk=survey_round.pk).update(closes_at=timezone.now())
    for path in (live_link, live_page):
        assert seen(path) == unknown, path
    services.close_round(survey_round=survey_round)
    for path in [*spent, live_link, live_page]:
        assert seen(path) == unknown, path
