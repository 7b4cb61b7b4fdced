"""Signed-in sessions end after an idle time and at their absolute age (accounts/sessions.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from .sessions import SessionLimits, Verdict, session_verdict

SIGNED_IN_AT = "keel_signed_in_at"
LAST_SEEN = "keel_last_seen"
_UNTOUCHED = "keeps_session_unwritten"

_ENDED = {
    Verdict.IDLE: "You were signed out after {idle} without activity. Please sign in again.",
    Verdict.TOO_OLD: "Your sign-in reached its maximum age of {max_age}. Please sign in again.",
}


def keeps_session_unwritten(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a view whose requests never refresh the last-seen stamp.

    The survey answer page: a session row written as someone answers would say
    who answered when.
    """
    setattr(view, _UNTOUCHED, True)
    return view


def _limits() -> SessionLimits:
    return SessionLimits(
        max_age=settings.SESSION_COOKIE_AGE,
        idle=settings.SESSION_IDLE_SECONDS,
        touch=settings.SESSION_TOUCH_SECONDS,
    )


def _duration(seconds: int) -> str:
    hours, minutes = divmod(seconds // 60, 60)
    if hours and not minutes:
        return f"{hours} hour{'s' if hours != 1 else ''}"
    if not hours:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{hours} h {minutes} min"


class SessionExpiryMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.keel_session_write = None  # type: ignore[attr-defined]
        if request.user.is_authenticated:
            session = request.session
            now = timezone.now().timestamp()
            limits = _limits()
            verdict = session_verdict(
                signed_in_at=session.get(SIGNED_IN_AT),
                last_seen=session.get(LAST_SEEN),
                now=now,
                limits=limits,
            )
            if verdict in _ENDED:
                # Before any view runs, so the login-required check sends them to sign in.
                logout(request)
                messages.info(
                    request,
                    _ENDED[verdict].format(
                        idle=_duration(limits.idle), max_age=_duration(limits.max_age)
                    ),
                )
            elif verdict in (Verdict.START, Verdict.TOUCH):
                request.keel_session_write = verdict  # type: ignore[attr-defined]
        response = self.get_response(request)
        self._stamp(request)
        return response

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> None:
        if getattr(view_func, _UNTOUCHED, False):
            request.keel_session_write = False  # type: ignore[attr-defined]

    @staticmethod
    def _stamp(request: HttpRequest) -> None:
        pending = getattr(request, "keel_session_write", None)
        # The API's token views leave request.user as None when nobody is signed in.
        user = getattr(request, "user", None)
        if not pending or user is None or not user.is_authenticated:
            return
        session = request.session
        now = timezone.now().timestamp()
        if pending is Verdict.TOUCH:
            session[LAST_SEEN] = now
        elif pending is Verdict.START:
            # A session signed in before the stamps existed: its clock starts now.
            _start_clock(session, now)


def _start_clock(session: Any, now: float) -> None:
    session[SIGNED_IN_AT] = now
    session[LAST_SEEN] = now


def start_session_clock(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """At sign-in (``user_logged_in``), in the session that sign-in saves anyway."""
    if request is not None and hasattr(request, "session"):
        _start_clock(request.session, timezone.now().timestamp())
