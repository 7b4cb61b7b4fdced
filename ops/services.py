"""Writes of the operations app."""

from __future__ import annotations

from datetime import datetime

from .models import Heartbeat


def stamp_heartbeat(name: str, *, at: datetime) -> None:
    """Record that the process ``name`` was alive at ``at``. One query."""
    Heartbeat.objects.update_or_create(name=name, defaults={"at": at})
