"""One rule for who reads a team (teamhealth.access): team-health pages and survey rounds."""

import pytest
from django.urls import reverse
from django.utils import timezone

from teamhealth import access
from teamhealth.services import evaluation
from tests.factories import TeamFactory, UserFactory, metric_series
from tests.surveys.conftest import answered_round

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("team manager", 200),
        ("on the managers list without the Manager role", 200),
        ("Manager of another team", 404),
        ("director", 200),
        ("Keel admin", 200),
        ("superuser", 200),
        # Staff opens Django admin; it does not show every team in Keel's pages.
        ("staff without the Admin role", 404),
        # A member reads a round once it is published (a survey rule), never team health;
        # this round is not published.
        ("member engineer", 404),
        ("engineer outside the team", 404),
    ],
)
def test_the_same_person_gets_the_same_answer_on_team_health_and_survey_pages(
    who, status, client_for
):
    manager = UserFactory(roles=["Manager"])
    survey_round = answered_round(manager=manager)
    team = survey_round.team
    listed = UserFactory()
    team.managers.add(listed)
    metric_series(team, "oncall_hours", [12.5])
    evaluation.evaluate_team_health(team=team, today=timezone.localdate())
    person = {
        "team manager": manager,
        "on the managers list without the Manager role": listed,
        "Manager of another team": TeamFactory(
            managers=[UserFactory(roles=["Manager"])]
        ).managers.get(),
        "director": UserFactory(roles=["Director"]),
        "Keel admin": UserFactory(roles=["Admin"]),
        "superuser": UserFactory(is_staff=True, is_superuser=True),
        "staff without the Admin role": UserFactory(is_staff=True),
        "member engineer": team.memberships.first().user,
        "engineer outside the team": UserFactory(roles=["Engineer"]),
    }[who]
    client = client_for(person)

    pages = {
        "team health": reverse("teamhealth:team_detail", args=[team.slug]),
        "alert": reverse("teamhealth:alert_detail", args=[team.alerts.get().pk]),
        "survey results": survey_round.get_absolute_url(),
    }
    assert {page: client.get(url).status_code for page, url in pages.items()} == dict.fromkeys(
        pages, status
    )
    assert access.can_read_team(person, team) is (status == 200)
    assert access.teams_readable_by(person).filter(pk=team.pk).exists() is (status == 200)
