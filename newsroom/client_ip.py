"""The client's IP address, trusting exactly as many proxies as are configured.

Used by django-axes (login lockouts) and meant for anything else keyed by
client address, such as rate limits.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The address of the client that sent ``request``.

    With ``NEWSROOM_TRUSTED_PROXY_COUNT = N`` (N reverse proxies in front of the
    app, each appending to X-Forwarded-For), the N-th address from the right of
    X-Forwarded-For is the client: anything further left was written by the
    client and can be forged. With N = 0 the header is ignored.
    """
    remote_addr = request.META.get("REMOTE_ADDR", "") or "unknown"
    trusted_proxies = settings.NEWSROOM_TRUSTED_PROXY_COUNT
    if trusted_proxies <= 0:
        return remote_addr
    forwarded = [
        address.strip()
        for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if address.strip()
    ]
    if len(forwarded) < trusted_proxies:
        return remote_addr
    return forwarded[-trusted_proxies][:45]
