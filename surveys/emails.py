"""The team emails of a round: results are out, the action plan is out.

They carry a link to the round's page, never a result. Queued through the
outbox in the transaction that publishes. Link emails are in ``links``.
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string

from accounts.models import User
from outbox.services import Draft
from teamhealth.models import Membership

from .models import SurveyRound


def _team_members(survey_round: SurveyRound):
    member_ids = Membership.objects.current().filter(team=survey_round.team).values("user_id")
    return User.objects.filter(pk__in=member_ids, is_active=True).exclude(email="")


def _team_email(survey_round: SurveyRound, kind: str, template: str, subject: str) -> list[Draft]:
    context = {"round": survey_round, "link": settings.SITE_URL + survey_round.get_absolute_url()}
    body = render_to_string(template, context)
    return [
        Draft(
            kind=kind,
            about=f"round:{survey_round.pk}",
            recipient=user.email,
            dedupe_key=f"{kind}-{survey_round.pk}-{user.pk}",
            subject=subject.format(team=survey_round.team.name),
            body=body,
        )
        for user in _team_members(survey_round).order_by("pk")
    ]


def results_published(survey_round: SurveyRound) -> list[Draft]:
    return _team_email(
        survey_round,
        "surveys.results",
        "surveys/email/results_published.txt",
        "[{team}] Team survey results are out",
    )


def action_plan_published(survey_round: SurveyRound) -> list[Draft]:
    return _team_email(
        survey_round,
        "surveys.action_plan",
        "surveys/email/action_plan_published.txt",
        "[{team}] The action plan is out",
    )
