"""Celery beat's scheduler: django-celery-beat's, stamping a heartbeat as it ticks.

``CELERY_BEAT_SCHEDULER`` names it. Beat's loop wakes at least every 5 s
(django-celery-beat's ``max_interval``); the stamp is written at most every
``STAMP_EVERY`` seconds, so beat adds a few single-row updates a minute.
``/healthz`` calls beat stale when the stamp is older than
``KEEL_BEAT_STALE_SECONDS``.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.db import DatabaseError, close_old_connections
from django.utils import timezone
from django_celery_beat.schedulers import DatabaseScheduler

from . import services

BEAT = "beat"
STAMP_EVERY = 10.0

logger = logging.getLogger(__name__)


class Scheduler(DatabaseScheduler):
    _stamped_at: float | None = None

    def tick(self, *args: Any, **kwargs: Any) -> float:
        self.stamp()
        return super().tick(*args, **kwargs)

    def stamp(self) -> None:
        now = time.monotonic()
        if self._stamped_at is not None and now - self._stamped_at < STAMP_EVERY:
            return
        try:
            services.stamp_heartbeat(BEAT, at=timezone.now())
        except DatabaseError:
            # The database is away: beat keeps its schedule and stamps once it is back.
            logger.warning("Beat could not stamp its heartbeat; the database is unreachable")
            close_old_connections()
            return
        self._stamped_at = now
