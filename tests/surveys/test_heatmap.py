"""The survey overview's heatmap: who sees which rows, the same figures as the teams'
pages, hidden teams in no number, search, order, pages and a fixed number of queries."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from surveys import selectors, services
from surveys.models import Invitation
from tests.factories import UserFactory, team_with_members

from .conftest import answer, answered_round, likert_questions, open_round

pytestmark = pytest.mark.django_db

HEATMAP = reverse("surveys:overview")


def published(team_size=6, answers=5, value=4, *, manager=None, name=None, per_question=None):
    """A published round of a new team where ``answers`` members answered."""
    if per_question is None:
        survey_round = answered_round(
            team_size=team_size, answers=answers, value=value, manager=manager, name=name
        )
    else:
        team = team_with_members(team_size, manager=manager, name=name)
        survey_round = open_round(team)
        invitations = Invitation.objects.filter(round=survey_round).select_related("round")
        for invitation in list(invitations)[:answers]:
            answer(invitation, value, per_question=per_question(survey_round))
        survey_round = services.close_round(survey_round=survey_round)
    services.publish_results(survey_round=survey_round, by=UserFactory(roles=["Admin"]))
    survey_round.refresh_from_db()
    return survey_round


def _row(page: str, team: str) -> str:
    return page.split(f">{team}</a>", 1)[1].split("</tr>", 1)[0]


def _cells(row_html: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r'<td class="heat-cell[^"]*"[^>]*>(.*?)</td>', row_html)
    ]


def test_directors_see_every_team_managers_only_theirs_engineers_nothing(client_for):
    manager = UserFactory(roles=["Manager"])
    published(manager=manager, name="Mine")
    published(manager=UserFactory(roles=["Manager"]), name="Theirs")
    director_page = client_for(UserFactory(roles=["Director"])).get(HEATMAP).content.decode()
    assert ">Mine</a>" in director_page
    assert ">Theirs</a>" in director_page
    admin_page = client_for(UserFactory(roles=["Admin"])).get(HEATMAP).content.decode()
    assert ">Theirs</a>" in admin_page
    for view in ("dimensions", "questions"):
        page = client_for(manager).get(HEATMAP, {"view": view}).content.decode()
        assert ">Mine</a>" in page
        assert "Theirs" not in page
    engineer = UserFactory(roles=["Engineer"])
    assert client_for(engineer).get(HEATMAP, {"view": "questions"}).status_code == 404


def test_each_cell_is_the_figure_of_the_teams_own_page(client_for):
    def varied(survey_round):
        return {q.pk: 2 + index % 4 for index, q in enumerate(likert_questions(survey_round))}

    survey_round = published(team_size=7, answers=6, value=3, per_question=varied, name="Varied")
    client = client_for(UserFactory(roles=["Director"]))
    results = selectors.round_results(survey_round)

    by_question = _cells(
        _row(client.get(HEATMAP, {"view": "questions"}).content.decode(), "Varied")
    )
    assert by_question[:-1] == [str(q.score) for q in results.questions]
    assert by_question[-1] == str(results.feedback_score)

    by_dimension = _cells(_row(client.get(HEATMAP).content.decode(), "Varied"))
    assert by_dimension[:-1] == [str(d.score) for _, d in results.dimensions]


def test_a_team_below_k_shows_nothing_and_adds_nothing_to_the_totals(client_for):
    shown = published(team_size=6, answers=5, value=4, name="Shown team")
    published(team_size=6, answers=2, value=1, name="Small team")
    page = client_for(UserFactory(roles=["Director"])).get(HEATMAP).content.decode()
    small = _row(page, "Small team")
    assert "Hidden: fewer than 5 answers" in small
    assert _cells(small) == []
    assert "2 answers" not in small
    # The totals are the shown team's own figures: nothing of the small team is in them.
    total = page.split('data-testid="heatmap-total"', 1)[1].split("</tr>", 1)[0]
    assert "All 1 shown team" in total
    assert _cells(total) == _cells(_row(page, "Shown team"))
    assert shown.feedback_score == Decimal("75.0")


def test_when_everyone_answered_alike_the_heatmap_names_nobody(client_for):
    published(team_size=5, answers=5, value=5, name="Unanimous")
    client = client_for(UserFactory(roles=["Director"]))
    for view in ("dimensions", "questions"):
        page = client.get(HEATMAP, {"view": view}).content.decode()
        cells = _cells(_row(page, "Unanimous"))
        assert cells
        assert all(cell.startswith("95.0") for cell in cells)
        assert "100.0" not in page


def test_search_order_and_pages(client_for):
    published(value=2, name="Alpha low")
    published(value=5, name="Beta high")
    published(value=4, name="Gamma mid")
    for index in range(30):
        team_with_members(1, name=f"Zeta {index:02}")
    client = client_for(UserFactory(roles=["Director"]))

    page = client.get(HEATMAP, {"q": "gamma"}).content.decode()
    assert ">Gamma mid</a>" in page
    assert "Alpha low" not in page

    def order(sort):
        page = client.get(HEATMAP, {"sort": sort}).content.decode()
        names = re.findall(r">(Alpha low|Beta high|Gamma mid)</a>", page)
        return names

    assert order("score") == ["Alpha low", "Gamma mid", "Beta high"]
    assert order("-score") == ["Beta high", "Gamma mid", "Alpha low"]
    assert order("lowest") == ["Alpha low", "Gamma mid", "Beta high"]

    first = client.get(HEATMAP).content.decode()
    assert "page 1 of 2" in first
    assert "Zeta 29" not in first
    second = client.get(HEATMAP, {"page": 2}).content.decode()
    assert "Zeta 29" in second
    # The totals cover every page: the three shown teams.
    assert "All 3 shown teams" in second


def test_a_team_with_a_round_open_now_says_so(client_for):
    team = team_with_members(6, name="Open team")
    open_round(team)
    page = client_for(UserFactory(roles=["Director"])).get(HEATMAP).content.decode()
    row = page.split("Open team", 1)[1].split("</tr>", 1)[0]
    assert ">Open</span> until" in row
    assert "No published round yet" in row


@pytest.mark.parametrize("teams", [2, 9])
@pytest.mark.parametrize("view", ["dimensions", "questions"])
def test_heatmap_query_count_is_fixed(teams, view, client_for, django_assert_num_queries):
    for index in range(teams):
        published(team_size=5, answers=5 if index % 3 else 2, name=f"Team {index}")
    client = client_for(UserFactory(roles=["Director"]))
    # session, user, roles, teams, latest published rounds, answer sums, questions
    with django_assert_num_queries(7):
        response = client.get(HEATMAP, {"view": view, "sort": "lowest"})
    assert response.status_code == 200
