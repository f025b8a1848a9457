"""Which delivery versions articles' public pages and fragments depend on.

The delivery layer (:mod:`delivery.versions`) keeps named version counters and
knows nothing of articles; this module names the ones articles use and says
what bumps them:

- ``public-content``: whatever changes what readers see (publishing,
  unpublishing, editing an article, changing a section, tag or author).
  Every public page and fragment depends on it.
- ``article-counts``: the counts shown on article cards that are kept by
  another app (the approved comment count, kept by ``comments``). The lists
  and the fragments showing those counts depend on it, so that a comment
  approval refreshes the counts without rebuilding everything else.
- ``article:<slug>``: one article's own page and anything hung on it by other
  apps (its comments and comment feed), so that approving a comment on one
  article leaves every other article's page cached.

Scheduled articles go live without anyone bumping a version: fragments and
pages that list articles are only valid until the next scheduled publication
(:func:`articles.selectors.upcoming_publication_at`, registered with the page
cache in :class:`articles.apps.ArticlesConfig`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, TypeVar

from delivery.fragments import DEFAULT_FRAGMENT_MAX_AGE, fragment_key, get_fragment
from delivery.versions import bump_version, bump_versions_on_commit, read_version

T = TypeVar("T")

PUBLIC_CONTENT = "public-content"
ARTICLE_COUNTS = "article-counts"


def article_version(slug: str) -> str:
    """The name of one article's own version (its page, its comments)."""
    return f"article:{slug}"


# --- What the public pages depend on (for cache_public_page) ----------------------

CONTENT_PAGE = (PUBLIC_CONTENT,)
LIST_PAGE = (PUBLIC_CONTENT, ARTICLE_COUNTS)


def article_page(kwargs: Mapping[str, Any]) -> Sequence[str]:
    """An article's page, or a feed of its comments: the content and that article."""
    slug = kwargs.get("slug")
    return (PUBLIC_CONTENT, article_version(slug)) if slug is not None else CONTENT_PAGE


# --- Reading and bumping --------------------------------------------------------------


def public_content_version() -> int:
    """The current public content version (created on first use)."""
    return read_version(PUBLIC_CONTENT)


def bump_public_content_version() -> int:
    """Invalidate every public fragment and page at once; returns the new version."""
    return bump_version(PUBLIC_CONTENT)


def bump_public_content_version_on_commit() -> None:
    """Bump once the current transaction commits (right away outside one)."""
    bump_versions_on_commit(PUBLIC_CONTENT)


def article_own_version(slug: str) -> int:
    return read_version(article_version(slug))


def bump_article_version_on_commit(slug: str, *, counts_changed: bool = False) -> None:
    """Something hung on one article changed: its page (and, if so, the counts on cards)."""
    names = [article_version(slug)]
    if counts_changed:
        names.append(ARTICLE_COUNTS)
    bump_versions_on_commit(*names)


# --- Fragments ------------------------------------------------------------------------


def _fragment_versions(with_counts: bool) -> tuple[str, ...]:
    return LIST_PAGE if with_counts else CONTENT_PAGE


def public_fragment_key(name: str, *, with_counts: bool = False) -> str:
    return fragment_key(name, versions=_fragment_versions(with_counts))


def get_public_fragment(
    name: str,
    *,
    build: Callable[[], T],
    valid_until: Callable[[], datetime | None] | None = None,
    max_age: int = DEFAULT_FRAGMENT_MAX_AGE,
    with_counts: bool = False,
) -> T:
    """A fragment of the public site, rebuilt after any public content change.

    ``with_counts`` is for fragments that show the counts on article cards:
    they are rebuilt when those change as well.
    """
    return get_fragment(
        name,
        build=build,
        versions=_fragment_versions(with_counts),
        valid_until=valid_until,
        max_age=max_age,
    )
