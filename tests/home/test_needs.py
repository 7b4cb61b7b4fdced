"""The home page: what needs each person now, per role, and nothing of anyone else's."""

from datetime import timedelta

import pytest
from django.utils import timezone

from surveys import services as survey_services
from surveys.models import Invitation, SurveyRound
from teamhealth.services import alerts, evaluation
from tests.factories import (
    InterviewFactory,
    InterviewLoopFactory,
    TeamFactory,
    UserFactory,
    decided,
    metric_series,
    submitted,
    team_with_members,
)
from tests.surveys.conftest import answer, answered_round, open_round

pytestmark = pytest.mark.django_db


def home(client_for, user) -> str:
    response = client_for(user).get("/")
    assert response.status_code == 200
    return response.content.decode()


def firing_team(name, manager):
    team = TeamFactory(name=name, managers=[manager])
    metric_series(team, "oncall_hours", [12.5])
    evaluation.evaluate_team_health(team=team, today=timezone.localdate())
    return team


# --- Interviewer ----------------------------------------------------------------------------


def test_an_interviewer_sees_overdue_scorecards_first_and_todays_interviews(client_for):
    me = UserFactory(roles=["Interviewer"])
    now = timezone.now()
    InterviewFactory(interviewer=me, title="Recent", scheduled_at=now - timedelta(hours=2))
    InterviewFactory(interviewer=me, title="Old", scheduled_at=now - timedelta(days=3))
    done = InterviewFactory(interviewer=me, title="Done", scheduled_at=now - timedelta(days=1))
    submitted(done, technical=80, leadership=80, culture=80)
    InterviewFactory(title="Someone else's", scheduled_at=now - timedelta(days=1))
    html = home(client_for, me)
    assert "Scorecards to submit" in html
    assert html.index("Old with") < html.index("Recent with")
    assert "overdue since" in html
    assert "Done with" not in html
    assert "Someone else" not in html


def test_an_interviewer_with_nothing_to_do_is_told_so_with_the_usual_page(client_for):
    me = UserFactory(roles=["Interviewer"])
    html = home(client_for, me)
    assert "Nothing needs you right now." in html
    assert "No scorecard waits for you and no interview is scheduled today." in html
    assert 'href="/hiring/interviews/"' in html


def test_a_list_is_capped_with_a_link_to_see_all(client_for):
    me = UserFactory(roles=["Interviewer"])
    for number in range(5):
        InterviewFactory(
            interviewer=me,
            title=f"Interview {number}",
            scheduled_at=timezone.now() - timedelta(days=5 - number),
        )
    html = home(client_for, me)
    assert "Interview 2 with" in html
    assert "Interview 3 with" not in html
    assert "See all 5" in html


# --- Recruiter ------------------------------------------------------------------------------


def test_a_recruiter_sees_their_loops_ready_for_debrief_and_feedback_to_send(client_for):
    me = UserFactory(roles=["Recruiter"])
    ready = InterviewLoopFactory(recruiters=[me], status="debrief")
    waiting_feedback = InterviewLoopFactory(recruiters=[me], status="decided")
    decided(waiting_feedback, offer=False, accepted=False, by=me)
    other = InterviewLoopFactory(status="debrief")
    html = home(client_for, me)
    assert "Loops ready for debrief" in html
    assert f'href="/hiring/loops/{ready.pk}/"' in html
    assert f'href="/hiring/loops/{waiting_feedback.pk}/feedback/"' in html
    assert f"/hiring/loops/{other.pk}/" not in html


# --- Engineer -------------------------------------------------------------------------------


def test_an_engineer_sees_the_survey_they_have_not_answered_until_they_answer(client_for):
    team = team_with_members(4)
    survey_round = open_round(team)
    invitation = Invitation.objects.filter(round=survey_round).select_related("user").first()
    me = invitation.user
    html = home(client_for, me)
    assert "Surveys to answer" in html
    assert f'href="/surveys/rounds/{survey_round.pk}/answer/"' in html
    assert "open until" in html
    answer(Invitation.objects.select_related("round").get(pk=invitation.pk))
    html = home(client_for, me)
    assert "Surveys to answer" not in html
    assert "No survey waits for your answer." in html


def test_nobody_else_learns_whether_an_engineer_has_answered(client_for):
    manager = UserFactory(roles=["Manager", "Director"])
    team = team_with_members(4, manager=manager)
    survey_round = open_round(team)
    invitations = list(Invitation.objects.filter(round=survey_round).select_related("round"))
    before = home(client_for, manager)
    answer(invitations[0])
    after = home(client_for, manager)
    strip = [line for line in after.splitlines() if "csrf" not in line]
    assert strip == [line for line in before.splitlines() if "csrf" not in line]
    assert invitations[0].user.username not in after


