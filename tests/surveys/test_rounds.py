"""Opening, reminding, answering, closing: the life of a round."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from surveys import services, tasks, tokens
from surveys.models import AnswerCount, Cadence, Comment, Invitation, InvitationLink, SurveyRound
from teamhealth.models import MetricValue
from tests.factories import MembershipFactory, UserFactory, team_with_members

from .conftest import answer, answered_round, links_from_outbox, open_round, token_of

pytestmark = pytest.mark.django_db


def test_opening_invites_each_current_member_once_with_a_personal_link(
    monday_morning, django_capture_on_commit_callbacks
):
    team = team_with_members(4)
    MembershipFactory(team=team, left_on=timezone.localdate() - dt.timedelta(days=30))
    with django_capture_on_commit_callbacks(execute=True):
        opened = services.open_due_rounds(now=monday_morning)
    assert [o.invited for o in opened] == [4]
    survey_round = SurveyRound.objects.get(team=team)
    assert survey_round.period_start == dt.date(2026, 11, 16)
    assert survey_round.closes_at == monday_morning + dt.timedelta(days=5)
    assert survey_round.minimum_group_size == 5
    assert survey_round.questions.count() == 13  # 12 Likert + eNPS
    links = links_from_outbox()
    assert len(mail.outbox) == 4
    assert len(set(links.values())) == 4
    hashes = set(InvitationLink.objects.values_list("token_hash", flat=True))
    for link in links.values():
        assert tokens.hash_token(token_of(link)) in hashes
        assert token_of(link) not in hashes


def test_beat_firing_twice_opens_one_round_and_sends_one_invitation_per_person(
    monday_morning, django_capture_on_commit_callbacks
):
    team = team_with_members(3)
    Cadence.objects.create(team=team)
    with django_capture_on_commit_callbacks(execute=True):
        services.open_due_rounds(now=monday_morning)
        services.open_due_rounds(now=monday_morning + dt.timedelta(hours=1))
    assert SurveyRound.objects.filter(team=team).count() == 1
    assert Invitation.objects.count() == 3
    assert len(mail.outbox) == 3


def test_the_same_task_delivered_twice_sends_one_invitation_per_person(
    django_capture_on_commit_callbacks,
):
    team = team_with_members(3)
    Cadence.objects.create(team=team, open_days=14)
    with django_capture_on_commit_callbacks(execute=True):
        first = tasks.open_due_rounds.apply().get()
        second = tasks.open_due_rounds.apply().get()
    assert (first, second) == (1, 0)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        team.memberships.values_list("user__email", flat=True)
    )


def test_a_racing_opener_whose_insert_lost_sends_nothing(
    monday_morning, django_capture_on_commit_callbacks
):
    """Two workers at once: the other run's row won the unique constraint first."""
    team = team_with_members(3)
    SurveyRound.objects.create(
        team=team,
        period_start=dt.date(2026, 11, 16),
        opened_at=monday_morning,
        closes_at=monday_morning + dt.timedelta(days=5),
        minimum_group_size=5,
        minimum_comments=5,
        opening_run="00000000-0000-4000-8000-000000000000",
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.open_due_rounds(now=monday_morning) == []
    assert SurveyRound.objects.filter(team=team).count() == 1
    assert mail.outbox == []


def test_one_round_per_team_and_period_is_a_database_constraint(monday_morning):
    team = team_with_members(1)
    fields = {
        "team": team,
        "period_start": dt.date(2026, 11, 16),
        "opened_at": monday_morning,
        "closes_at": monday_morning + dt.timedelta(days=5),
        "minimum_group_size": 5,
        "minimum_comments": 5,
        "opening_run": "00000000-0000-4000-8000-000000000001",
    }
    SurveyRound.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyRound.objects.create(**fields)


def test_no_round_opens_after_the_open_window_of_the_period(monday_morning):
    team_with_members(2)
    assert services.open_due_rounds(now=monday_morning + dt.timedelta(days=5)) == []


def test_cadence_every_week_and_open_days_come_from_admin_settings(monday_morning):
    team = team_with_members(2)
    Cadence.objects.create(team=team, every_weeks=1, open_days=3)
    services.open_due_rounds(now=monday_morning + dt.timedelta(days=7))
    survey_round = SurveyRound.objects.get(team=team)
    assert survey_round.period_start == dt.date(2026, 11, 23)
    assert survey_round.closes_at - survey_round.opened_at == dt.timedelta(days=3)


def test_answers_are_added_to_counts_and_the_invitation_marked(django_assert_num_queries):
    team = team_with_members(5)
    survey_round = open_round(team)
    invitation = Invitation.objects.filter(round=survey_round).first()
    answer(invitation, 2, comment="More pairing, please.", enps=9)
    invitation.refresh_from_db()
    assert invitation.has_answered
    counted = AnswerCount.objects.filter(round=survey_round, count__gt=0)
    assert counted.count() == 13
    assert set(counted.values_list("count", flat=True)) == {1}
    assert Comment.objects.get(round=survey_round).text == "More pairing, please."


def test_submitting_twice_stores_one_set_of_answers():
    survey_round = open_round(team_with_members(5))
    invitation = Invitation.objects.filter(round=survey_round).first()
    answer(invitation, 3, comment="once")
    stale = Invitation.objects.select_related("round").get(pk=invitation.pk)
    stale.has_answered = False  # a second tab loaded before the first submit
    with pytest.raises(services.AlreadyAnsweredError):
        answer(stale, 3, comment="twice")
    assert sum(AnswerCount.objects.filter(round=survey_round).values_list("count", flat=True)) == 12
    assert Comment.objects.count() == 1


@pytest.mark.parametrize("team_size", [3, 30])
def test_submit_does_a_fixed_number_of_queries_whatever_the_team_size(
    team_size, django_assert_num_queries
):
    survey_round = open_round(team_with_members(team_size))
    invitation = Invitation.objects.select_related("round").filter(round=survey_round).first()
    answers = {q.pk: 4 for q in survey_round.questions.filter(kind="likert")}
    # savepoint, lock round, questions, claim invitation, spend its links, update counts,
    # comment, release
    with django_assert_num_queries(8):
        services.record_survey_answers(invitation=invitation, answers=answers, comment="ok")


def test_answers_must_cover_every_likert_question_with_an_offered_value():
    survey_round = open_round(team_with_members(5))
    invitation = Invitation.objects.select_related("round").filter(round=survey_round).first()
    question = survey_round.questions.filter(kind="likert").first()
    with pytest.raises(ValidationError):
        services.record_survey_answers(invitation=invitation, answers={question.pk: 6})
    invitation.refresh_from_db()
    assert not invitation.has_answered


def test_a_closed_round_takes_no_answers():
    survey_round = open_round(team_with_members(5))
    invitation = Invitation.objects.select_related("round").filter(round=survey_round).first()
    services.close_round(survey_round=survey_round)
    with pytest.raises(services.AlreadyAnsweredError):
        answer(invitation, 4)


def test_day_3_reminder_goes_only_to_non_respondents_with_a_fresh_link(
    monday_morning, django_capture_on_commit_callbacks
):
    team = team_with_members(4)
    with django_capture_on_commit_callbacks(execute=True):
        services.open_due_rounds(now=monday_morning)
    first_links = links_from_outbox()
    survey_round = SurveyRound.objects.get(team=team)
    answered = Invitation.objects.select_related("round", "user").filter(round=survey_round)[:2]
    for invitation in answered:
        services.record_survey_answers(
            invitation=invitation,
            answers={q.pk: 4 for q in survey_round.questions.filter(kind="likert")},
            now=monday_morning + dt.timedelta(days=1),
        )
    answered_emails = {i.user.email for i in answered}
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_due_reminders(now=monday_morning + dt.timedelta(days=1)) == 0
        assert services.send_due_reminders(now=monday_morning + dt.timedelta(days=2)) == 2
        assert services.send_due_reminders(now=monday_morning + dt.timedelta(days=2, hours=1)) == 0
    reminded = {m.to[0] for m in mail.outbox}
    assert len(reminded) == 2
    assert not reminded & answered_emails
    new_links = links_from_outbox()
    for address, link in new_links.items():
        assert link != first_links[address]
        assert InvitationLink.objects.filter(token_hash=tokens.hash_token(token_of(link))).exists()
        assert not InvitationLink.objects.filter(
            token_hash=tokens.hash_token(token_of(first_links[address]))
        ).exists()


def test_closing_totals_participation_and_pushes_the_feedback_score_to_team_health():
    survey_round = answered_round(team_size=7, answers=5, value=4)
    assert survey_round.status == "closed"
    assert (survey_round.invited_count, survey_round.response_count) == (7, 5)
    assert survey_round.feedback_score == Decimal("75.0")
    metric = MetricValue.objects.get(team=survey_round.team, metric="feedback_score")
    assert metric.value == Decimal("75.00")
    assert metric.period_start == survey_round.period_start
    assert metric.source == "survey"
    assert metric.entered_via.startswith("survey round ")


def test_closing_below_k_keeps_no_score_and_pushes_nothing():
    survey_round = answered_round(team_size=7, answers=4)
    assert survey_round.feedback_score is None
    assert not survey_round.has_results
    assert not MetricValue.objects.filter(team=survey_round.team).exists()


def test_close_due_rounds_closes_only_rounds_past_their_deadline():
    survey_round = open_round(team_with_members(3))
    assert services.close_due_rounds(now=survey_round.closes_at - dt.timedelta(minutes=1)) == []
    assert services.close_due_rounds(now=survey_round.closes_at) == [survey_round.pk]
    assert services.close_due_rounds(now=survey_round.closes_at) == []
    survey_round.refresh_from_db()
    assert survey_round.status == "closed"


def test_minimum_group_size_is_never_below_3_only_raised_while_open_and_locked_after():
    survey_round = open_round(team_with_members(5))
    with pytest.raises(ValidationError):
        services.set_minimum_group_size(survey_round=survey_round, minimum_group_size=2)
    # Lowering is refused from the moment the round opens, before anyone answers,
    # so the refusal itself cannot tell that someone has answered.
    with pytest.raises(ValidationError, match="never lowered"):
        services.set_minimum_group_size(survey_round=survey_round, minimum_group_size=4)
    services.set_minimum_group_size(survey_round=survey_round, minimum_group_size=6)
    answer(Invitation.objects.select_related("round").filter(round=survey_round).first(), 4)
    with pytest.raises(ValidationError, match="never lowered"):
        services.set_minimum_group_size(survey_round=survey_round, minimum_group_size=5)
    services.close_round(survey_round=survey_round)
    with pytest.raises(ValidationError, match="locked"):
        services.set_minimum_group_size(survey_round=survey_round, minimum_group_size=7)
    survey_round.refresh_from_db()
    assert survey_round.minimum_group_size == 6
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyRound.objects.filter(pk=survey_round.pk).update(minimum_group_size=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Cadence.objects.filter(team=survey_round.team).update(minimum_group_size=1)


def test_manager_publishes_early_with_a_note_and_the_team_is_emailed(
    django_capture_on_commit_callbacks,
):
    manager = UserFactory(roles=["Manager"])
    survey_round = answered_round(manager=manager)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_results(survey_round=survey_round, by=manager, note="Thanks, all.")
    survey_round.refresh_from_db()
    assert survey_round.status == "published"
    assert len(mail.outbox) == 6
    assert "Thanks, all." in mail.outbox[0].body
    assert survey_round.get_absolute_url() in mail.outbox[0].body


def test_an_open_round_cannot_be_published():
    survey_round = open_round(team_with_members(5))
    with pytest.raises(ValidationError):
        services.publish_results(survey_round=survey_round)


def test_results_are_published_automatically_48_hours_after_close(
    django_capture_on_commit_callbacks,
):
    survey_round = answered_round()
    closed = survey_round.closed_at
    with django_capture_on_commit_callbacks(execute=True):
        assert services.publish_due_results(now=closed + dt.timedelta(hours=47)) == []
        assert services.publish_due_results(now=closed + dt.timedelta(hours=48)) == [
            survey_round.pk
        ]
        assert services.publish_due_results(now=closed + dt.timedelta(hours=49)) == []
    assert len(mail.outbox) == 6


def _plan(survey_round, manager, **overrides):
    from surveys import selectors

    concerns = selectors.round_results(survey_round).top_concerns
    return [
        services.ActionInput(
            question_id=c.question_id,
            what=overrides.get("what", f"Act on {c.text}"),
            owner=overrides.get("owner", manager),
            due_on=overrides.get("due_on", timezone.localdate() + dt.timedelta(days=14)),
        )
        for c in concerns
    ]


def test_action_plan_has_one_action_per_top_concern_and_is_emailed_to_the_team(
    django_capture_on_commit_callbacks,
):
    manager = UserFactory(roles=["Manager"])
    survey_round = answered_round(manager=manager)
    actions = _plan(survey_round, manager)
    with pytest.raises(ValidationError):
        services.save_action_plan(survey_round=survey_round, by=manager, actions=actions[:2])
    with pytest.raises(ValidationError):
        services.save_action_plan(
            survey_round=survey_round,
            by=manager,
            actions=_plan(survey_round, manager, owner=UserFactory()),
        )
    with django_capture_on_commit_callbacks(execute=True):
        plan = services.save_action_plan(survey_round=survey_round, by=manager, actions=actions)
    assert plan.items.count() == 3
    assert len(mail.outbox) == 6
    assert "action plan" in mail.outbox[0].subject
    survey_round.refresh_from_db()
    assert survey_round.status == "published"  # the team sees the results the plan answers


@pytest.fixture
def overdue_calls(monkeypatch):
    """Calls of teamhealth's raise_action_plan_overdue, which still runs for real."""
    from teamhealth.services import alerts as teamhealth_alerts

    calls = []
    real = teamhealth_alerts.raise_action_plan_overdue

    def spy(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(teamhealth_alerts, "raise_action_plan_overdue", spy)
    return calls


def test_overdue_action_plan_emails_the_manager_and_raises_a_team_health_alert_once(
    django_capture_on_commit_callbacks, overdue_calls
):
    manager = UserFactory(roles=["Manager"])
    survey_round = answered_round(manager=manager)
    closed = survey_round.closed_at
    with django_capture_on_commit_callbacks(execute=True):
        assert services.flag_overdue_action_plans(now=closed + dt.timedelta(days=7)) == []
        assert services.flag_overdue_action_plans(now=closed + dt.timedelta(days=8)) == [
            survey_round.pk
        ]
        assert services.flag_overdue_action_plans(now=closed + dt.timedelta(days=9)) == []
    # One email, from the team-health alert.
    assert [m.to for m in mail.outbox] == [[manager.email]]
    assert "Survey action plan overdue" in mail.outbox[0].subject
    assert overdue_calls == [
        {
            "team": survey_round.team,
            "round_label": survey_round.label,
            "closed_on": timezone.localdate(closed),
        }
    ]


def test_no_overdue_alert_when_the_action_plan_was_published(overdue_calls):
    manager = UserFactory(roles=["Manager"])
    survey_round = answered_round(manager=manager)
    services.save_action_plan(
        survey_round=survey_round, by=manager, actions=_plan(survey_round, manager)
    )
    assert services.flag_overdue_action_plans(now=timezone.now() + dt.timedelta(days=8)) == []
    assert overdue_calls == []


def test_the_schedule_is_seeded_as_editable_django_celery_beat_tasks():
    from django_celery_beat.models import PeriodicTask

    seeded = dict(
        PeriodicTask.objects.filter(task__startswith="surveys.").values_list("task", "enabled")
    )
    assert seeded == {
        "surveys.tasks.open_due_rounds": True,
        "surveys.tasks.close_due_rounds": True,
        "surveys.tasks.send_due_reminders": True,
        "surveys.tasks.publish_due_results": True,
        "surveys.tasks.check_overdue_action_plans": True,
    }
    from config.celery_app import app

    app.loader.import_default_modules()
    assert set(seeded) <= set(app.tasks)


def test_question_bank_is_seeded_with_three_questions_per_dimension_and_enps():
    from surveys.models import Dimension, Question

    for dimension in Dimension.values:
        assert Question.objects.filter(kind="likert", dimension=dimension).count() >= 3
    assert Question.objects.filter(kind="enps").count() == 1
    assert Question.objects.filter(
        text__startswith="My manager provides actionable, specific feedback"
    ).exists()


def test_publishing_the_action_plan_resolves_the_overdue_alert():
    from teamhealth.models import Alert, AlertSubject

    manager = UserFactory(roles=["Manager"])
    survey_round = answered_round(manager=manager)
    services.flag_overdue_action_plans(now=survey_round.closed_at + dt.timedelta(days=8))
    alert = Alert.objects.get(team=survey_round.team, subject=AlertSubject.ACTION_PLAN)
    assert alert.status == Alert.Status.FIRING

    services.save_action_plan(
        survey_round=survey_round, by=manager, actions=_plan(survey_round, manager)
    )
    alert.refresh_from_db()
    assert alert.status == Alert.Status.RESOLVED


@pytest.mark.parametrize(("answers", "shown"), [(4, False), (5, True)])
def test_the_published_email_says_plainly_when_a_round_is_hidden_and_carries_no_number(
    answers, shown, django_capture_on_commit_callbacks
):
    manager = UserFactory(roles=["Manager"])
    survey_round = answered_round(team_size=6, answers=answers, value=3, manager=manager)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_results(survey_round=survey_round, by=manager)
    body = mail.outbox[-1].body
    assert ("are published" in body) is shown
    assert ("Fewer than 5 people answered, so nothing of it is shown" in body) is not shown
    assert f"{answers} of 6" not in body
    assert "50.0" not in body  # the score (every answer was 3)
