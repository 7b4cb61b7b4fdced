"""What team health shows of survey rounds: only the scores of closed rounds that reached k."""

import pytest
from django.urls import reverse

from surveys.models import Invitation
from teamhealth.models import MetricValue
from tests.factories import MembershipFactory, UserFactory, team_with_members

from .conftest import answer, answered_round, open_round

pytestmark = pytest.mark.django_db

NO_SURVEY = "No survey results have been published for this team yet."


def _team_page(client, team):
    return client.get(reverse("teamhealth:team_detail", args=[team.slug]))


def test_team_health_shows_nothing_of_a_hidden_or_open_round(client_for):
    manager = UserFactory(roles=["Manager"])
    director = UserFactory(roles=["Director"])
    hidden = answered_round(team_size=6, answers=4, value=1, manager=manager, name="Small team")
    opened = open_round(team_with_members(6, manager=manager, name="Busy team"))
    for invitation in Invitation.objects.filter(round=opened).select_related("round"):
        answer(invitation, 1)
    assert not MetricValue.objects.filter(metric="feedback_score").exists()
    for viewer in (manager, director):
        client = client_for(viewer)
        for team in (hidden.team, opened.team):
            page = _team_page(client, team).content.decode()
            assert NO_SURVEY in page
            assert "Latest feedback score from the anonymous survey" not in page
            assert "Latest survey round" not in page


def test_team_health_shows_the_score_of_a_closed_round_that_reached_k(client_for):
    manager = UserFactory(roles=["Manager"])
    shown = answered_round(team_size=6, answers=5, value=4, manager=manager, name="Fine team")
    page = _team_page(client_for(manager), shown.team).content.decode()
    assert NO_SURVEY not in page
    # The round's summary, pushed at close: its score and a link to its results.
    assert "Latest survey round: <strong>Fine team · " in page
    assert 'Feedback score <span class="metric-value">75.0</span>' in page
    assert f'href="{shown.get_absolute_url()}"' in page


def test_a_member_cannot_read_the_team_health_page_of_their_team(client_for):
    engineer = UserFactory(roles=["Engineer"])
    shown = answered_round(team_size=6, answers=5, value=4, name="Fine team")
    MembershipFactory(team=shown.team, user=engineer)
    assert _team_page(client_for(engineer), shown.team).status_code == 404
