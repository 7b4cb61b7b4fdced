"""Survey link tokens: random, emailed once, stored only as a SHA-256 hash."""

import hashlib
import secrets


def new_token() -> tuple[str, str]:
    """A fresh (token, hash) pair. The token goes in the email, the hash in the database."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    # 256 bits of randomness: a fast hash is enough, no salt or stretching needed.
    return hashlib.sha256(token.encode()).hexdigest()
