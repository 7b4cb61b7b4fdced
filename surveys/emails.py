"""Survey emails. Links carry tokens, so nothing here logs a message body or a link."""

from __future__ import annotations

import smtplib
from contextlib import contextmanager

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from teamhealth.models import Membership

from .models import Invitation, SurveyRound


def _url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _send(messages: list[EmailMessage]) -> int:
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0


@contextmanager
def connection():
    """One open connection for a batch of emails; an unreachable server raises here."""
    with get_connection() as opened:
        yield opened


def send_link(opened, invitation: Invitation, token: str) -> bool:
    """Email one person their link (the invitation, or the day-3 reminder). False if refused.

    A refusal is not logged with the message: it carries the link.
    """
    survey_round = invitation.round
    template, subject = (
        ("surveys/email/reminder.txt", "[{team}] Reminder: the team survey closes soon")
        if invitation.reminded
        else ("surveys/email/invitation.txt", "[{team}] Your anonymous team survey is open")
    )
    context = {
        "user": invitation.user,
        "round": survey_round,
        "link": _url(reverse("surveys:answer_link", args=[token])),
        "closes_at": timezone.localtime(survey_round.closes_at),
    }
    message = EmailMessage(
        subject=subject.format(team=survey_round.team.name),
        body=render_to_string(template, context),
        to=[invitation.user.email],
        connection=opened,
    )
    try:
        return bool(message.send())
    except (smtplib.SMTPException, OSError):
        return False


def _team_members(survey_round: SurveyRound):
    member_ids = Membership.objects.current().filter(team=survey_round.team).values("user_id")
    return User.objects.filter(pk__in=member_ids, is_active=True).exclude(email="")


def _team_email(round_id: int, template: str, subject: str) -> int:
    survey_round = SurveyRound.objects.select_related("team").get(pk=round_id)
    context = {"round": survey_round, "link": _url(survey_round.get_absolute_url())}
    body = render_to_string(template, context)
    messages = [
        EmailMessage(subject=subject.format(team=survey_round.team.name), body=body, to=[u.email])
        for u in _team_members(survey_round)
    ]
    return _send(messages)


def send_results_published(round_id: int) -> int:
    return _team_email(
        round_id, "surveys/email/results_published.txt", "[{team}] Team survey results are out"
    )


def send_action_plan_published(round_id: int) -> int:
    return _team_email(
        round_id, "surveys/email/action_plan_published.txt", "[{team}] The action plan is out"
    )