# --- Manager --------------------------------------------------------------------------------


def test_a_manager_sees_their_teams_firing_alerts_not_another_teams_nor_snoozed_ones(
    client_for,
):
    me = UserFactory(roles=["Manager"])
    firing_team("Backend Payments", me)
    quiet = firing_team("Quiet Team", me)
    alerts.snooze_alert(
        alert=quiet.alerts.get(),
        user=me,
        until=timezone.localdate() + timedelta(days=2),
        today=timezone.localdate(),
    )
    firing_team("Other Team", UserFactory(roles=["Manager"]))
    html = home(client_for, me)
    assert "Alerts firing" in html
    assert "[Backend Payments] High on-call burden" in html
    assert "[Quiet Team]" not in html
    assert "[Other Team]" not in html


def test_a_manager_sees_results_to_publish_and_action_plans_with_days_left(client_for):
    me = UserFactory(roles=["Manager"])
    closed = answered_round(manager=me, name="Backend Payments")
    html = home(client_for, me)
    assert "Results to publish" in html
    assert "published automatically" in html
    assert "Action plans due" in html
    assert "7 days left" in html
    survey_services.publish_results(survey_round=closed, by=me)
    html = home(client_for, me)
    assert "Results to publish" not in html
    assert "Action plans due" in html


def test_a_round_below_k_asks_for_no_action_plan(client_for):
    me = UserFactory(roles=["Manager"])
    answered_round(team_size=4, answers=2, manager=me)
    html = home(client_for, me)
    assert "Results to publish" in html
    assert "Action plans due" not in html


# --- Director and several roles -------------------------------------------------------------


def test_a_director_sees_teams_without_results_and_teams_with_an_overdue_plan(client_for):
    me = UserFactory(roles=["Director"])
    TeamFactory(name="Silent Team")
    late = TeamFactory(name="Late Team")
    alerts.raise_action_plan_overdue(
        team=late,
        round_label="Late Team · 1 Nov",
        closed_on=timezone.localdate() - timedelta(days=9),
    )
    published = answered_round(name="Published Team")
    survey_services.publish_results(survey_round=published)
    html = home(client_for, me)
    assert "Teams without survey results in 8 weeks" in html
    assert "Silent Team" in html
    assert "Published Team" not in html
    assert "Teams with an overdue action plan" in html
    assert "Survey action plan overdue" in html


def test_a_person_with_several_roles_sees_each_of_their_sections(client_for):
    me = UserFactory(roles=["Manager", "Interviewer"])
    html = home(client_for, me)
    assert "Interviews" in html
    assert "Your teams" in html
    assert "Organisation" not in html


def test_a_person_without_a_role_is_told_to_ask_for_one(client_for):
    html = home(client_for, UserFactory(roles=[]))
    assert "Your account has no role yet" in html


# --- Queries: constant per role at two sizes -------------------------------------------------

# session, user, groups (3), then per section:
QUERIES = {
    # settings, to-submit count and page, today's count and page
    "Interviewer": 3 + 5,
    # settings, three counts and three pages
    "Recruiter": 3 + 7,
    # the open invitations
    "Engineer": 3 + 1,
    # results count and page, plans count and page, alerts count and page
    "Manager": 3 + 6,
    # quiet teams count and page, overdue plans count and page
    "Director": 3 + 4,
}


def populate(size: int, people: dict):
    now = timezone.now()
    for number in range(size):
        InterviewFactory(
            interviewer=people["Interviewer"], scheduled_at=now - timedelta(days=number + 1)
        )
        InterviewFactory(interviewer=people["Interviewer"], scheduled_at=now + timedelta(minutes=1))
        InterviewLoopFactory(recruiters=[people["Recruiter"]], status="debrief")
        firing_team(f"Team {number}", people["Manager"])
        TeamFactory(name=f"Quiet {number}")
    team = team_with_members(size + 2, manager=people["Manager"])
    team.memberships.create(user=people["Engineer"], joined_on=timezone.localdate())
    open_round(team)


@pytest.mark.parametrize("size", [1, 4])
@pytest.mark.parametrize("role", list(QUERIES))
def test_the_home_page_query_count_is_constant(client_for, django_assert_num_queries, role, size):
    people = {name: UserFactory(roles=[name]) for name in QUERIES}
    populate(size, people)
    client = client_for(people[role])
    with django_assert_num_queries(QUERIES[role]):
        assert client.get("/").status_code == 200
    assert SurveyRound.objects.exists()
