"""Pages: answering from a link or signed in, results, permissions, query counts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from surveys import selectors, services, tokens
from surveys.models import ActionPlan, AnswerCount, Invitation, InvitationLink, SurveyRound
from teamhealth.models import MetricValue, SurveySummary
from tests.factories import MembershipFactory, UserFactory, team_with_members

from .conftest import answer, answered_round, links_from_outbox, open_link, open_round, token_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def invited(django_capture_on_commit_callbacks):
    """An open round of a 5-person team, and one member's emailed link."""
    team = team_with_members(5)
    with django_capture_on_commit_callbacks(execute=True):
        survey_round = open_round(team)
    address, link = sorted(links_from_outbox().items())[0]
    return survey_round, link, address


def _post_data(survey_round, value=4, comment=""):
    data = {f"q{q.pk}": value for q in survey_round.questions.filter(kind="likert")}
    data["comment"] = comment
    return data


def test_the_emailed_link_opens_the_form_without_logging_in(invited):
    _survey_round, link, _ = invited
    client = Client()
    response = client.get(link.replace("http://testserver", ""), follow=True)
    assert response.status_code == 200
    # The answer page's address carries the token's hash, signed, never the token.
    answer_page = response.redirect_chain[-1][0]
    assert answer_page.startswith("/surveys/answer/")
    assert tokens.hash_from_signed(answer_page.split("/")[-2]) == tokens.hash_token(token_of(link))
    assert token_of(link) not in answer_page
    page = response.content.decode()
    assert "What is stored and who sees what" in page
    assert "at least <strong>5 people</strong>" in page
    assert "Strongly disagree" in page
    assert "Strongly agree" in page
    # The token is never written into the page.
    assert token_of(link) not in page


def test_answering_from_the_link_stores_once_and_then_the_link_looks_unknown(invited):
    survey_round, link, _ = invited
    client = Client()
    form_url = open_link(client, link)
    response = client.post(form_url, _post_data(survey_round, 5), follow=True)
    assert "Thank you. Your answers are stored, anonymously." in response.content.decode()
    # A second tab posting the same form, and the link opened again: stored nothing.
    second = client.post(form_url, _post_data(survey_round, 1))
    assert "This survey link does not work" in second.content.decode()
    # The link is spent: opened again, elsewhere, it tells nothing about its owner.
    again = Client().get(link.replace("http://testserver", ""), follow=True)
    assert "This survey link does not work" in again.content.decode()
    counts = dict(
        AnswerCount.objects.filter(round=survey_round, question__kind="likert")
        .exclude(count=0)
        .values_list("value", "count")
        .distinct()
    )
    assert counts == {5: 1}


def test_a_missing_answer_is_reported_next_to_the_question(invited):
    survey_round, link, _ = invited
    client = Client()
    form_url = open_link(client, link)
    data = _post_data(survey_round)
    data.pop(next(iter(data)))
    response = client.post(form_url, data)
    assert response.status_code == 200
    assert "Choose an answer." in response.content.decode()
    assert not Invitation.objects.filter(has_answered=True).exists()


def test_an_unknown_link_gets_a_clear_page():
    response = Client().get(reverse("surveys:answer_link", args=["not-a-real-token"]))
    assert response.status_code == 200
    assert "This survey link does not work" in response.content.decode()


def test_a_link_of_a_closed_round_stops_working(invited):
    survey_round, link, _ = invited
    services.close_round(survey_round=survey_round)
    response = Client().get(link.replace("http://testserver", ""), follow=True)
    assert "This survey link does not work" in response.content.decode()
    assert "when its survey closes" in response.content.decode()


def test_a_signed_in_member_answers_from_the_app(invited, client_for):
    survey_round, _, address = invited
    user = Invitation.objects.get(round=survey_round, user__email=address).user
    client = client_for(user)
    home = client.get(reverse("surveys:home"))
    assert "Answer now" in home.content.decode()
    url = reverse("surveys:answer", args=[survey_round.pk])
    response = client.post(url, _post_data(survey_round, 3), follow=True)
    assert "Thank you. Your answers are stored, anonymously." in response.content.decode()
    assert Invitation.objects.get(round=survey_round, user=user).has_answered
    # Back on the answer page, the person who just answered is thanked, not told off.
    again = client.get(url).content.decode()
    assert "Thank you. Your answers to the" in again
    assert "already answered" not in again


