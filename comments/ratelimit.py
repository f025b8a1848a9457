"""A per-IP limit on comment posts, counted in the shared cache.

An IPv6 address is counted by its /64 network (:mod:`comments.networks`):
one subscriber holds a whole /64 and could otherwise change address per post.

Fixed windows: the counter key contains the window number, so it needs no
reset and every app server behind a load balancer counts in the same place
(Redis in production). When the cache cannot count (Redis down: django-redis
is configured to return misses instead of raising), the post is let through or
refused according to ``COMMENTS_RATE_LIMIT_FAIL_OPEN``; see ``comments.rules``
for why the default is to let it through.
"""

from __future__ import annotations

import hashlib
import logging
import time
from enum import Enum

from django.conf import settings
from django.core.cache import BaseCache, caches

from comments.networks import network_key
from comments.rules import CommentSettings, comment_settings

logger = logging.getLogger(__name__)


class RateLimitResult(Enum):
    ALLOWED = "allowed"
    LIMITED = "limited"
    CACHE_DOWN_ALLOWED = "cache down, allowed"
    CACHE_DOWN_REFUSED = "cache down, refused"

    @property
    def allowed(self) -> bool:
        return self in {RateLimitResult.ALLOWED, RateLimitResult.CACHE_DOWN_ALLOWED}


def rate_limit_cache() -> BaseCache:
    """The cache that counts posts (``COMMENTS_RATE_LIMIT_CACHE``, "default")."""
    return caches[getattr(settings, "COMMENTS_RATE_LIMIT_CACHE", "default")]


def _key(ip_address: str, window: int, scope: str = "rate") -> str:
    # Hashed so that no IP address appears in cache keys (or Redis dumps).
    digest = hashlib.sha256(ip_address.encode()).hexdigest()[:32]
    return f"comments:{scope}:{digest}:{window}"


def _count_post(key: str, timeout: int) -> int | None:
    """Add one to the counter; None when the cache cannot count."""
    cache = rate_limit_cache()
    try:
        if cache.add(key, 1, timeout=timeout):
            return 1
        count = cache.incr(key)
    except ValueError:
        # The key expired between add() and incr(): this post starts a new count.
        try:
            cache.set(key, 1, timeout=timeout)
        except Exception:
            return None
        return 1
    except Exception:
        logger.warning("comment rate limit: the cache is unavailable", exc_info=True)
        return None
    # django-redis with IGNORE_EXCEPTIONS returns None instead of raising.
    return count if isinstance(count, int) else None


def check_post_rate(
    ip_address: str | None, *, config: CommentSettings | None = None
) -> RateLimitResult:
    """Count one post from ``ip_address`` and say whether it may go on."""
    config = config or comment_settings()
    return check_rate(ip_address, scope="rate", limit=config.rate_limit_posts, config=config)


def seconds_until_next_window(*, config: CommentSettings | None = None) -> int:
    """How long a limited reader really has to wait (the rest of the window)."""
    config = config or comment_settings()
    window_seconds = max(1, config.rate_limit_window_seconds)
    return max(1, window_seconds - int(time.time() % window_seconds))


def check_rate(
    ip_address: str | None, *, scope: str, limit: int, config: CommentSettings | None = None
) -> RateLimitResult:
    """Count one ``scope`` action ("rate" for posts, "report"...) from ``ip_address``
    in the shared window and say whether it may go on; ``limit`` <= 0 turns it off."""
    config = config or comment_settings()
    if not ip_address or limit <= 0:
        return RateLimitResult.ALLOWED
    window_seconds = max(1, config.rate_limit_window_seconds)
    window = int(time.time() // window_seconds)
    counted_as = network_key(ip_address) or ip_address
    count = _count_post(_key(counted_as, window, scope), timeout=window_seconds + 1)
    if count is None:
        if config.rate_limit_fail_open:
            logger.warning("comment rate limit skipped (cache down): failing open")
            return RateLimitResult.CACHE_DOWN_ALLOWED
        logger.warning("comment rate limit: cache down, refusing the post (fail closed)")
        return RateLimitResult.CACHE_DOWN_REFUSED
    if count > limit:
        return RateLimitResult.LIMITED
    return RateLimitResult.ALLOWED
