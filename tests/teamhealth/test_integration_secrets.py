"""Jira and PagerDuty tokens: encrypted at rest, write-only in admin, rotatable."""

from datetime import UTC, datetime

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from teamhealth import encryption, integrations
from teamhealth.models import JiraBoard, PagerDutySchedule
from tests.factories import TeamFactory
from tests.teamhealth.test_integrations import FakeApi, fake_api  # noqa: F401

pytestmark = pytest.mark.django_db

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def stored(table: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT api_token FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_the_database_never_holds_the_plain_token_and_pagerduty_still_signs_in(
    fake_api,  # noqa: F811
):
    FakeApi.routes = {"/oncalls": {"oncalls": [], "more": False}}
    schedule = PagerDutySchedule.objects.create(
        team=TeamFactory(), base_url=fake_api, api_token="pd-secret-token", schedule_ids="PABC"
    )

    column = stored("teamhealth_pagerdutyschedule", schedule.pk)
    assert "pd-secret-token" not in column
    assert encryption.decrypt(column) == "pd-secret-token"

    fresh = PagerDutySchedule.objects.get()
    start = datetime(2026, 11, 2, tzinfo=UTC)
    integrations.fetch_oncalls(
        base_url=fresh.base_url,
        api_token=fresh.api_token,
        schedule_ids=["PABC"],
        since=start,
        until=start,
    )
    assert FakeApi.requests[0][2]["Authorization"] == "Token token=pd-secret-token"


def test_rotation_re_encrypts_with_the_first_key_and_the_old_key_can_go(settings):
    settings.KEEL_SECRETS_KEYS = [OLD]
    board = JiraBoard.objects.create(
        team=TeamFactory(),
        base_url="https://x.example",
        board_id=1,
        email="bot@example.com",
        api_token="j1",
    )
    before = stored("teamhealth_jiraboard", board.pk)

    settings.KEEL_SECRETS_KEYS = [NEW, OLD]
    assert JiraBoard.objects.get().api_token == "j1"  # both keys decrypt
    call_command("rotate_integration_secrets")

    after = stored("teamhealth_jiraboard", board.pk)
    assert after != before
    assert Fernet(NEW.encode()).decrypt(after.encode()) == b"j1"
    settings.KEEL_SECRETS_KEYS = [NEW]
    assert JiraBoard.objects.get().api_token == "j1"
    settings.KEEL_SECRETS_KEYS = [OLD]
    with pytest.raises(ImproperlyConfigured, match="cannot be decrypted"):
        JiraBoard.objects.get()


def test_admin_never_shows_the_token_and_an_empty_field_keeps_it(client, admin_user):
    client.force_login(admin_user)
    board = JiraBoard.objects.create(
        team=TeamFactory(),
        base_url="https://x.example",
        board_id=1,
        email="bot@example.com",
        api_token="jira-secret-4f1c9e",
    )
    url = f"/admin/teamhealth/jiraboard/{board.pk}/change/"

    page = client.get(url).content.decode()
    assert "jira-secret-4f1c9e" not in page  # a random CSRF token could hold a short one
    assert stored("teamhealth_jiraboard", board.pk) not in page
    form = {"team": board.team_id, "base_url": "https://x.example", "board_id": 2}
    response = client.post(
        url, {**form, "email": "bot@example.com", "api_token": "", "active": "on"}
    )
    assert response.status_code == 302
    board.refresh_from_db()
    assert (board.board_id, board.api_token) == (2, "jira-secret-4f1c9e")

    client.post(url, {**form, "email": "bot@example.com", "api_token": "j2", "active": "on"})
    board.refresh_from_db()
    assert board.api_token == "j2"


def test_admin_needs_a_token_for_a_new_schedule(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        "/admin/teamhealth/pagerdutyschedule/add/",
        {"team": TeamFactory().pk, "base_url": "https://api.pagerduty.com", "schedule_ids": "P1"},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["api_token"] == ["Enter the API token."]
    assert not PagerDutySchedule.objects.exists()


def test_a_key_that_is_not_a_fernet_key_is_refused_clearly(settings):
    settings.KEEL_SECRETS_KEYS = ["not-a-key"]
    with pytest.raises(ImproperlyConfigured, match="must be a Fernet key"):
        encryption.encrypt("x")


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_the_tokens_already_stored():
    from django.db.migrations.executor import MigrationExecutor

    before = [("teamhealth", "0010_integration_token_all_teams")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    team = apps.get_model("teamhealth", "Team").objects.create(name="Payments", slug="payments")
    board = apps.get_model("teamhealth", "JiraBoard").objects.create(
        team=team, base_url="https://x.example", board_id=1, email="bot@example.com", api_token="j1"
    )
    assert stored("teamhealth_jiraboard", board.pk) == "j1"

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert encryption.decrypt(stored("teamhealth_jiraboard", board.pk)) == "j1"
    assert JiraBoard.objects.get().api_token == "j1"
