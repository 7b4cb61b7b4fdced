"""The action plan's deadline (teamhealth.survey_summaries): pages and the alert agree.

PRODUCT.md: the plan is published within 1 week of the round closing. The
pages say "due by" the 7th day after the close, that whole day counts, and the
"action plan overdue" alert fires from the next day, when the pages start
saying "overdue since".
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from surveys import services
from surveys.models import SurveyRound
from teamhealth.models import Alert, AlertSubject, SurveySummary
from tests.factories import UserFactory
from tests.surveys.conftest import answered_round

pytestmark = pytest.mark.django_db


def closed_days_ago(survey_round: SurveyRound, days: int) -> SurveyRound:
    closed_at = timezone.now() - dt.timedelta(days=days)
    SurveyRound.objects.filter(pk=survey_round.pk).update(closed_at=closed_at)
    SurveySummary.objects.filter(team=survey_round.team).update(
        closed_on=timezone.localdate(closed_at)
    )
    survey_round.refresh_from_db()
    return survey_round


@pytest.mark.parametrize(("days_since_close", "overdue"), [(0, False), (7, False), (8, True)])
def test_the_alert_fires_on_the_first_day_the_pages_say_overdue(
    days_since_close, overdue, client_for
):
    manager = UserFactory(roles=["Manager"])
    survey_round = closed_days_ago(answered_round(manager=manager), days_since_close)
    due = survey_round.action_plan_due_on
    assert due == timezone.localdate() + dt.timedelta(days=7 - days_since_close)
    client = client_for(manager)
    team_page = client.get(
        reverse("teamhealth:team_detail", args=[survey_round.team.slug])
    ).content.decode()
    survey_page = client.get(reverse("surveys:home")).content.decode()

    flagged = services.flag_overdue_action_plans()

    alert = Alert.objects.filter(team=survey_round.team, subject=AlertSubject.ACTION_PLAN)
    if overdue:
        since = due + dt.timedelta(days=1)
        assert f"Action plan overdue since {since:%-d %b %Y}" in team_page
        assert f"Action plan overdue since {since:%-d %b}" in survey_page
        assert flagged == [survey_round.pk]
        assert alert.get().status == Alert.Status.FIRING
    else:
        assert f"Action plan due by {due:%-d %b %Y}" in team_page
        assert f"Action plan due by {due:%-d %b}" in survey_page
        assert flagged == []
        assert not alert.exists()


def test_the_alert_waits_for_the_end_of_the_due_day():
    survey_round = answered_round(manager=UserFactory(roles=["Manager"]))
    due = survey_round.action_plan_due_on
    tz = timezone.get_current_timezone()
    last_minute = dt.datetime.combine(due, dt.time(23, 59), tzinfo=tz)
    assert services.flag_overdue_action_plans(now=last_minute) == []
    next_morning = dt.datetime.combine(due + dt.timedelta(days=1), dt.time(0, 1), tzinfo=tz)
    assert services.flag_overdue_action_plans(now=next_morning) == [survey_round.pk]
