"""Every write that can move the hiring analytics marks its summary stale, in
the writer's own transaction, whichever path made it (services, admin)."""

from __future__ import annotations

from django.db.models import F
from django.db.models.signals import post_delete, post_save

from .models import (
    AnalyticsSummary,
    Interview,
    InterviewLoop,
    LoopOutcome,
    RoleProfile,
    Scorecard,
)


def analytics_changed() -> None:
    """Count one change: the stored analytics are stale from now on."""
    if not AnalyticsSummary.objects.filter(pk=1).update(changes=F("changes") + 1):
        _summary, created = AnalyticsSummary.objects.get_or_create(pk=1, defaults={"changes": 1})
        if not created:
            AnalyticsSummary.objects.filter(pk=1).update(changes=F("changes") + 1)


def _changed(sender, instance, **kwargs) -> None:
    analytics_changed()


def _scorecard_saved(sender, instance: Scorecard, **kwargs) -> None:
    # Only submitted scorecards count; saving a draft changes no figure.
    if instance.status == Scorecard.Status.SUBMITTED:
        analytics_changed()


def connect() -> None:
    post_save.connect(_scorecard_saved, sender=Scorecard, dispatch_uid="analytics-scorecard")
    post_delete.connect(_changed, sender=Scorecard, dispatch_uid="analytics-scorecard-del")
    for model in (Interview, InterviewLoop, LoopOutcome, RoleProfile):
        name = model.__name__
        post_save.connect(_changed, sender=model, dispatch_uid=f"analytics-{name}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"analytics-{name}-del")
