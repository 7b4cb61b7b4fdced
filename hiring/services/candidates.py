"""Writes about candidate records themselves: merging a duplicate into the one kept."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from accounts.models import User

from ..models import Candidate, CandidateMerge, InterviewLoop


@transaction.atomic
def merge_candidates(
    *, survivor_id: int, duplicate_id: int, merged_by: User, now: datetime | None = None
) -> CandidateMerge:
    """Move everything of the duplicate record to the survivor, record the merge,
    and remove the duplicate; all or nothing.

    Loops carry their interviews, scorecards, STAR-L answers, feedback and
    outcomes with them; every other record that points at the duplicate
    (earlier merges included) is moved too, so nothing is deleted with it.
    """
    if survivor_id == duplicate_id:
        raise ValidationError("A candidate cannot be merged into itself: choose two records.")
    found = {
        c.pk: c
        for c in Candidate.objects.select_for_update().filter(pk__in=[survivor_id, duplicate_id])
    }
    if len(found) != 2:
        raise ValidationError("One of these candidates no longer exists.")
    survivor, duplicate = found[survivor_id], found[duplicate_id]
    moved: dict[type[models.Model], int] = {}
    for relation in Candidate._meta.related_objects:
        model = relation.related_model
        if not relation.one_to_many or not isinstance(model, type):
            continue
        field = relation.field.name
        moved[model] = model._default_manager.filter(**{field: duplicate}).update(
            **{field: survivor}
        )
    merge = CandidateMerge(
        survivor=survivor,
        merged_candidate_id=duplicate.pk,
        merged_name=duplicate.name,
        merged_email=duplicate.email.strip(),  # records from before emails were trimmed
        loops_moved=moved.get(InterviewLoop, 0),
        merged_by=merged_by,
        merged_at=now or timezone.now(),
    )
    merge.full_clean()
    merge.save()
    duplicate.delete()
    return merge
