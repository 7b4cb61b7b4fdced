"""What the pages say about outgoing messages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Min, Q
from django.db.models.functions import Coalesce

from .models import Message


@dataclass(frozen=True)
class Health:
    failed: int
    unconfirmed: int
    waiting: int


def health(*, kinds: list[str] | None = None) -> Health:
    """Failed messages (an admin resends them), posts never confirmed, retries waiting."""
    rows = Message.objects.all() if kinds is None else Message.objects.filter(kind__in=kinds)
    counts = rows.aggregate(
        failed=Count("pk", filter=Q(status=Message.Status.FAILED)),
        unconfirmed=Count("pk", filter=Q(status=Message.Status.SENT, uncertain_attempts__gt=0)),
        waiting=Count("pk", filter=Q(status=Message.Status.PENDING, attempts__gt=0)),
    )
    return Health(**counts)


def failed(*, limit: int = 5) -> list[Message]:
    return list(
        Message.objects.filter(status=Message.Status.FAILED).order_by("-created_at")[:limit]
    )


def statuses(*, kind: str, abouts: list[str]) -> dict[str, str]:
    """How each message about these things stands: pending, sent, failed or cancelled."""
    return dict(Message.objects.filter(kind=kind, about__in=abouts).values_list("about", "status"))


def existing_keys(keys: list[str]) -> set[str]:
    """Which of these dedupe keys are already queued."""
    return set(Message.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True))


@dataclass(frozen=True)
class Backlog:
    due: int
    due_since: datetime | None
    failed: int


def backlog(*, now: datetime) -> Backlog:
    """Messages due to be sent now, since when the oldest of them has been due, and failures.

    A message waiting out its retry backoff is not due yet: only work a
    delivery worker should already have done counts. One query, over pending
    and failed rows only (the status index), however many were sent.
    """
    due = Q(status=Message.Status.PENDING) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    unsent = Message.objects.filter(status__in=(Message.Status.PENDING, Message.Status.FAILED))
    counts = unsent.aggregate(
        due=Count("pk", filter=due),
        due_since=Min(Coalesce("next_attempt_at", "created_at"), filter=due),
        failed=Count("pk", filter=Q(status=Message.Status.FAILED)),
    )
    return Backlog(**counts)


def messages_about(*, kinds: list[str], about: str) -> list[Message]:
    """Every message of these kinds about one thing, oldest first, in one query."""
    return list(
        Message.objects.filter(kind__in=kinds, about=about)
        .only("kind", "channel", "recipient", "status", "created_at", "sent_at")
        .order_by("created_at", "pk")
    )
