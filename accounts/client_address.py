"""The address of the client behind Keel's own proxies, for sign-in lockout."""

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The right-most X-Forwarded-For entry not written by a trusted proxy.

    Each of the ``KEEL_TRUSTED_PROXY_COUNT`` proxies appends the address it was
    reached from, so the entry that many places from the right is the client's;
    anything left of it came from the client and is not believed.
    """
    proxies = settings.KEEL_TRUSTED_PROXY_COUNT
    remote = str(request.META.get("REMOTE_ADDR", ""))
    if proxies <= 0:
        return remote
    forwarded = [
        part.strip() for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")
    ]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        return remote
    return forwarded[-proxies]
