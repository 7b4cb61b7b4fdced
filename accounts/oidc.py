"""Signing in with the company's OpenID Connect provider (optional).

mozilla-django-oidc runs the authorization-code flow (state, nonce, PKCE);
this module decides who the person is and which roles they hold:

- The ID token must be signed by the provider's key, be meant for this client
  (``aud``), come from the configured issuer (``iss``) and not have expired.
- A person is found by the provider's subject (``sub``) stored on first
  sign-in. The first time, an existing account is linked by email only when
  the provider says the email is verified and the account is not linked to
  another subject; otherwise a new account is created (unless creating is off).
- When the provider sends a groups claim, the person's Keel roles become
  exactly the roles their groups map to (``KEEL_OIDC_ROLES``); without the
  claim, roles stay as admins set them. Superuser and staff are never granted.
- A provider that is down, slow or answers nonsense is a failed sign-in with a
  message, never a 500.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.crypto import get_random_string
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from .roles import Role

logger = logging.getLogger(__name__)

ROLE_NAMES = {role.value.casefold(): role.value for role in Role}


def enabled() -> bool:
    """Single sign-on is on when a client id is configured."""
    return bool(getattr(settings, "OIDC_RP_CLIENT_ID", ""))


def parse_role_map(text: str) -> dict[str, str]:
    """``"eng-managers=Manager, recruiting=Recruiter"`` → provider group → Keel role.

    Keel role names are matched without regard to case. Raises ``ValueError``
    naming the entry that is not ``group=Role`` or names no Keel role.
    """
    mapping: dict[str, str] = {}
    for entry in (part.strip() for part in text.split(",")):
        if not entry:
            continue
        group, sep, role = entry.rpartition("=")
        if not sep or not group.strip() or not role.strip():
            raise ValueError(f"{entry!r} is not 'provider-group=Role'")
        keel_role = ROLE_NAMES.get(role.strip().casefold())
        if keel_role is None:
            known = ", ".join(ROLE_NAMES.values())
            raise ValueError(f"{entry!r}: {role.strip()!r} is not a Keel role ({known})")
        mapping[group.strip()] = keel_role
    return mapping


def roles_for_groups(groups: Iterable[str], role_map: Mapping[str, str]) -> set[str]:
    """The Keel roles a person's provider groups give them.

    With no map configured, a provider group named like a Keel role (any case)
    is that role; with a map, only the mapped groups count.
    """
    roles: set[str] = set()
    for group in groups:
        if role_map:
            if group in role_map:
                roles.add(role_map[group])
        elif group.casefold() in ROLE_NAMES:
            roles.add(ROLE_NAMES[group.casefold()])
    return roles


def groups_claim(claims: Mapping[str, Any]) -> list[str] | None:
    """The provider's groups for this person, or None when it sent no such claim."""
    value = claims.get(settings.KEEL_OIDC_GROUPS_CLAIM)
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return None


