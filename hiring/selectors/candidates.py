"""Reads about candidate records themselves: the same person on file twice."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from accounts.models import User

from ..models import Candidate, InterviewLoop


def candidates_with_email(email: str) -> QuerySet[Candidate]:
    """Candidates on file with this email, trimmed and in any case."""
    return Candidate.objects.filter(email__iexact=email.strip())


@dataclass(frozen=True)
class OnFile:
    """A candidate already on file, and which of their loops this person may open."""

    candidate: Candidate
    loops: list[tuple[InterviewLoop, bool]]  # (loop, may open it)


def duplicates_on_file(user: User, email: str) -> list[OnFile]:
    """The records a new candidate with ``email`` would duplicate, in two queries."""
    candidates = (
        candidates_with_email(email)
        .select_related("created_by")
        .prefetch_related(
            Prefetch(
                "loops",
                queryset=InterviewLoop.objects.select_related("role_profile").prefetch_related(
                    "recruiters"
                ),
            )
        )
    )
    return [
        OnFile(
            candidate=candidate,
            loops=[
                (loop, user.is_admin or any(r.pk == user.pk for r in loop.recruiters.all()))
                for loop in candidate.loops.all()
            ],
        )
        for candidate in candidates
    ]
