"""Integration credentials: the API tokens Keel issues, and the Jira and PagerDuty
tokens it keeps (encrypted at rest, see ``teamhealth/secrets.py``)."""

from __future__ import annotations

import secrets

from django.db import transaction

from ..models import IntegrationToken, JiraBoard, PagerDutySchedule


@transaction.atomic
def issue_integration_token(*, token: IntegrationToken) -> str:
    """Give a new integration token its secret and save it; returns the secret.

    Only its SHA-256 is stored, so the caller shows the returned value once, in
    the response that created it, and never keeps it anywhere else.
    """
    plain = secrets.token_urlsafe(32)
    token.token_hash = IntegrationToken.hash_of(plain)
    token.prefix = plain[:8]
    token.full_clean()
    token.save()
    return plain


@transaction.atomic
def reencrypt_integration_secrets() -> int:
    """Encrypt every stored Jira and PagerDuty token again with the first of
    KEEL_SECRETS_KEYS (each is read with whichever key encrypted it); returns how
    many were re-encrypted. After it, keys other than the first can be dropped."""
    count = 0
    for model in (JiraBoard, PagerDutySchedule):
        for holder in model.objects.select_for_update().exclude(api_token="").only("api_token"):
            holder.save(update_fields=["api_token"])  # saving encrypts with the first key
            count += 1
    return count
