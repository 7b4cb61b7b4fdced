"""Reads of the 0-100 score rubrics."""

from __future__ import annotations

from ..models import RoleProfile, ScoreBand


def score_bands(profile: RoleProfile) -> dict[str, list[ScoreBand]]:
    """Per dimension, the profile's bands lowest first (one query); a dimension
    without a rubric is absent."""
    bands: dict[str, list[ScoreBand]] = {}
    for band in ScoreBand.objects.filter(role_profile=profile).order_by("dimension", "low"):
        bands.setdefault(band.dimension, []).append(band)
    return bands
