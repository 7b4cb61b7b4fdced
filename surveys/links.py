"""Survey links: queued as outbox messages, written when they are sent.

A link's token is minted by the outbox's renderer, in the worker, just before
the email goes out; only its hash is stored, and it is committed before the
email leaves, so every link anyone receives works. The token never travels
through the broker and never sits in the database. A worker that dies after
sending and before marking leaves that one email to be sent again: the person
then holds two links, and both work until they answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from outbox import services as outbox
from outbox.models import Message
from outbox.rendering import Rendered
from teamhealth.models import Team

from . import tokens
from .models import Invitation, InvitationLink, SurveyRound

INVITATION = "surveys.invitation"
REMINDER = "surveys.reminder"
KINDS = {INVITATION: InvitationLink.Kind.INVITATION, REMINDER: InvitationLink.Kind.REMINDER}
_TEMPLATES = {
    INVITATION: ("surveys/email/invitation.txt", "[{team}] Your anonymous team survey is open"),
    REMINDER: ("surveys/email/reminder.txt", "[{team}] Reminder: the team survey closes soon"),
}


def _about(invitation_id: int) -> str:
    return f"invitation:{invitation_id}"


def queue(kind: str, invitations: Iterable[tuple[int, str]]) -> None:
    """Queue one link email per (invitation id, email address), in the caller's transaction."""
    outbox.enqueue(
        [
            outbox.Draft(
                kind=kind,
                about=_about(invitation_id),
                recipient=address,
                dedupe_key=f"{kind}-{invitation_id}",
                rendered_at_send=True,
            )
            for invitation_id, address in invitations
            if address
        ]
    )


def cancel(kind: str, invitation_ids: Iterable[int]) -> int:
    return outbox.cancel(kind=kind, abouts=[_about(pk) for pk in invitation_ids])


def render(messages: Sequence[Message]) -> dict[int, Rendered | None]:
    """Mint a token for each link still wanted, store the hashes, and write the emails.

    Holds the rounds' locks while it checks and writes, as answering and
    closing do: a link is stored only for a person who has not answered, in a
    round that is still open. The hashes are committed when this returns.
    """
    wanted = {m.pk: int(m.about.removeprefix("invitation:")) for m in messages}
    texts: dict[int, Rendered | None] = dict.fromkeys(wanted)
    with transaction.atomic():
        # One lookup by primary key per table, no join: a join of a batch to every user
        # and round is what a planner picks while the rows are new, and it reads them all
        # for each batch.
        invitations = Invitation.objects.order_by().in_bulk(set(wanted.values()))
        users = User.objects.order_by().in_bulk({i.user_id for i in invitations.values()})
        rounds = SurveyRound.objects.order_by().in_bulk({i.round_id for i in invitations.values()})
        teams = Team.objects.order_by().in_bulk({r.team_id for r in rounds.values()})
        for survey_round in rounds.values():
            survey_round.team = teams[survey_round.team_id]
        for each in invitations.values():
            each.user = users[each.user_id]
            each.round = rounds[each.round_id]
        open_rounds = set(
            SurveyRound.objects.select_for_update()
            .filter(
                pk__in={i.round_id for i in invitations.values()}, status=SurveyRound.Status.OPEN
            )
            .order_by("pk")  # one lock order for every renderer: no deadlock between them
            .values_list("pk", flat=True)
        )
        answered = set(
            Invitation.objects.filter(pk__in=invitations, has_answered=True).values_list(
                "pk", flat=True
            )
        )
        links, replaced = [], []
        for message in messages:
            invitation = invitations.get(wanted[message.pk])
            if (
                invitation is None
                or invitation.pk in answered
                or invitation.round_id not in open_rounds
                or not invitation.user.is_active
            ):
                continue
            token, token_hash = tokens.new_token()
            kind = KINDS[message.kind]
            links.append(InvitationLink(invitation=invitation, token_hash=token_hash, kind=kind))
            if kind == InvitationLink.Kind.REMINDER:
                replaced.append(invitation.pk)
            texts[message.pk] = _email(message.kind, invitation, token)
        # The reminder's email says the first link no longer works: make it so.
        InvitationLink.objects.filter(
            invitation_id__in=replaced, kind=InvitationLink.Kind.INVITATION
        ).delete()
        InvitationLink.objects.bulk_create(links)
    return texts


def _email(kind: str, invitation: Invitation, token: str) -> Rendered:
    template, subject = _TEMPLATES[kind]
    survey_round = invitation.round
    context = {
        "user": invitation.user,
        "round": survey_round,
        "link": settings.SITE_URL + reverse("surveys:answer_link", args=[token]),
        "closes_at": timezone.localtime(survey_round.closes_at),
    }
    return Rendered(
        subject=subject.format(team=survey_round.team.name),
        body=render_to_string(template, context),
    )
