"""When a signed-in session ends: at its absolute age, or after an idle time.

Pure: stamps and ``now`` are seconds since the epoch, passed in. The last-seen
stamp is refreshed at most once per ``touch`` seconds, so most requests leave
the session unwritten (and so does the survey answer page, always).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Verdict(enum.Enum):
    START = "start"  # no stamps yet: a session signed in just now (or before stamps existed)
    KEEP = "keep"  # within both limits, last seen recently: nothing to write
    TOUCH = "touch"  # within both limits: refresh the last-seen stamp
    IDLE = "idle"  # ended: no request for the idle time
    TOO_OLD = "too_old"  # ended: signed in longer ago than the absolute age


@dataclass(frozen=True)
class SessionLimits:
    max_age: int
    idle: int
    touch: int


def session_verdict(
    *, signed_in_at: float | None, last_seen: float | None, now: float, limits: SessionLimits
) -> Verdict:
    """What to do with a signed-in session at ``now``.

    >>> limits = SessionLimits(max_age=14 * 86400, idle=8 * 3600, touch=300)
    >>> session_verdict(signed_in_at=0, last_seen=0, now=8 * 3600, limits=limits)
    <Verdict.IDLE: 'idle'>
    """
    if signed_in_at is None or last_seen is None:
        return Verdict.START
    if now - signed_in_at >= limits.max_age:
        return Verdict.TOO_OLD
    if now - last_seen >= limits.idle:
        return Verdict.IDLE
    if now - last_seen >= limits.touch:
        return Verdict.TOUCH
    return Verdict.KEEP
