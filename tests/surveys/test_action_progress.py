"""Action items from open to done, seen by the team; the next round puts each action
beside its concern; the trend covers every round with participation."""

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from surveys import selectors, services
from surveys.models import ActionItem, ActionStatusChange, Invitation, SurveyRound
from teamhealth.models import Membership
from tests.factories import UserFactory, team_with_members

from .conftest import answer, open_round

pytestmark = pytest.mark.django_db


def _round(team, *, answers, value=3, weeks_ago=0):
    """A closed round of ``team`` where ``answers`` members answered, moved ``weeks_ago`` back."""
    survey_round = open_round(team)
    for invitation in list(Invitation.objects.filter(round=survey_round).select_related("round"))[
        :answers
    ]:
        answer(invitation, value)
    survey_round = services.close_round(survey_round=survey_round)
    if weeks_ago:
        SurveyRound.objects.filter(pk=survey_round.pk).update(
            period_start=survey_round.period_start - dt.timedelta(weeks=weeks_ago)
        )
        survey_round.refresh_from_db()
    return survey_round


def _plan(survey_round, owner):
    results = selectors.round_results(survey_round)
    services.save_action_plan(
        survey_round=survey_round,
        by=survey_round.team.managers.first(),
        actions=[
            services.ActionInput(
                question_id=c.question_id,
                what=f"Action {i}",
                owner=owner,
                due_on=survey_round.closed_on + dt.timedelta(days=14),
            )
            for i, c in enumerate(results.top_concerns)
        ],
    )
    return list(ActionItem.objects.filter(plan__round=survey_round).order_by("position"))


@pytest.fixture
def planned():
    manager = UserFactory(roles=["Manager"])
    team = team_with_members(6, manager=manager)
    owner, other = [m.user for m in Membership.objects.filter(team=team).order_by("pk")[:2]]
    survey_round = _round(team, answers=5)
    items = _plan(survey_round, owner)
    survey_round.refresh_from_db()
    return survey_round, items, manager, owner, other


def _status_url(item):
    return reverse("surveys:action_status", args=[item.pk])


def test_the_owner_moves_an_action_and_the_team_sees_who_and_when(planned, client_for):
    survey_round, items, _manager, owner, other = planned
    response = client_for(owner).post(_status_url(items[0]), {"status": "in_progress"})
    assert response.status_code == 302
    assert response["Location"].endswith("#action-plan")
    change = ActionStatusChange.objects.get(item=items[0])
    assert (change.status, change.changed_by) == ("in_progress", owner)
    assert timezone.now() - change.changed_at < dt.timedelta(minutes=1)
    client_for(owner).post(_status_url(items[1]), {"status": "done"})

    page = client_for(other).get(survey_round.get_absolute_url()).content.decode()
    assert "In progress" in page
    assert f"set by {owner}" in page
    assert "1 of 3 done, 1 in progress" in page
    # A teammate who owns nothing sees the progress, not the form.
    assert "Update status" not in page
    owners_page = client_for(owner).get(survey_round.get_absolute_url()).content.decode()
    assert owners_page.count("Update status") == 3


def test_who_may_change_an_actions_status(planned, client_for):
    _survey_round, items, manager, _owner, other = planned
    outsider_manager = UserFactory(roles=["Manager"])
    director = UserFactory(roles=["Director"])
    for person in (other, outsider_manager, director, UserFactory(roles=["Engineer"])):
        assert client_for(person).post(_status_url(items[0]), {"status": "done"}).status_code == 404
    assert client_for(manager).post(_status_url(items[0]), {"status": "done"}).status_code == 302
    admin = UserFactory(roles=["Admin"])
    assert client_for(admin).post(_status_url(items[1]), {"status": "done"}).status_code == 302
    assert list(ActionStatusChange.objects.values_list("changed_by", flat=True).order_by("pk")) == [
        manager.pk,
        admin.pk,
    ]
    assert client_for(manager).post(
        reverse("surveys:action_status", args=[999999])
    ).status_code == (404)