class KeelOIDCBackend(OIDCAuthenticationBackend):
    """Authenticates the callback of the provider; does nothing when SSO is off."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.UserModel = get_user_model()
        self.enabled = enabled()
        if self.enabled:
            super().__init__(*args, **kwargs)

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> Any:
        if not self.enabled or request is None or "nonce" not in kwargs:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except (requests.RequestException, ValueError, KeyError) as exc:
            # Down, slow (KEEL_NETWORK_TIMEOUT), an error status or not JSON.
            logger.warning("Single sign-on failed: the provider answered %s", type(exc).__name__)
            return None
        except SuspiciousOperation as exc:
            logger.warning("Single sign-on refused: %s", exc)
            return None

    # --- the ID token -------------------------------------------------------

    def _verify_jws(self, payload: str, key: Any) -> dict[str, Any]:
        header = jwt.get_unverified_header(payload)
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation("The ID token is not signed with the configured algorithm")
        options = {"require": ["exp", "iat", "aud", "sub"]}
        issuer = settings.KEEL_OIDC_ISSUER or None
        if issuer:
            options["require"].append("iss")
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=issuer,
                options=options,  # type: ignore[arg-type]
                leeway=60,
            )
        except jwt.PyJWTError as exc:
            raise SuspiciousOperation(f"ID token refused: {exc}") from exc

    def get_userinfo(self, access_token: str, id_token: str, payload: dict) -> dict[str, Any]:
        """The userinfo claims over the ID token's; both must name the same subject."""
        userinfo = super().get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("The userinfo subject is not the ID token's")
        return {**payload, **userinfo}

    # --- who the person is --------------------------------------------------

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(claims.get("sub"))

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        users = self.UserModel.objects.filter(oidc_subject=claims["sub"])
        if users.exists():
            return users
        email = (claims.get("email") or "").strip()
        if not email or claims.get("email_verified") is False:
            return self.UserModel.objects.none()
        # Only an account no other subject has claimed is linked by its email.
        return self.UserModel.objects.filter(email__iexact=email, oidc_subject=None)

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict) -> Any:
        with transaction.atomic():
            return super().get_or_create_user(access_token, id_token, payload)

    def create_user(self, claims: dict[str, Any]) -> Any:
        user = self.UserModel(
            username=self._free_username(claims),
            email=(claims.get("email") or "").strip(),
            first_name=(claims.get("given_name") or "")[:150],
            last_name=(claims.get("family_name") or "")[:150],
            oidc_subject=claims["sub"],
        )
        user.set_unusable_password()
        user.save()
        self._sync_roles(user, claims)
        return user

    def update_user(self, user: Any, claims: dict[str, Any]) -> Any:
        changed = []
        if user.oidc_subject is None:
            user.oidc_subject = claims["sub"]
            changed.append("oidc_subject")
        for field, claim in (("first_name", "given_name"), ("last_name", "family_name")):
            value = (claims.get(claim) or "")[:150]
            if value and getattr(user, field) != value:
                setattr(user, field, value)
                changed.append(field)
        if changed:
            user.save(update_fields=changed)
        self._sync_roles(user, claims)
        return user

    def _free_username(self, claims: Mapping[str, Any]) -> str:
        wanted = claims.get("preferred_username") or (claims.get("email") or "").split("@")[0]
        base = "".join(ch for ch in str(wanted) if ch.isalnum() or ch in "@.+-_")[:140] or "person"
        username = base
        while self.UserModel.objects.filter(username__iexact=username).exists():
            username = f"{base}-{get_random_string(4).lower()}"
        return username

    def _sync_roles(self, user: Any, claims: Mapping[str, Any]) -> None:
        groups = groups_claim(claims)
        if groups is None:
            return
        wanted = roles_for_groups(groups, parse_role_map(settings.KEEL_OIDC_ROLES))
        roles = ROLE_NAMES.values()
        role_groups = {group.name: group for group in Group.objects.filter(name__in=roles)}
        held = set(user.groups.filter(name__in=roles).values_list("name", flat=True))
        user.groups.remove(*(role_groups[name] for name in held - wanted if name in role_groups))
        user.groups.add(*(role_groups[name] for name in wanted - held if name in role_groups))
        user.__dict__.pop("role_names", None)


class SignInWithProvider(OIDCAuthenticationRequestView):
    """Sends the person to the provider; 404 when single sign-on is off."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not enabled():
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class ProviderCallback(OIDCAuthenticationCallbackView):
    """Where the provider sends the person back; a failure says so on the sign-in page."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not enabled():
            raise Http404
        try:
            return super().dispatch(request, *args, **kwargs)
        except SuspiciousOperation:
            # A state this browser never asked for (an old or forged callback).
            return self.login_failure()

    def login_failure(self) -> HttpResponse:
        messages.error(
            self.request,
            f"Signing in with {settings.KEEL_OIDC_PROVIDER_NAME} did not work. "
            "Try again, or sign in with your password if you have one.",
        )
        return redirect(settings.LOGIN_URL)
