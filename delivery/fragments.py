"""Cached fragments of the public site, keyed by the versions they depend on.

A fragment (the section navigation, the latest articles, the home page's lead
story...) is stored under a key holding its name and the current value of the
versions it depends on (:mod:`delivery.versions`): a bump makes every fragment
built from older data unreachable.

Some things change without anyone bumping a version (a scheduled article goes
live at its time), so a fragment can also be valid only until a deadline.
That deadline is stored *with* the value and checked against
``timezone.now()`` on every read (as well as passed to the cache as its
timeout), so the rule holds whatever the cache backend does with timeouts, and
tests can move the clock.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import TypeVar

from django.core.cache import cache
from django.utils import timezone

from delivery.versions import read_versions

T = TypeVar("T")

FRAGMENT_KEY_PREFIX = "delivery:fragment"
# Even without a bump, a fragment is rebuilt after this many seconds.
DEFAULT_FRAGMENT_MAX_AGE = 300


def fragment_key(name: str, *, versions: Sequence[str]) -> str:
    """The key of fragment ``name`` under the current value of ``versions``."""
    values = ".".join(str(value) for value in read_versions(*versions))
    return f"{FRAGMENT_KEY_PREFIX}:{name}:v{values}"


def get_fragment(
    name: str,
    *,
    build: Callable[[], T],
    versions: Sequence[str],
    valid_until: Callable[[], datetime | None] | None = None,
    max_age: int = DEFAULT_FRAGMENT_MAX_AGE,
) -> T:
    """Return the cached fragment ``name``, building and storing it on a miss.

    ``versions`` name the counters whose bump rebuilds it. ``valid_until`` is
    called only on a miss; when it returns a time sooner than ``max_age`` from
    now (the next scheduled publication), the fragment expires then.
    """
    key = fragment_key(name, versions=versions)
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
