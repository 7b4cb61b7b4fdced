"""Who may read ``/metrics``: a bearer token, a list of addresses, or both.

``KEEL_METRICS_TOKEN`` asks for ``Authorization: Bearer <token>``;
``KEEL_METRICS_ALLOWED_ADDRESSES`` (addresses or networks, e.g.
``10.0.5.7,10.0.6.0/24``) asks the client's address, as
``accounts.client_address`` reads it behind the trusted proxies, to be one of
them. With both set, both must hold; with neither, nobody reads it.
"""

from __future__ import annotations

import hmac
import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

from accounts.client_address import client_address

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(addresses: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in addresses)


def _address_allowed(request: HttpRequest, addresses: tuple[str, ...]) -> bool:
    try:
        client = ipaddress.ip_address(client_address(request))
    except ValueError:
        return False
    return any(client in network for network in _networks(addresses))


def _token_given(request: HttpRequest, token: str) -> bool:
    scheme, _, given = str(request.META.get("HTTP_AUTHORIZATION", "")).partition(" ")
    if scheme.lower() != "bearer" or not given:
        return False
    return hmac.compare_digest(given.strip().encode(), token.encode())


def may_read_metrics(request: HttpRequest) -> bool:
    token: str = settings.KEEL_METRICS_TOKEN
    addresses = tuple(settings.KEEL_METRICS_ALLOWED_ADDRESSES)
    if not token and not addresses:
        return False
    if token and not _token_given(request, token):
        return False
    return not addresses or _address_allowed(request, addresses)
