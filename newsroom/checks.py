"""System checks of the project's wiring (``manage.py check --deploy``).

Behind a reverse proxy with ``NEWSROOM_TRUSTED_PROXY_COUNT = 0`` every reader
has the proxy's address: one reader's post triggers comment flood control for
everyone, and five wrong passwords lock an editor out for the whole newsroom.
The check cannot see requests, so it warns about the setting in any deployment;
:func:`delivery.client_ip.client_ip` also logs an error the first time a request
arrives with an ``X-Forwarded-For`` header that is not trusted.
"""

from __future__ import annotations

from django.conf import settings
from django.core import checks

UNTRUSTED_PROXY_ID = "newsroom.W001"


@checks.register(checks.Tags.security, deploy=True)
def check_trusted_proxies(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if getattr(settings, "NEWSROOM_TRUSTED_PROXY_COUNT", 0) > 0:
        return []
    return [
        checks.Warning(
            "NEWSROOM_TRUSTED_PROXY_COUNT is 0: X-Forwarded-For is ignored, so behind a "
            "reverse proxy (nginx, a load balancer) every reader has the proxy's address. "
            "Comment flood control and rate limits then hit every reader at once, and login "
            "lockouts lock an editor out for the whole newsroom.",
            hint="Set NEWSROOM_TRUSTED_PROXY_COUNT to the number of proxies in front of the "
            "app (1 with the nginx of deploy/), or leave it at 0 only if clients connect "
            "directly.",
            id=UNTRUSTED_PROXY_ID,
        )
    ]
