"""Survey emails. Links carry tokens, so nothing here logs a message body or a link."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from teamhealth.models import Membership

from .models import SurveyRound


def _url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _send(messages: list[EmailMessage]) -> int:
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0


def _link_emails(links, template: str, subject: str) -> int:
    """links: (round id, user id, token) triples. One email per person with their own link."""
    if not links:
        return 0
    rounds = SurveyRound.objects.select_related("team").in_bulk({r for r, _, _ in links})
    users = User.objects.in_bulk({u for _, u, _ in links})
    messages = []
    for round_id, user_id, token in links:
        survey_round, user = rounds[round_id], users[user_id]
        if not user.email:
            continue
        context = {
            "user": user,
            "round": survey_round,
            "link": _url(reverse("surveys:answer_link", args=[token])),
            "closes_at": timezone.localtime(survey_round.closes_at),
        }
        messages.append(
            EmailMessage(
                subject=subject.format(team=survey_round.team.name),
                body=render_to_string(template, context),
                to=[user.email],
            )
        )
    return _send(messages)


def send_invitations(links) -> int:
    return _link_emails(
        links, "surveys/email/invitation.txt", "[{team}] Your anonymous team survey is open"
    )


def send_reminders(links) -> int:
    return _link_emails(
        links, "surveys/email/reminder.txt", "[{team}] Reminder: the team survey closes soon"
    )


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