def test_a_status_that_does_not_exist_changes_nothing(planned, client_for):
    _survey_round, items, manager, _owner, _other = planned
    response = client_for(manager).post(_status_url(items[0]), {"status": "finished"}, follow=True)
    assert "Choose open, in progress or done." in response.content.decode()
    items[0].refresh_from_db()
    assert items[0].status == "open"
    assert not ActionStatusChange.objects.exists()


def test_editing_the_plan_keeps_each_actions_status_and_history(planned, client_for):
    survey_round, items, manager, owner, _other = planned
    client_for(owner).post(_status_url(items[0]), {"status": "done"})
    _plan(survey_round, manager)
    item = ActionItem.objects.get(pk=items[0].pk)
    assert (item.status, item.owner, item.changes.count()) == ("done", manager, 1)


def test_the_next_round_shows_each_action_beside_whether_its_concern_moved(client_for):
    manager = UserFactory(roles=["Manager"])
    team = team_with_members(6, manager=manager)
    earlier = _round(team, answers=5, value=2, weeks_ago=2)
    items = _plan(earlier, manager)
    services.set_action_status(item=items[0], status="done", by=manager)
    later = _round(team, answers=5, value=4)
    results = selectors.round_results(later)
    assert [(m.direction, item.pk) for m, item in results.movement_rows] == [
        ("up", item.pk) for item in items
    ]
    page = client_for(manager).get(later.get_absolute_url()).content.decode()
    table = page.split("Did the earlier concerns move?", 1)[1].split("</table>", 1)[0]
    assert "Action 0" in table
    assert "Done" in table
    assert "Improved by 50.0" in table


@pytest.mark.parametrize("earlier_rounds", [1, 9])
def test_results_page_with_plans_and_history_keeps_its_query_count(
    earlier_rounds, client_for, django_assert_num_queries
):
    manager = UserFactory(roles=["Manager"])
    team = team_with_members(5, manager=manager)
    for weeks in range(earlier_rounds, 0, -1):
        previous = _round(team, answers=5, weeks_ago=2 * weeks)
    items = _plan(previous, manager)
    for status in ["in_progress", "done", "open", "done"][: 1 + earlier_rounds // 3]:
        services.set_action_status(item=items[0], status=status, by=manager)
    latest = _round(team, answers=5, value=4)
    for item in _plan(latest, manager):
        services.set_action_status(item=item, status="done", by=manager)
    client = client_for(manager)
    # session, user, round+access, roles, questions, trend, counts, comments, previous
    # questions, previous plan's actions, action plan, its actions, their history
    with django_assert_num_queries(13):
        response = client.get(latest.get_absolute_url())
    assert response.status_code == 200


def test_the_trend_covers_every_round_and_a_round_below_k_is_a_gap(client_for):
    manager = UserFactory(roles=["Manager"])
    team = team_with_members(6, manager=manager)
    for weeks in range(22, 0, -2):
        _round(team, answers=2 if weeks == 10 else 5, weeks_ago=weeks)
    latest = _round(team, answers=6, value=4)
    page = client_for(manager).get(latest.get_absolute_url()).content.decode()
    trend = json.loads(
        page.split('id="trend-data" type="application/json">', 1)[1].split("<", 1)[0]
    )
    assert len(trend) == 12
    hidden = [point for point in trend if point["hidden"]]
    assert len(hidden) == 1
    # A gap: no score, no count, no rate.
    assert hidden[0] == {**hidden[0], "score": None, "responses": None, "rate": None}
    assert trend[-1] == {**trend[-1], "score": 75.0, "responses": 6, "invited": 6, "rate": 100.0}
    assert trend[0]["responses"] == 5
    table = page.split('data-testid="trend-table"', 1)[1].split("</details>", 1)[0]
    assert table.count("<tr>") == 13
    assert "Fewer than 5 answers: not shown" in table
    assert "5 of 6" in table
    assert "83%" in table
    assert "2 of 6" not in page
