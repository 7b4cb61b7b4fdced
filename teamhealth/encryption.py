"""The Jira and PagerDuty tokens Keel keeps, encrypted at rest.

Fernet (AES-128-CBC with an HMAC) under a ``MultiFernet`` of
``settings.KEEL_SECRETS_KEYS``: the first key encrypts, every key decrypts. To
rotate, put a new key first, run ``manage.py rotate_integration_secrets`` (it
re-encrypts every stored token with the first key), then drop the old key.
"""

from __future__ import annotations

import functools

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@functools.lru_cache(maxsize=4)
def _box(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("KEEL_SECRETS_KEYS is empty: set at least one Fernet key.")
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as error:
        raise ImproperlyConfigured(
            "Each of KEEL_SECRETS_KEYS must be a Fernet key: 32 url-safe base64-encoded "
            "bytes, e.g. from `python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())'`."
        ) from error


def box() -> MultiFernet:
    return _box(tuple(settings.KEEL_SECRETS_KEYS))


def encrypt(plain: str) -> str:
    return box().encrypt(plain.encode()).decode()


def decrypt(stored: str) -> str:
    try:
        return box().decrypt(stored.encode()).decode()
    except InvalidToken as error:
        raise ImproperlyConfigured(
            "A stored integration token cannot be decrypted with any of KEEL_SECRETS_KEYS: "
            "was the key that encrypted it removed before `rotate_integration_secrets` ran?"
        ) from error


class EncryptedTextField(models.TextField):
    """Text the application reads and writes in the clear and the database holds
    only encrypted. Never filter on it: each encryption of a value differs."""

    def from_db_value(self, value, expression, connection):
        return value if value in (None, "") else decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return value if value in (None, "") else encrypt(value)
