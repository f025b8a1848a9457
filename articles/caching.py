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

Comments are more precise: approving or removing a comment changes one
article's page and the counts in the lists, nothing else. Comment services call
:func:`bump_article_comments_version`, which bumps that article's own version
(its page and comments feed) and the *comments version* that lists and the
fragments showing comment counts include; other articles' pages stay cached.

The version counters live in the ``versions`` cache when one is configured
(settings give processes that share no memory, e.g. several gunicorn workers
on the local-memory cache, a shared store for them), otherwise in the default
cache next to what they version.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.utils import timezone

T = TypeVar("T")

PUBLIC_CONTENT_VERSION_KEY = "articles:public-content-version"
PUBLIC_COMMENTS_VERSION_KEY = "articles:public-comments-version"
ARTICLE_COMMENTS_VERSION_KEY = "articles:article-comments-version:{slug}"
VERSIONS_CACHE_ALIAS = "versions"
FRAGMENT_KEY_PREFIX = "articles:fragment"
# Even without a bump, a fragment is rebuilt after this many seconds.
DEFAULT_FRAGMENT_MAX_AGE = 300


def _fresh_version() -> int:
    # Should the version key ever be evicted, a new series starts from the
    # clock (in microseconds), never from a number an older fragment may
    # still be stored under.
    return time.time_ns() // 1000


def version_cache():
    """Where the version counters live (see the module docstring)."""
    if VERSIONS_CACHE_ALIAS in settings.CACHES:
        return caches[VERSIONS_CACHE_ALIAS]
    return cache


def read_versions(*keys: str) -> list[int]:
    """The current value of each version counter, creating missing ones (one round trip)."""
    store = version_cache()
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


def _bump_version(key: str) -> int:
    store = version_cache()
    try:
        return store.incr(key)
    except ValueError:  # The key is missing: start a fresh series.
        store.add(key, _fresh_version(), timeout=None)
        return read_versions(key)[0]


def article_comments_version_key(slug: str) -> str:
    return ARTICLE_COMMENTS_VERSION_KEY.format(slug=slug)


def public_content_version() -> int:
    """The current public content version (created on first use)."""
    return read_versions(PUBLIC_CONTENT_VERSION_KEY)[0]


def public_comments_version() -> int:
    """Bumped whenever any comment appears or disappears in public (for comment counts)."""
    return read_versions(PUBLIC_COMMENTS_VERSION_KEY)[0]


def article_comments_version(slug: str) -> int:
    return read_versions(article_comments_version_key(slug))[0]


def bump_public_content_version() -> int:
    """Invalidate every public fragment and page at once; returns the new version."""
    return _bump_version(PUBLIC_CONTENT_VERSION_KEY)


def bump_public_content_version_on_commit() -> None:
    """Bump once the current transaction commits (right away outside one)."""
    transaction.on_commit(bump_public_content_version)


def bump_article_comments_version(slug: str) -> None:
    """A public comment of one article changed: its page, its feed and the lists' counts."""
    _bump_version(article_comments_version_key(slug))
    _bump_version(PUBLIC_COMMENTS_VERSION_KEY)


def bump_article_comments_version_on_commit(slug: str) -> None:
    transaction.on_commit(lambda: bump_article_comments_version(slug))


def public_fragment_key(name: str, *, with_comment_counts: bool = False) -> str:
    if with_comment_counts:
        content, comments = read_versions(PUBLIC_CONTENT_VERSION_KEY, PUBLIC_COMMENTS_VERSION_KEY)
        return f"{FRAGMENT_KEY_PREFIX}:{name}:v{content}.c{comments}"
    return f"{FRAGMENT_KEY_PREFIX}:{name}:v{public_content_version()}"


def get_public_fragment(
    name: str,
    *,
    build: Callable[[], T],
    valid_until: Callable[[], datetime | None] | None = None,
    max_age: int = DEFAULT_FRAGMENT_MAX_AGE,
    with_comment_counts: bool = False,
) -> T:
    """Return the cached fragment ``name``, building and storing it on a miss.

    ``valid_until`` is called only on a miss; when it returns a time sooner
    than ``max_age`` from now (the next scheduled publication), the fragment
    expires then. ``with_comment_counts`` is for fragments that show comment
    counts: they are rebuilt when any public comment changes as well.
    """
    key = public_fragment_key(name, with_comment_counts=with_comment_counts)
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
