"""Integration tokens in admin: an explicit scope, and the new token shown once."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from teamhealth.admin import IntegrationTokenForm
from teamhealth.models import IntegrationToken
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db

ADD = "/admin/teamhealth/integrationtoken/add/"


def test_a_token_needs_teams_or_all_teams():
    form = IntegrationTokenForm(data={"name": "Exporter", "active": "on"})
    assert not form.is_valid()
    assert form.errors["teams"] == ["Choose the teams this token may write to, or tick All teams."]


def test_a_token_for_all_teams_lists_none():
    team = TeamFactory()
    form = IntegrationTokenForm(
        data={"name": "Exporter", "all_teams": "on", "teams": [team.pk], "active": "on"}
    )
    assert not form.is_valid()
    assert "untick All teams" in form.errors["teams"][0]


def test_adding_a_token_shows_it_once_in_that_response_and_in_no_cookie(client, admin_user):
    client.force_login(admin_user)
    team = TeamFactory()

    response = client.post(ADD, {"name": "Exporter", "teams": [team.pk], "active": "on"})

    assert response.status_code == 200
    token = IntegrationToken.objects.get()
    secret = response.context["secret"]
    assert IntegrationToken.hash_of(secret) == token.token_hash
    assert secret in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert all(secret not in morsel.value for morsel in response.cookies.values())
    assert all(secret not in morsel.value for morsel in client.cookies.values())
    assert secret not in client.session.encode(dict(client.session))
    # Not on the next page either.
    assert secret not in client.get("/admin/teamhealth/integrationtoken/").content.decode()
    assert list(token.teams.all()) == [team]
    assert not token.all_teams


def test_editing_a_token_keeps_its_secret(client, admin_user):
    client.force_login(admin_user)
    client.post(ADD, {"name": "Exporter", "all_teams": "on", "active": "on"})
    token = IntegrationToken.objects.get()

    response = client.post(
        f"/admin/teamhealth/integrationtoken/{token.pk}/change/",
        {"name": "Exporter 2", "all_teams": "on"},
    )

    assert response.status_code == 302
    after = IntegrationToken.objects.get()
    assert (after.name, after.token_hash, after.active) == ("Exporter 2", token.token_hash, False)


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_tokens_without_teams_writing_to_every_team():
    before = [("teamhealth", "0009_evaluation_requests_and_outbox")]
    after = [("teamhealth", "0010_integration_token_all_teams")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    token_model = apps.get_model("teamhealth", "IntegrationToken")
    team_model = apps.get_model("teamhealth", "Team")
    token_model.objects.create(name="open", token_hash="a" * 64, prefix="a")
    limited = token_model.objects.create(name="limited", token_hash="b" * 64, prefix="b")
    limited.teams.add(team_model.objects.create(name="Payments", slug="payments"))

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    apps = executor.loader.project_state(after).apps
    token_model = apps.get_model("teamhealth", "IntegrationToken")
    assert dict(token_model.objects.values_list("name", "all_teams")) == {
        "open": True,
        "limited": False,
    }
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
