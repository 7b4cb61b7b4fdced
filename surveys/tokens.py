"""Survey link tokens: random, emailed once, stored only as a SHA-256 hash.

The answer page carries the hash, signed and expiring, in its path
(``signed_hash``), never the token: so answering needs no session, and the
browser keeps nothing that outlives the page.
"""

import hashlib
import secrets
from datetime import timedelta

from django.core import signing

# How long an opened answer page accepts its form: long enough to leave a tab
# open overnight, short enough that a copied answer address soon stops working.
ANSWER_PAGE_MAX_AGE = timedelta(days=2)
_SALT = "surveys.answer-page"


def new_token() -> tuple[str, str]:
    """A fresh (token, hash) pair. The token goes in the email, the hash in the database."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    # 256 bits of randomness: a fast hash is enough, no salt or stretching needed.
    return hashlib.sha256(token.encode()).hexdigest()


def signed_hash(token_hash: str) -> str:
    """The hash, signed with a timestamp, for the answer page's address."""
    return signing.TimestampSigner(salt=_SALT).sign(token_hash)


def hash_from_signed(value: str) -> str | None:
    """The hash a ``signed_hash`` value carries, or None if forged, damaged or expired."""
    if not value or len(value) > 200:
        return None
    try:
        return signing.TimestampSigner(salt=_SALT).unsign(value, max_age=ANSWER_PAGE_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is a BadSignature
        return None
