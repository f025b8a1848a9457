"""Version counters: invalidate cached things by changing a number, never by purging.

Everything cached for the public (pages, fragments) is stored under a key that
holds the current value of the *versions* it depends on. A change that alters
what readers see bumps the versions concerned after its transaction commits
(:func:`bump_versions_on_commit`), and every entry built from older data is
simply never read again: no list of keys to purge, no stale entry.

Versions have names; the apps choose them and say which ones a page or a
fragment depends on (e.g. "public-content" for everything readers see, one per
article for its own page), so this module knows nothing of articles or
comments.

The counters live in the ``versions`` cache when one is configured (settings
give processes that share no memory, e.g. several gunicorn workers on the
local-memory cache, a shared store for them), otherwise in the default cache
next to what they version.

A shared cache in front of the app (a reverse proxy) files pages under the
same names and is told of each bump (:mod:`delivery.edge`).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction

from delivery import edge

VERSIONS_CACHE_ALIAS = "versions"
VERSION_KEY_PREFIX = "delivery:version"


def version_key(name: str) -> str:
    """The cache key of the version counter called ``name``."""
    return f"{VERSION_KEY_PREFIX}:{name}"


def _fresh_version() -> int:
    # Should the version key ever be evicted, a new series starts from the
    # clock (in microseconds), never from a number an older entry may still
    # be stored under.
    return time.time_ns() // 1000


def version_cache():
    """Where the version counters live (see the module docstring)."""
    if VERSIONS_CACHE_ALIAS in settings.CACHES:
        return caches[VERSIONS_CACHE_ALIAS]
    return cache


def read_versions(*names: str) -> list[int]:
    """The current value of each named counter, creating missing ones (one round trip)."""
    store = version_cache()
    keys = [version_key(name) for name in names]
    found = store.get_many(keys)
    values = []
    for key in keys:
        version = found.get(key)
        if version is None:
            store.add(key, _fresh_version(), timeout=None)
            version = store.get(key)
            if version is None:  # The cache is unavailable: nothing is cached either.
                version = 0
        values.append(int(version))
    return values


def read_version(name: str) -> int:
    return read_versions(name)[0]


def bump_version(name: str) -> int:
    """Invalidate everything stored under the counter ``name``; returns the new value."""
    value = _increment(name)
    edge.purge([name])
    return value


def _increment(name: str) -> int:
    store = version_cache()
    try:
        return store.incr(version_key(name))
    except ValueError:  # The key is missing: start a fresh series.
        store.add(version_key(name), _fresh_version(), timeout=None)
        return read_version(name)


def bump_versions_on_commit(*names: str) -> None:
    """Bump ``names`` once the current transaction commits (right away outside one).

    After the commit, never before: a page rendered meanwhile from the old data
    is stored under the old version, which nobody reads again.
    """

    def bump() -> None:
        for name in names:
            _increment(name)
        # One purge for all of them, once the app's own entries are invalid.
        edge.purge(names)

    transaction.on_commit(bump)
