"""Per-client rate limit for the API, keyed by the address ``delivery.client_ip`` trusts.

DRF's own ``AnonRateThrottle`` reads X-Forwarded-For with a setting of its own;
using the project's ``client_ip`` means one proxy configuration
(``NEWSROOM_TRUSTED_PROXY_COUNT``) for login lockouts, comment limits and the
API alike. Counters live in the default cache. The rate is read from settings
on every request (not frozen at import like DRF's ``THROTTLE_RATES``), so an
environment change or a test's ``settings`` fixture takes effect.
"""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from delivery.client_ip import client_ip


class ClientIPRateThrottle(SimpleRateThrottle):
    scope = "api"

    def get_rate(self) -> str | None:
        return settings.NEWSROOM_API_RATE_LIMIT or None

    def get_cache_key(self, request, view) -> str | None:
        # A request without a usable address (none should reach Django) shares one bucket.
        ident = client_ip(request) or "unknown"
        return self.cache_format % {"scope": self.scope, "ident": ident}
