"""Start-up checks: single sign-on that is half configured stops Keel with a message."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

from .oidc import enabled, parse_role_map

REQUIRED_WITH_SSO = {
    "KEEL_OIDC_CLIENT_SECRET": "OIDC_RP_CLIENT_SECRET",
    "KEEL_OIDC_AUTHORIZATION_ENDPOINT": "OIDC_OP_AUTHORIZATION_ENDPOINT",
    "KEEL_OIDC_TOKEN_ENDPOINT": "OIDC_OP_TOKEN_ENDPOINT",
    "KEEL_OIDC_USERINFO_ENDPOINT": "OIDC_OP_USER_ENDPOINT",
    "KEEL_OIDC_JWKS_ENDPOINT": "OIDC_OP_JWKS_ENDPOINT",
}


@register("keel")
def single_sign_on(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    problems: list[CheckMessage] = []
    try:
        parse_role_map(settings.KEEL_OIDC_ROLES)
    except ValueError as exc:
        problems.append(Error(f"KEEL_OIDC_ROLES: {exc}", id="keel.E101"))
    if not enabled():
        return problems
    for variable, setting in REQUIRED_WITH_SSO.items():
        if not getattr(settings, setting, ""):
            problems.append(
                Error(
                    f"{variable} is required when KEEL_OIDC_CLIENT_ID is set",
                    hint="Your identity provider's discovery document "
                    "(/.well-known/openid-configuration) lists each endpoint.",
                    id="keel.E102",
                )
            )
    return problems
