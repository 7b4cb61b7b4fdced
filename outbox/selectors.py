"""What the pages say about outgoing messages."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

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


def messages_about(*, kinds: list[str], about: str) -> list[Message]:
    """Every message of these kinds about one thing, oldest first, in one query."""
    return list(
        Message.objects.filter(kind__in=kinds, about=about)
        .only("kind", "channel", "recipient", "status", "created_at", "sent_at")
        .order_by("created_at", "pk")
    )
