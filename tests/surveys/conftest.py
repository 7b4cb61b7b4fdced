import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from surveys import services
from surveys.models import Cadence, Invitation, Question, SurveyRound
from tests.factories import team_with_members


def open_round(team, *, now=None, open_days=14, **cadence) -> SurveyRound:
    """Open ``team``'s round of the current period, open long enough to answer now."""
    now = now or timezone.now()
    Cadence.objects.update_or_create(team=team, defaults={"open_days": open_days, **cadence})
    services.open_due_rounds(now=now)
    return SurveyRound.objects.filter(team=team).latest("period_start")


def links_from_outbox(kind: str = "") -> dict[str, str]:
    """{email address: survey link} from the emails sent so far (whose subject has ``kind``)."""
    links = {}
    for message in mail.outbox:
        if kind.lower() not in message.subject.lower():
            continue
        for line in message.body.splitlines():
            if "/surveys/a/" in line:
                links[message.to[0]] = line.strip()
    return links


def open_link(client, link: str) -> str:
    """Open an emailed link as a browser does; the address of the answer page it leads to."""
    response = client.get(link.replace("http://testserver", ""))
    assert response.status_code == 302, "the link is not valid"
    return response["Location"]


def token_of(link: str) -> str:
    return link.rstrip("/").rsplit("/", 1)[-1]


def likert_questions(survey_round):
    return list(survey_round.questions.filter(kind=Question.Kind.LIKERT).order_by("position"))


def answer(invitation, value=4, *, comment="", per_question=None, enps=None):
    """Submit the same Likert value to every question (or per-question values)."""
    survey_round = invitation.round
    answers = {}
    for question in survey_round.questions.all():
        if question.kind == Question.Kind.LIKERT:
            answers[question.pk] = (per_question or {}).get(question.pk, value)
        else:
            answers[question.pk] = enps
    services.record_survey_answers(invitation=invitation, answers=answers, comment=comment)


def answered_round(team_size=6, answers=5, value=4, *, manager=None, comments=(), **kwargs):
    """A closed round of a new team where ``answers`` members answered ``value``."""
    team = team_with_members(team_size, manager=manager, **kwargs)
    survey_round = open_round(team)
    invitations = list(Invitation.objects.filter(round=survey_round).select_related("round"))
    for index, invitation in enumerate(invitations[:answers]):
        text = comments[index] if index < len(comments) else ""
        answer(invitation, value, comment=text)
    return services.close_round(survey_round=survey_round)


@pytest.fixture
def monday_morning():
    """09:00 on the first day of a period (a Monday), as an aware datetime."""
    return dt.datetime(2026, 11, 16, 9, 0, tzinfo=dt.UTC)
