"""What ``/healthz`` checks: the database, the broker, beat's heartbeat, the outbox backlog.

A handful of cheap reads (one connection check, two single-row or indexed
aggregate queries) and a broker connection with a short timeout, remembered
for a few seconds per process so that frequent probes do not open a broker
connection each. The answer names each check and whether it passed, with
ages in seconds; never a hostname, a URL, an error text or a count of people.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import DatabaseError, connection
from kombu import Connection

from outbox import selectors as outbox_selectors

from .beat import BEAT
from .models import Heartbeat

BROKER_TIMEOUT_SECONDS = 2.0
BROKER_REMEMBER_SECONDS = 5.0

logger = logging.getLogger(__name__)


@dataclass
class Check:
    ok: bool | None  # None: could not be checked (the database was unreachable)
    detail: str = ""
    figures: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        answer: dict[str, object] = {"ok": self.ok, **self.figures}
        if self.detail:
            answer["detail"] = self.detail
        return answer


@dataclass
class Report:
    checks: dict[str, Check]

    @property
    def healthy(self) -> bool:
        return all(check.ok for check in self.checks.values())

    @property
    def failing(self) -> list[str]:
        return [name for name, check in self.checks.items() if not check.ok]

    def as_json(self) -> dict[str, object]:
        return {
            "status": "ok" if self.healthy else "failing",
            "failing": self.failing,
            "checks": {name: check.as_json() for name, check in self.checks.items()},
        }


def report(*, now: datetime) -> Report:
    database = _database()
    checks = {"database": database, "broker": _broker()}
    if database.ok:
        checks["beat"] = _read(_beat, now)
        checks["outbox"] = _read(_outbox, now)
    else:
        unknown = "not checked: the database is unreachable"
        checks["beat"] = Check(ok=None, detail=unknown)
        checks["outbox"] = Check(ok=None, detail=unknown)
    return Report(checks)


def _read(check: Callable[[datetime], Check], now: datetime) -> Check:
    try:
        return check(now)
    except DatabaseError:
        # Reachable, yet the read failed (a missing migration, a timeout).
        logger.warning("Health check: %s could not be read", check.__name__, exc_info=True)
        return Check(ok=False, detail="could not be read")


def _database() -> Check:
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.warning("Health check: the database is unreachable", exc_info=True)
        return Check(ok=False, detail="unreachable")
    return Check(ok=True)


_broker_memory: dict[str, tuple[float, bool]] = {}
_broker_lock = threading.Lock()


def forget_broker() -> None:
    """Drop the remembered broker answer (tests; a changed broker URL is never confused)."""
    with _broker_lock:
        _broker_memory.clear()


def _broker() -> Check:
    url = settings.CELERY_BROKER_URL
    now = time.monotonic()
    with _broker_lock:
        remembered = _broker_memory.get(url)
    if remembered is None or now - remembered[0] > BROKER_REMEMBER_SECONDS:
        remembered = (now, _broker_reachable(url))
        with _broker_lock:
            _broker_memory[url] = remembered
    return Check(ok=True) if remembered[1] else Check(ok=False, detail="unreachable")


def _broker_reachable(url: str) -> bool:
    try:
        with Connection(
            url,
            connect_timeout=BROKER_TIMEOUT_SECONDS,
            transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
        ) as broker:
            broker.ensure_connection(max_retries=0, timeout=BROKER_TIMEOUT_SECONDS)
    except Exception:
        # Whatever the transport raises (refused, timed out, refused the login).
        logger.warning("Health check: the broker is unreachable", exc_info=True)
        return False
    return True


def _age(since: datetime | None, now: datetime) -> int:
    return 0 if since is None else max(0, int((now - since).total_seconds()))


def _beat(now: datetime) -> Check:
    stale_after = settings.KEEL_BEAT_STALE_SECONDS
    tick = Heartbeat.objects.filter(name=BEAT).values_list("at", flat=True).first()
    if tick is None:
        return Check(ok=False, detail="beat has never ticked")
    age = _age(tick, now)
    if age > stale_after:
        return Check(
            ok=False,
            detail=f"stale: last tick {age} s ago, more than {stale_after} s",
            figures={"last_tick_seconds_ago": age},
        )
    return Check(ok=True, figures={"last_tick_seconds_ago": age})


def _outbox(now: datetime) -> Check:
    limit = settings.KEEL_OUTBOX_MAX_WAIT_SECONDS
    # How many messages wait is left to the protected metrics: it follows team sizes.
    age = _age(outbox_selectors.backlog(now=now).due_since, now)
    if age > limit:
        return Check(
            ok=False,
            detail=f"the oldest due message has waited {age} s, more than {limit} s",
            figures={"oldest_due_seconds": age},
        )
    return Check(ok=True, figures={"oldest_due_seconds": age})
