"""Saving and deleting thresholds: the teams they apply to are evaluated against them."""

from __future__ import annotations

from django.db import transaction

from ..models import Threshold
from . import requests
from .metrics import evaluate_after_commit


@transaction.atomic
def save_threshold(*, threshold: Threshold) -> Threshold:
    """Save a threshold; the teams it applies to are evaluated against it once committed.

    Otherwise a team page would show a value past the new limit with no alert
    (or an alert for a value now within it) until the nightly evaluation.
    """
    threshold.full_clean()
    threshold.save()
    _reevaluate_for(threshold)
    return threshold


@transaction.atomic
def delete_threshold(*, threshold: Threshold) -> None:
    """Delete an override (the global default applies again) or a global threshold."""
    threshold.delete()
    _reevaluate_for(threshold)


def _reevaluate_for(threshold: Threshold) -> None:
    if threshold.team_id is not None:
        evaluate_after_commit([threshold.team_id])
        return
    requests.request_evaluation_of_every_team()
