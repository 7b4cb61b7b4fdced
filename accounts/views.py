"""The sign-in page, and the page a locked-out sign-in gets (django-axes calls it, see
AXES_LOCKOUT_CALLABLE)."""

from typing import Any

from django.conf import settings
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import oidc


def signin_locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    """429 with the cool-off, the same for a known and an unknown username.

    Every refused attempt during a lockout restarts the cool-off, so the whole
    cool-off is what is left when this page is shown.
    """
    cooloff_seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    response = render(
        request,
        "registration/locked_out.html",
        {
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "cooloff_minutes": max(1, -(-cooloff_seconds // 60)),
        },
        status=429,
    )
    response["Retry-After"] = str(cooloff_seconds)
    return response


class SignInView(LoginView):
    """Password sign-in, with a button for the company's provider when single sign-on is on."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if oidc.enabled():
            context["sso_provider_name"] = settings.KEEL_OIDC_PROVIDER_NAME
        return context