def test_answering_signed_in_never_writes_the_session(invited, client_for, shifted_clock):
    # Long enough since sign-in that any other page would refresh the last-seen stamp:
    # a session row written as someone answers would say who answered when.
    survey_round, _, address = invited
    user = Invitation.objects.get(round=survey_round, user__email=address).user
    client = client_for(user)
    session = Session.objects.get()
    shifted_clock.advance(dt.timedelta(hours=1))
    url = reverse("surveys:answer", args=[survey_round.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, _post_data(survey_round, 3)).status_code == 302
    assert Invitation.objects.get(round=survey_round, user=user).has_answered
    after = Session.objects.get()
    assert (after.session_data, after.expire_date) == (session.session_data, session.expire_date)


def test_someone_not_invited_cannot_answer_signed_in(invited, client_for):
    survey_round, _, _ = invited
    outsider = UserFactory(roles=["Engineer"])
    response = client_for(outsider).get(reverse("surveys:answer", args=[survey_round.pk]))
    assert response.status_code == 404


# ---------------------------------------------------------------- results & permissions


def test_nothing_of_an_open_round_is_shown_even_to_its_manager(client_for):
    manager = UserFactory(roles=["Manager"])
    survey_round = open_round(team_with_members(6, manager=manager))
    for invitation in Invitation.objects.select_related("round").filter(round=survey_round):
        answer(invitation, 4)
    page = client_for(manager).get(survey_round.get_absolute_url()).content.decode()
    assert "Nothing of it is shown while it is open" in page
    assert "Feedback score" not in page
    assert "6 of 6" not in page


def test_below_k_nothing_is_shown_no_score_count_concern_or_comment(client_for):
    manager = UserFactory(roles=["Manager"])
    survey_round = answered_round(
        team_size=6, answers=4, manager=manager, comments=["secret one", "secret two"]
    )
    page = client_for(manager).get(survey_round.get_absolute_url()).content.decode()
    assert "Fewer than 5 people answered" in page
    for hidden in ("4 of 6", "Top 3 concerns", "secret one", "feedback-score", "Participation"):
        assert hidden not in page


def test_results_after_close_show_scores_participation_concerns_and_comments(client_for):
    manager = UserFactory(roles=["Manager"])
    comments = [f"comment number {i}" for i in range(5)]
    survey_round = answered_round(team_size=7, answers=5, manager=manager, comments=comments)
    page = client_for(manager).get(survey_round.get_absolute_url()).content.decode()
    assert 'data-testid="feedback-score">75.0<' in page
    assert "5 of 7 answered" in page
    assert "Top 3 concerns" in page
    assert all(c in page for c in comments)
    assert 'id="trend-data"' in page
    assert "chart.umd.min.js" in page


def _part(page: str, testid: str) -> str:
    return page.split(f'data-testid="{testid}"', 1)[1].split("</", 1)[0]


def test_comments_below_their_own_threshold_are_not_shown(client_for):
    manager = UserFactory(roles=["Manager"])
    survey_round = answered_round(team_size=7, answers=6, manager=manager, comments=["a", "b"])
    page = client_for(manager).get(survey_round.get_absolute_url()).content.decode()
    assert "Comments are shown only when at least 5 people write one" in page
    assert "<blockquote" not in page


def test_no_comment_and_no_enps_answer_read_the_same_as_a_few(client_for):
    # "Fewer than 5 wrote a comment" would tell the manager that somebody did.
    manager = UserFactory(roles=["Manager"])
    pages = []
    for comments, enps_answers in (((), 0), (("a", "b"), 2)):
        team = team_with_members(7, manager=manager)
        survey_round = open_round(team)
        invitations = Invitation.objects.filter(round=survey_round).select_related("round")
        for index, invitation in enumerate(invitations[:6]):
            text = comments[index] if index < len(comments) else ""
            answer(invitation, 4, comment=text, enps=7 if index < enps_answers else None)
        survey_round = services.close_round(survey_round=survey_round)
        pages.append(client_for(manager).get(survey_round.get_absolute_url()).content.decode())
    for testid in ("comments-hidden", "enps-hidden"):
        none, few = (_part(page, testid) for page in pages)
        assert none == few
        assert "at least 5 people" in none


def test_the_next_round_shows_whether_earlier_concerns_moved(client_for):
    manager = UserFactory(roles=["Manager"])
    earlier = answered_round(team_size=6, answers=5, value=2, manager=manager)
    SurveyRound.objects.filter(pk=earlier.pk).update(
        period_start=earlier.period_start - dt.timedelta(days=14)
    )
    later = open_round(earlier.team)
    for invitation in Invitation.objects.select_related("round").filter(round=later)[:5]:
        answer(invitation, 4)
    later = services.close_round(survey_round=later)
    page = client_for(manager).get(later.get_absolute_url()).content.decode()
    assert "Did the earlier concerns move?" in page
    assert "Improved by 50.0" in page


@pytest.mark.parametrize(
    ("who", "published", "status"),
    [
        ("team manager", False, 200),
        ("other manager", False, 404),
        ("other manager", True, 404),
        ("director", False, 200),
        ("admin", False, 200),
        ("superuser", False, 200),
        ("staff without the Admin role", False, 404),
        ("member engineer", False, 404),
        ("member engineer", True, 200),
        ("other team engineer", True, 404),
        ("interviewer", True, 404),
    ],
)
def test_who_may_read_a_rounds_results(who, published, status, client_for):
    manager = UserFactory(roles=["Manager"])
    survey_round = answered_round(manager=manager)
    member = survey_round.team.memberships.first().user
    if published:
        services.publish_results(survey_round=survey_round, by=manager)
    people = {
        "team manager": manager,
        "other manager": team_with_members(
            1, manager=UserFactory(roles=["Manager"])
        ).managers.first(),
        "director": UserFactory(roles=["Director"]),
        "admin": UserFactory(roles=["Admin"]),
        "superuser": UserFactory(is_staff=True, is_superuser=True),
        "staff without the Admin role": UserFactory(is_staff=True),
        "member engineer": member,
        "other team engineer": MembershipFactory(user=UserFactory(roles=["Engineer"])).user,
        "interviewer": UserFactory(roles=["Interviewer"]),
    }
    response = client_for(people[who]).get(survey_round.get_absolute_url())
    assert response.status_code == status


@pytest.mark.parametrize("who", ["member engineer", "other manager", "director"])
def test_only_the_teams_manager_publishes_and_writes_the_action_plan(who, client_for):
    manager = UserFactory(roles=["Manager"])
    survey_round = answered_round(manager=manager)
    services.publish_results(survey_round=survey_round, by=manager)
    people = {
        "member engineer": survey_round.team.memberships.first().user,
        "other manager": team_with_members(
            1, manager=UserFactory(roles=["Manager"])
        ).managers.first(),
        "director": UserFactory(roles=["Director"]),
    }
    client = client_for(people[who])
    assert client.post(reverse("surveys:publish", args=[survey_round.pk])).status_code == 404
    assert client.get(reverse("surveys:action_plan", args=[survey_round.pk])).status_code == 404


def test_manager_publishes_results_and_an_action_plan_from_the_pages(
    client_for, django_capture_on_commit_callbacks
):
    manager = UserFactory(roles=["Manager"])
    survey_round = answered_round(manager=manager)
    client = client_for(manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("surveys:publish", args=[survey_round.pk]), {"note": "Let's talk."})
    survey_round.refresh_from_db()
    assert survey_round.status == "published"
    url = reverse("surveys:action_plan", args=[survey_round.pk])
    form = client.get(url)
    concerns = form.context["forms"]
    assert len(concerns) == 3
    due = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    data = {}
    for index in range(3):
        data.update(
            {
                f"a{index}-what": f"Action {index}",
                f"a{index}-owner": manager.pk,
                f"a{index}-due_on": due,
            }
        )
    response = client.post(url, data, follow=True)
    assert "Action plan published to the team." in response.content.decode()
    assert ActionPlan.objects.get(round=survey_round).items.count() == 3
    member = survey_round.team.memberships.first().user
    page = client_for(member).get(survey_round.get_absolute_url()).content.decode()
    assert "Action 0" in page
    assert "Let&#x27;s talk." in page


def test_action_due_date_before_close_is_refused(client_for):
    manager = UserFactory(roles=["Manager"])
    survey_round = answered_round(manager=manager)
    url = reverse("surveys:action_plan", args=[survey_round.pk])
    early = (timezone.localdate() - dt.timedelta(days=3)).isoformat()
    data = {}
    for index in range(3):
        data.update(
            {f"a{index}-what": "x", f"a{index}-owner": manager.pk, f"a{index}-due_on": early}
        )
    response = client_for(manager).post(url, data)
    assert "cannot be before the round closed" in response.content.decode()
    assert not ActionPlan.objects.exists()


def test_overview_hides_small_teams_and_the_total_pools_only_shown_ones(client_for):
    director = UserFactory(roles=["Director"])
    big = answered_round(team_size=6, answers=5, value=5, name="Big team")
    answered_round(team_size=6, answers=2, value=1, name="Small team")
    page = client_for(director).get(reverse("surveys:overview") + "?view=period").content.decode()
    assert "Hidden: too few answers" in page
    # The total is Big team's own 100.0: nothing of Small team's 2 answers is in it.
    assert 'data-testid="rollup-total">100.0<' in page
    assert big.feedback_score == 100


def test_overview_is_404_for_engineers(client_for):
    assert (
        client_for(UserFactory(roles=["Engineer"])).get(reverse("surveys:overview")).status_code
        == 404
    )


# ---------------------------------------------------------------- query counts


def _rounds_for(manager, count):
    for index in range(count):
        survey_round = answered_round(team_size=5, answers=5, manager=manager, name=f"T{index}")
        services.publish_results(survey_round=survey_round, by=manager)
        survey_round.refresh_from_db()
    return survey_round


@pytest.mark.parametrize("rounds", [1, 6])
def test_survey_home_query_count_is_fixed(rounds, client_for, django_assert_num_queries):
    manager = UserFactory(roles=["Manager", "Engineer"])
    last = _rounds_for(manager, rounds)
    MembershipFactory(team=last.team, user=manager)
    client = client_for(manager)
    # session, user, roles, to answer, team results, managed rounds
    with django_assert_num_queries(6):
        response = client.get(reverse("surveys:home"))
    assert response.status_code == 200


def test_survey_home_of_a_manager_who_answers_no_survey_lists_only_their_teams_rounds(
    client_for,
):
    manager = UserFactory(roles=["Manager"])
    _rounds_for(manager, 1)
    text = client_for(manager).get(reverse("surveys:home")).content.decode()
    assert "Rounds of the teams you manage" in text
    # Not two empty cards about "your" surveys above a table of published rounds.
    assert "Nothing to answer right now." not in text
    assert "No published results yet." not in text


def test_survey_home_of_an_engineer_without_rounds_says_so():
    engineer = UserFactory(roles=["Engineer"])
    client = Client()
    client.force_login(engineer)
    text = client.get(reverse("surveys:home")).content.decode()
    assert "Nothing to answer right now." in text
    assert "No published results yet." in text


@pytest.mark.parametrize(("team_size", "comments"), [(5, 0), (25, 8)])
def test_results_page_query_count_is_fixed(
    team_size, comments, client_for, django_assert_num_queries
):
    manager = UserFactory(roles=["Manager"])
    earlier = answered_round(team_size=team_size, answers=team_size, manager=manager)
    SurveyRound.objects.filter(pk=earlier.pk).update(
        period_start=earlier.period_start - dt.timedelta(days=14)
    )
    later = open_round(earlier.team)
    for index, invitation in enumerate(
        Invitation.objects.select_related("round").filter(round=later)
    ):
        answer(invitation, 3, comment="c" if index < comments else "")
    later = services.close_round(survey_round=later)
    client = client_for(manager)
    # session, user, round+access, roles, questions, trend, counts, comments,
    # previous questions, previous plan's actions, action plan
    with django_assert_num_queries(11):
        response = client.get(later.get_absolute_url())
    assert response.status_code == 200


@pytest.mark.parametrize("teams", [2, 7])
def test_overview_query_count_is_fixed(teams, client_for, django_assert_num_queries):
    director = UserFactory(roles=["Director"])
    for index in range(teams):
        answered_round(team_size=5, answers=5, name=f"Team {index}")
    client = client_for(director)
    # session, user, roles, teams, latest period, rounds of it, pooled totals
    with django_assert_num_queries(7):
        response = client.get(reverse("surveys:overview") + "?view=period")
    assert response.status_code == 200


def test_invitation_emails_carry_the_minimum_group_size(invited):
    assert "at least 5 people answer" in mail.outbox[0].body


def test_a_manager_lists_only_the_rounds_of_their_own_teams(client_for):
    manager = UserFactory(roles=["Manager"])
    mine = answered_round(manager=manager, name="Mine")
    answered_round(manager=UserFactory(roles=["Manager"]), name="Theirs")
    page = client_for(manager).get(reverse("surveys:home")).content.decode()
    assert mine.get_absolute_url() in page
    assert "Theirs" not in page
    overview = (
        client_for(manager).get(reverse("surveys:overview") + "?view=period").content.decode()
    )
    assert "Mine" in overview
    assert "Theirs" not in overview


@pytest.mark.parametrize("team_size", [5, 40])
def test_answer_page_query_count_is_fixed(team_size, django_assert_num_queries):
    team = team_with_members(team_size)
    survey_round = open_round(team)
    token, token_hash = tokens.new_token()
    InvitationLink.objects.create(
        invitation=Invitation.objects.get(round=survey_round, user=team.memberships.first().user),
        token_hash=token_hash,
        kind="invitation",
    )
    client = Client()
    form_url = client.get(reverse("surveys:answer_link", args=[token]))["Location"]
    # invitation with round and team, questions: no session
    with django_assert_num_queries(2):
        response = client.get(form_url)
    assert response.status_code == 200


@pytest.mark.parametrize("team_size", [5, 30])
def test_action_plan_page_query_count_is_fixed(team_size, client_for, django_assert_num_queries):
    manager = UserFactory(roles=["Manager"])
    survey_round = answered_round(team_size=team_size, answers=5, manager=manager)
    client = client_for(manager)
    # session, user, round+access, questions, trend, counts, comments, plan,
    # roles, owners
    with django_assert_num_queries(10):
        response = client.get(reverse("surveys:action_plan", args=[survey_round.pk]))
    assert response.status_code == 200


def test_the_manager_sees_an_overdue_action_plan_on_the_survey_page(client_for):
    manager = UserFactory(roles=["Manager"])
    survey_round = answered_round(manager=manager)
    SurveyRound.objects.filter(pk=survey_round.pk).update(
        closed_at=timezone.now() - dt.timedelta(days=8)
    )
    page = client_for(manager).get(reverse("surveys:home")).content.decode()
    assert "Overdue since" in page


@pytest.mark.parametrize(("enps_answers", "shown"), [(2, False), (4, False), (5, True)])
def test_enps_is_hidden_below_k_answers_to_it_even_when_the_round_is_shown(
    enps_answers, shown, client_for
):
    # Six people answer the round (k = 5) but the eNPS question is optional:
    # two answers to it would show the score of two people (here 0 and 10).
    manager = UserFactory(roles=["Manager"])
    team = team_with_members(7, manager=manager)
    survey_round = open_round(team)
    invitations = list(Invitation.objects.filter(round=survey_round).select_related("round"))
    for index, invitation in enumerate(invitations[:6]):
        answer(invitation, 4, enps=(10 if index % 2 else 0) if index < enps_answers else None)
    survey_round = services.close_round(survey_round=survey_round)
    page = client_for(manager).get(survey_round.get_absolute_url()).content.decode()
    assert "6 of 7 answered" in page
    assert (f"{enps_answers} answers, −100 to 100" in page) is shown
    assert ("shown only when at least 5 people answer this optional question" in page) is not shown
    assert selectors.round_results(survey_round).enps_answers == (enps_answers if shown else 0)


def test_answering_from_a_link_writes_no_session_and_no_cookie(invited):
    survey_round, link, _ = invited
    client = Client()
    form_url = open_link(client, link)
    client.get(form_url)
    response = client.post(form_url, _post_data(survey_round, 4))
    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:answered")
    # Nothing in the browser or the session table ties this person or this
    # moment to an answer: no session row at all, no cookie set by answering.
    assert not Session.objects.exists()
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert settings.SESSION_COOKIE_NAME not in client.cookies
    assert "messages" not in response.cookies
    # The link opened again, later, writes nothing either.
    Client().get(link.replace("http://testserver", ""))
    client.get(link.replace("http://testserver", ""))
    assert not Session.objects.exists()


def test_answering_signed_in_leaves_the_session_row_untouched(invited, client_for):
    survey_round, _, address = invited
    user = Invitation.objects.get(round=survey_round, user__email=address).user
    client = client_for(user)
    url = reverse("surveys:answer", args=[survey_round.pk])
    client.get(url)
    before = list(Session.objects.values_list("session_key", "session_data", "expire_date"))
    response = client.post(url, _post_data(survey_round, 3))
    assert response.status_code == 302
    assert Invitation.objects.get(round=survey_round, user=user).has_answered
    # The row's expiry would say when this person answered: it must not move.
    assert list(Session.objects.values_list("session_key", "session_data", "expire_date")) == (
        before
    )
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert "messages" not in response.cookies


def test_when_everyone_answered_alike_no_page_says_what_each_person_chose(client_for):
    # Five of five answer "Strongly agree" to everything: "100.0" anywhere would
    # tell the manager what each named member answered.
    manager = UserFactory(roles=["Manager", "Director"])
    survey_round = answered_round(team_size=5, answers=5, value=5, manager=manager, name="Five")
    client = client_for(manager)
    page = client.get(survey_round.get_absolute_url()).content.decode()
    assert "5 of 5 answered" in page
    assert 'data-testid="everyone-answered"' in page
    assert "data-percent" not in page
    assert "5.00" not in page
    figure = _part(page, "feedback-score")
    assert "95.0" in figure
    assert "100" not in figure
    assert "or more" in page
    results = selectors.round_results(survey_round)
    assert all(q.score == Decimal("95.0") and q.distribution == () for q in results.questions)
    assert all(d.score < 100 for _, d in results.dimensions)
    # What reaches team health, its charts, alerts and the team page.
    assert survey_round.feedback_score == Decimal("95.0")
    assert MetricValue.objects.get(team=survey_round.team, metric="feedback_score").value == 95
    summary = SurveySummary.objects.get(team=survey_round.team)
    assert summary.feedback_score == 95
    assert all(Decimal(str(score)) < 100 for score in summary.dimension_scores.values())
    team_page = client.get(reverse("teamhealth:team_detail", args=[survey_round.team.slug]))
    assert "100.0" not in team_page.content.decode()
    overview = client.get(reverse("surveys:overview") + "?view=period").content.decode()
    assert 'data-testid="rollup-total">95.0 <span' in overview
    assert ">100.0<" not in overview


def test_when_one_person_did_not_answer_figures_are_exact(client_for):
    manager = UserFactory(roles=["Manager"])
    survey_round = answered_round(team_size=6, answers=5, value=5, manager=manager)
    page = client_for(manager).get(survey_round.get_absolute_url()).content.decode()
    assert "100.0" in _part(page, "feedback-score")
    assert 'data-percent="100.0"' in page
    assert 'data-testid="everyone-answered"' not in page


def test_overview_says_a_round_is_open_while_it_is_and_counts_nothing_of_it(client_for):
    director = UserFactory(roles=["Director"])
    answered_round(team_size=6, answers=5, value=5, name="Closed team")
    still_open = open_round(team_with_members(6, name="Open team"))
    for invitation in Invitation.objects.filter(round=still_open)[:5]:
        answer(invitation, 1)
    page = client_for(director).get(reverse("surveys:overview") + "?view=period").content.decode()
    row = page.split("Open team", 1)[1].split("</tr>", 1)[0]
    assert "No round this period" not in row
    assert ">Open</span>" in row
    assert "results once it closes" in row
    assert still_open.get_absolute_url() in page
    # Its five answers are in no number until it closes.
    assert 'data-testid="rollup-total">100.0<' in page


def test_overview_before_any_round_closed_lists_the_open_ones(client_for):
    director = UserFactory(roles=["Director"])
    open_round(team_with_members(6, name="Open team"))
    page = client_for(director).get(reverse("surveys:overview") + "?view=period").content.decode()
    assert "No closed rounds yet" not in page
    assert "results once it closes" in page
