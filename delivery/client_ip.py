"""The client's IP address, trusting exactly as many proxies as are configured.

Request infrastructure shared by every layer above: django-axes (login
lockouts, named in settings), the comment flood control and rate limit, the
API's throttling.
"""

from __future__ import annotations

import ipaddress
import logging

from django.conf import settings
from django.http import HttpRequest

logger = logging.getLogger(__name__)
_warned_about_untrusted_forwarding = False


def _warn_about_untrusted_forwarding() -> None:
    """Say loudly, once per process, that proxy headers arrive and are not trusted."""
    global _warned_about_untrusted_forwarding
    if _warned_about_untrusted_forwarding:
        return
    _warned_about_untrusted_forwarding = True
    logger.error(
        "Requests carry X-Forwarded-For but NEWSROOM_TRUSTED_PROXY_COUNT is 0: every reader "
        "has the proxy's address, so comment flood control and login lockouts hit everyone "
        "at once. Set NEWSROOM_TRUSTED_PROXY_COUNT to the number of reverse proxies in front "
        "of the app (see deploy/README.md)."
    )


def _ip_or_none(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The address of the client that sent ``request``, or None when there is none.

    With ``NEWSROOM_TRUSTED_PROXY_COUNT = N`` (N reverse proxies in front of the
    app, each appending to X-Forwarded-For), the N-th address from the right of
    X-Forwarded-For is the client: anything further left was written by the
    client and can be forged. With N = 0 the header is ignored. A value that is
    not an IP address is never returned (it would be stored in inet columns).
    """
    remote_addr = _ip_or_none(request.META.get("REMOTE_ADDR") or "")
    trusted_proxies = settings.NEWSROOM_TRUSTED_PROXY_COUNT
    if trusted_proxies <= 0:
        if request.META.get("HTTP_X_FORWARDED_FOR"):
            _warn_about_untrusted_forwarding()
        return remote_addr
    forwarded = [
        address.strip()
        for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if address.strip()
    ]
    if len(forwarded) < trusted_proxies:
        return remote_addr
    return _ip_or_none(forwarded[-trusted_proxies]) or remote_addr
