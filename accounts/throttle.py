"""Rate limits: sign-in attempts and survey links per client IP, the API per token.

One place for the limits (``settings.KEEL_RATE_LIMITS``, "count/period" as
django-ratelimit reads them) and for the answer once one is reached: HTTP 429
with ``Retry-After``. Counts live in the project's cache only, under a hash of
the scope, the key and the time window; nothing is written to the database.
Survey links are counted by client IP, never by their token, so no count ties
a person to a time.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django_ratelimit import ALL
from django_ratelimit.core import get_usage

from .client_address import client_address

View = Callable[..., HttpResponseBase]


def client_ip(request: HttpRequest) -> str:
    """The client's address behind Keel's own proxies: one rule for lockout and limits."""
    return client_address(request)


def _by_ip(group: str, request: HttpRequest) -> str:
    return client_ip(request)


def _by_bearer_token(group: str, request: HttpRequest) -> str:
    """The API's key: a hash of the token sent (the client's IP when none is)."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not header:
        return f"ip:{client_ip(request)}"
    return "token:" + hashlib.sha256(header.encode()).hexdigest()


KEYS: dict[str, Callable[[str, HttpRequest], str]] = {
    "ip": _by_ip,
    "bearer_token": _by_bearer_token,
}

MESSAGE = "Too many requests. Please wait {seconds} seconds, then try again."


def too_many_requests(retry_after: int, *, json: bool = False) -> HttpResponse:
    """The answer once a limit is reached: 429, how long to wait, nothing cached."""
    seconds = max(1, retry_after)
    text = MESSAGE.format(seconds=seconds)
    response: HttpResponse = (
        JsonResponse({"detail": text}, status=429)
        if json
        else HttpResponse(text, status=429, content_type="text/plain; charset=utf-8")
    )
    response["Retry-After"] = str(seconds)
    response["Cache-Control"] = "no-store"
    return response


def limit(
    scope: str, *, key: str = "ip", methods: tuple[str, ...] | None = None, json: bool = False
) -> Callable[[View], View]:
    """Limit a view to ``settings.KEEL_RATE_LIMITS[scope]`` requests per key.

    ``methods`` limits only those methods (e.g. the sign-in POST, not the page);
    ``json`` answers in the API's error shape.
    """
    key_function = KEYS[key]

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def limited(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            usage = get_usage(
                request,
                group=f"keel.{scope}",
                key=key_function,
                rate=settings.KEEL_RATE_LIMITS[scope],
                method=list(methods) if methods else ALL,
                increment=True,
            )
            if usage is not None and usage["should_limit"]:
                response = too_many_requests(usage["time_left"], json=json)
                # Django would log "Too Many Requests: <path>"; a survey link's path
                # is its token, and the limit is no news about the server.
                response._has_been_logged = True  # type: ignore[attr-defined]
                return response
            return view(request, *args, **kwargs)

        return limited

    return decorate
