"""Caching of the public site's shared fragments, keyed by a content version.

Every cached fragment (section navigation, "Latest News Articles", the home
page's lead story) is stored under a key that contains the *public content
version*. Whatever changes what readers see (publishing, unpublishing, editing
an article, changing a section) calls :func:`bump_public_content_version`
after the transaction commits, and every fragment is rebuilt on its next read:
no list of keys to purge, no stale fragment.

Scheduled articles go live without anyone bumping the version, so a fragment
that lists articles is only valid until the next scheduled publish time. That
deadline is stored *with* the value and checked against ``timezone.now()`` on
every read (as well as passed to the cache as its timeout), so the rule holds
whatever the cache backend does with timeouts, and tests can move the clock.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

T = TypeVar("T")

PUBLIC_CONTENT_VERSION_KEY = "articles:public-content-version"
FRAGMENT_KEY_PREFIX = "articles:fragment"
# Even without a bump, a fragment is rebuilt after this many seconds.
DEFAULT_FRAGMENT_MAX_AGE = 300


def _fresh_version() -> int:
    # Should the version key ever be evicted, a new series starts from the
    # clock (in microseconds), never from a number an older fragment may
    # still be stored under.
    return time.time_ns() // 1000


def public_content_version() -> int:
    """The current public content version (created on first use)."""
    version = cache.get(PUBLIC_CONTENT_VERSION_KEY)
    if version is None:
        cache.add(PUBLIC_CONTENT_VERSION_KEY, _fresh_version(), timeout=None)
        version = cache.get(PUBLIC_CONTENT_VERSION_KEY)
        if version is None:  # The cache is unavailable: nothing is cached either.
            return 0
    return int(version)


def bump_public_content_version() -> int:
    """Invalidate every public fragment at once; returns the new version."""
    try:
        return cache.incr(PUBLIC_CONTENT_VERSION_KEY)
    except ValueError:  # The key is missing: start a fresh series.
        cache.add(PUBLIC_CONTENT_VERSION_KEY, _fresh_version(), timeout=None)
        return public_content_version()


def bump_public_content_version_on_commit() -> None:
    """Bump once the current transaction commits (right away outside one)."""
    transaction.on_commit(bump_public_content_version)


def public_fragment_key(name: str) -> str:
    return f"{FRAGMENT_KEY_PREFIX}:{name}:v{public_content_version()}"


def get_public_fragment(
    name: str,
    *,
    build: Callable[[], T],
    valid_until: Callable[[], datetime | None] | None = None,
    max_age: int = DEFAULT_FRAGMENT_MAX_AGE,
) -> T:
    """Return the cached fragment ``name``, building and storing it on a miss.

    ``valid_until`` is called only on a miss; when it returns a time sooner
    than ``max_age`` from now (the next scheduled publication), the fragment
    expires then.
    """
    key = public_fragment_key(name)
    now = timezone.now()
    entry = cache.get(key)
    if entry is not None:
        expires_at, value = entry
        if now < expires_at:
            return value

    value = build()
    expires_at = now + timedelta(seconds=max_age)
    deadline = valid_until() if valid_until is not None else None
    if deadline is not None and deadline < expires_at:
        expires_at = deadline
    seconds_left = (expires_at - now).total_seconds()
    if seconds_left > 0:
        cache.set(key, (expires_at, value), timeout=math.ceil(seconds_left))
    return value
